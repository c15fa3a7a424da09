package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class BulkheadMetricsTest {
    private final ManualClock clock = new ManualClock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Bulkhead bulkhead = Bulkhead.of("payments", BulkheadConfig.builder()
            .maxConcurrentCalls(2)
            .maxWait(Duration.ofSeconds(1))
            .clock(clock)
            .scheduler(clock)
            .build());

    private double gauge(String name) {
        return registry.get(name).tag("name", "payments").gauge().value();
    }

    private double calls(String outcome) {
        return registry.get("bulwark.bulkhead.calls").tags("name", "payments", "outcome", outcome)
                .functionCounter().count();
    }

    @Test
    void exportsPermitsWaitersAndCallsByOutcome() {
        BulkheadMetrics.bind(bulkhead, registry);
        bulkhead.callAsync(CompletableFuture::new);
        bulkhead.callAsync(CompletableFuture::new);
        bulkhead.callAsync(CompletableFuture::new);

        assertThat(gauge("bulwark.bulkhead.available")).isZero();
        assertThat(gauge("bulwark.bulkhead.waiting")).isEqualTo(1.0);
        assertThat(gauge("bulwark.bulkhead.max")).isEqualTo(2.0);
        clock.advance(Duration.ofSeconds(1));
        assertThat(gauge("bulwark.bulkhead.waiting")).isZero();
        assertThat(calls("permitted")).isEqualTo(2.0);
        assertThat(calls("rejected")).isEqualTo(1.0);
    }

    @Test
    void closingTheBindingRemovesItsMeters() {
        BulkheadMetrics metrics = BulkheadMetrics.bind(bulkhead, registry);
        assertThat(registry.getMeters()).hasSize(5);

        metrics.close();

        assertThat(registry.getMeters()).isEmpty();
    }
}
