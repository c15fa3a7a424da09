package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.resilience.CircuitBreakerConfig.SlidingWindowType;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CircuitBreakerMetricsTest {
    private final ManualClock clock = new ManualClock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final CircuitBreaker breaker = CircuitBreaker.of("payments", CircuitBreakerConfig.builder().clock(clock)
            .slidingWindow(SlidingWindowType.COUNT_BASED, 4)
            .slowCallDurationThreshold(Duration.ofSeconds(1))
            .ignoreExceptions(IllegalArgumentException.class)
            .build());

    private double gauge(String name, String kind) {
        return registry.get(name).tag("name", "payments").tag("kind", kind).gauge().value();
    }

    private double calls(String kind) {
        return registry.get("bulwark.circuitbreaker.calls").tag("name", "payments").tag("kind", kind)
                .functionCounter().count();
    }

    @Test
    void publishesStateRatesWindowAndCallCounters() {
        CircuitBreakerMetrics.bind(breaker, registry);

        breaker.call(() -> "ok");
        breaker.call(() -> {
            clock.advance(Duration.ofSeconds(2));
            return "slow";
        });
        breaker.attempt(() -> {
            throw new IllegalStateException("down");
        });
        breaker.attempt(() -> {
            throw new IllegalArgumentException("ignored");
        });
        assertThat(gauge("bulwark.circuitbreaker.rate", "failure")).as("3 calls, below the minimum").isEqualTo(-1);
        breaker.attempt(() -> {
            clock.advance(Duration.ofSeconds(2));
            throw new IllegalStateException("slow and down");
        });
        breaker.attempt(() -> "rejected");

        assertThat(gauge("bulwark.circuitbreaker.state", "open")).isEqualTo(1);
        assertThat(gauge("bulwark.circuitbreaker.state", "closed")).isEqualTo(0);
        assertThat(gauge("bulwark.circuitbreaker.rate", "failure")).isEqualTo(50);
        assertThat(gauge("bulwark.circuitbreaker.rate", "slow")).isEqualTo(50);
        assertThat(gauge("bulwark.circuitbreaker.window.calls", "all")).isEqualTo(4);
        assertThat(gauge("bulwark.circuitbreaker.window.calls", "failed")).isEqualTo(2);
        assertThat(gauge("bulwark.circuitbreaker.window.calls", "slow")).isEqualTo(2);
        assertThat(calls("successful")).isEqualTo(1);
        assertThat(calls("slow_successful")).isEqualTo(1);
        assertThat(calls("failed")).isEqualTo(1);
        assertThat(calls("slow_failed")).isEqualTo(1);
        assertThat(calls("ignored")).isEqualTo(1);
        assertThat(calls("not_permitted")).isEqualTo(1);
    }

    @Test
    void everyMeterHasTheSameTagKeysUnderTheBulwarkPrefix() {
        CircuitBreakerMetrics.bind(breaker, registry);

        assertThat(registry.getMeters()).hasSize(6 + 2 + 3 + 6).allSatisfy(meter -> {
            assertThat(meter.getId().getName()).startsWith("bulwark.circuitbreaker.");
            assertThat(meter.getId().getTags()).extracting(tag -> tag.getKey()).containsExactly("kind", "name");
        });
        Set<String> stateKinds = registry.find("bulwark.circuitbreaker.state").gauges().stream()
                .map(g -> g.getId().getTag("kind")).collect(Collectors.toSet());
        assertThat(stateKinds).containsExactlyInAnyOrder("closed", "open", "half_open", "forced_open", "disabled",
                "metrics_only");
    }

    @Test
    void closingTheBindingRemovesItsMeters() {
        CircuitBreakerMetrics metrics = CircuitBreakerMetrics.bind(breaker, registry);
        CircuitBreaker other = CircuitBreaker.ofDefaults("other");
        CircuitBreakerMetrics.bind(other, registry);

        metrics.close();

        assertThat(registry.getMeters()).extracting(Meter::getId).allSatisfy(id ->
                assertThat(id.getTag("name")).isEqualTo("other"));
    }
}
