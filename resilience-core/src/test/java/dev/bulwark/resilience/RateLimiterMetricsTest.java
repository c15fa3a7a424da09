package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class RateLimiterMetricsTest {
    private final ManualClock clock = new ManualClock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RateLimiter limiter = RateLimiter.of("search", RateLimiterConfig.builder()
            .limitForPeriod(2)
            .limitRefreshPeriod(Duration.ofSeconds(1))
            .timeout(Duration.ofSeconds(1))
            .clock(clock)
            .scheduler(clock)
            .build());

    private double gauge(String name) {
        return registry.get(name).tag("name", "search").gauge().value();
    }

    private double calls(String outcome) {
        return registry.get("bulwark.ratelimiter.calls").tags("name", "search", "outcome", outcome)
                .functionCounter().count();
    }

    @Test
    void exportsPermitsWaitersAndCallsByOutcome() {
        RateLimiterMetrics.bind(limiter, registry);
        assertThat(gauge("bulwark.ratelimiter.available")).isEqualTo(2.0);

        for (int i = 0; i < 5; i++) {
            limiter.callAsync(() -> CompletableFuture.completedFuture("ok"));
        }

        assertThat(gauge("bulwark.ratelimiter.available")).isZero();
        assertThat(gauge("bulwark.ratelimiter.waiting")).isEqualTo(2.0);
        assertThat(gauge("bulwark.ratelimiter.limit")).isEqualTo(2.0);
        assertThat(calls("permitted")).isEqualTo(4.0);
        assertThat(calls("rejected")).isEqualTo(1.0);
        clock.advance(Duration.ofSeconds(1));
        assertThat(gauge("bulwark.ratelimiter.waiting")).isZero();
    }

    @Test
    void closingTheBindingRemovesItsMeters() {
        RateLimiterMetrics metrics = RateLimiterMetrics.bind(limiter, registry);
        assertThat(registry.getMeters()).hasSize(5);

        metrics.close();

        assertThat(registry.getMeters()).isEmpty();
    }
}
