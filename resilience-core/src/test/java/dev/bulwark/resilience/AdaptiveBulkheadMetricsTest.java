package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class AdaptiveBulkheadMetricsTest {
    private final ManualClock clock = new ManualClock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AdaptiveBulkhead bulkhead = AdaptiveBulkhead.of("search", AdaptiveBulkheadConfig.builder()
            .initialLimit(2).minLimit(1).maxLimit(10).windowMinSamples(2).windowMinDuration(Duration.ZERO)
            .clock(clock).build());

    private double gauge(String name) {
        return registry.get(name).tag("name", "search").gauge().value();
    }

    @Test
    void exportsTheLimitInFlightNoLoadLatencyAndCalls() {
        AdaptiveBulkheadMetrics.bind(bulkhead, registry);
        CompletableFuture<String> first = new CompletableFuture<>();
        CompletableFuture<String> second = new CompletableFuture<>();
        bulkhead.callAsync(() -> first);
        bulkhead.callAsync(() -> second);
        bulkhead.callAsync(CompletableFuture::new);
        assertThat(gauge("bulwark.adaptivebulkhead.inflight")).isEqualTo(2.0);

        clock.advance(Duration.ofMillis(20));
        first.complete("a");
        second.complete("b");

        assertThat(gauge("bulwark.adaptivebulkhead.limit")).isEqualTo(3.0);
        assertThat(gauge("bulwark.adaptivebulkhead.inflight")).isZero();
        assertThat(gauge("bulwark.adaptivebulkhead.noload.latency")).isEqualTo(0.02);
        assertThat(registry.get("bulwark.adaptivebulkhead.calls").tags("outcome", "permitted").functionCounter()
                .count()).isEqualTo(2.0);
        assertThat(registry.get("bulwark.adaptivebulkhead.calls").tags("outcome", "rejected").functionCounter()
                .count()).isEqualTo(1.0);
    }

    @Test
    void closingTheBindingRemovesItsMeters() {
        AdaptiveBulkheadMetrics metrics = AdaptiveBulkheadMetrics.bind(bulkhead, registry);
        assertThat(registry.getMeters()).hasSize(5);

        metrics.close();

        assertThat(registry.getMeters()).isEmpty();
    }
}
