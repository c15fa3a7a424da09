package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ChaosMetricsTest {
    private final ManualClock clock = new ManualClock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Chaos chaos = Chaos.of("payments", ChaosConfig.builder().faultRate(1.0).latencyRate(1.0)
            .latency(Duration.ofMillis(1)).clock(clock).scheduler(clock).build());

    private double injections(String kind) {
        return registry.get("bulwark.chaos.injections").tags("name", "payments", "kind", kind).functionCounter()
                .count();
    }

    @Test
    void exportsTheSwitchAndInjectionsByKind() {
        ChaosMetrics.bind(chaos, registry);

        chaos.attempt(() -> "x");
        chaos.attempt(() -> "x");

        assertThat(registry.get("bulwark.chaos.enabled").gauge().value()).isEqualTo(1.0);
        assertThat(injections("fault")).isEqualTo(2.0);
        assertThat(injections("latency")).isEqualTo(2.0);
        assertThat(injections("result")).isZero();
        chaos.disable();
        assertThat(registry.get("bulwark.chaos.enabled").gauge().value()).isZero();
    }

    @Test
    void closingTheBindingRemovesItsMeters() {
        ChaosMetrics metrics = ChaosMetrics.bind(chaos, registry);
        assertThat(registry.getMeters()).hasSize(4);

        metrics.close();

        assertThat(registry.getMeters()).isEmpty();
    }
}
