package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ChaosConfigTest {

    @Test
    void defaultsAreSwitchedOnButInjectNothing() {
        ChaosConfig config = ChaosConfig.defaults();

        assertThat(config.enabled()).isTrue();
        assertThat(config.faultRate()).isZero();
        assertThat(config.latencyRate()).isZero();
        assertThat(config.resultRate()).isZero();
        assertThat(config.fault()).isSameAs(ChaosConfig.DEFAULT_FAULT);
    }

    @Test
    void settersRejectBadValuesAtOnce() {
        ChaosConfig.Builder builder = ChaosConfig.builder();

        assertThatThrownBy(() -> builder.faultRate(1.01)).hasMessage("faultRate must be in [0, 1], was 1.01");
        assertThatThrownBy(() -> builder.latencyRate(-0.1)).hasMessage("latencyRate must be in [0, 1], was -0.1");
        assertThatThrownBy(() -> builder.resultRate(Double.NaN)).hasMessage("resultRate must be in [0, 1], was NaN");
        assertThatThrownBy(() -> builder.latency(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("minLatency must not exceed maxLatency, was minLatency=PT2S, maxLatency=PT1S");
        assertThatThrownBy(() -> builder.latency(Duration.ofDays(365L * 100)))
                .hasMessageStartingWith("minLatency must be at most ");
        assertThatThrownBy(() -> builder.fault(null)).isInstanceOf(NullPointerException.class).hasMessage("fault");
    }

    @Test
    void buildRejectsRatesThatCannotAllHappen() {
        assertThatThrownBy(() -> ChaosConfig.builder().faultRate(0.7).resultRate(0.5).result(() -> "x").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("faultRate + resultRate must not exceed 1, was faultRate=0.7, resultRate=0.5");
    }

    @Test
    void buildRejectsARateWithoutWhatItInjects() {
        assertThatThrownBy(() -> ChaosConfig.builder().latencyRate(0.2).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("latencyRate 0.2 needs a latency: set latency(...)");
        assertThatThrownBy(() -> ChaosConfig.builder().resultRate(0.1).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("resultRate 0.1 needs a result: set result(...)");
    }
}
