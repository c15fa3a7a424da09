package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class AdaptiveBulkheadConfigTest {

    @Test
    void defaultsStartAtTwentyBetweenOneAndTwoHundred() {
        AdaptiveBulkheadConfig config = AdaptiveBulkheadConfig.defaults();

        assertThat(config.initialLimit()).isEqualTo(20);
        assertThat(config.minLimit()).isEqualTo(1);
        assertThat(config.maxLimit()).isEqualTo(200);
        assertThat(config.alpha()).isEqualTo(3.0);
        assertThat(config.beta()).isEqualTo(6.0);
        assertThat(config.smoothing()).isEqualTo(1.0);
        assertThat(config.backoffRatio()).isEqualTo(0.9);
        assertThat(config.windowMinSamples()).isEqualTo(10);
        assertThat(config.windowMinDuration()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.noLoadProbeWindows()).isEqualTo(600);
    }

    @Test
    void timeoutsAreTheDefaultDrops() {
        AdaptiveBulkheadConfig config = AdaptiveBulkheadConfig.defaults();

        assertThat(config.dropOn().test(new TimeoutException())).isTrue();
        assertThat(config.dropOn().test(new SocketTimeoutException())).isTrue();
        assertThat(config.dropOn().test(new IllegalStateException())).isFalse();
    }

    @Test
    void settersRejectBadValuesAtOnce() {
        AdaptiveBulkheadConfig.Builder builder = AdaptiveBulkheadConfig.builder();

        assertThatThrownBy(() -> builder.minLimit(0)).hasMessage("minLimit must be at least 1, was 0");
        assertThatThrownBy(() -> builder.alpha(0)).hasMessage("alpha must be positive and finite, was 0.0");
        assertThatThrownBy(() -> builder.beta(Double.NaN)).hasMessage("beta must be positive and finite, was NaN");
        assertThatThrownBy(() -> builder.smoothing(1.5)).hasMessage("smoothing must be in (0, 1], was 1.5");
        assertThatThrownBy(() -> builder.backoffRatio(1.0)).hasMessage("backoffRatio must be in (0, 1), was 1.0");
        assertThatThrownBy(() -> builder.windowMinSamples(0)).hasMessage("windowMinSamples must be at least 1, was 0");
        assertThatThrownBy(() -> builder.windowMinDuration(Duration.ofMillis(-5)))
                .hasMessage("windowMinDuration must not be negative, was PT-0.005S");
        assertThatThrownBy(() -> builder.noLoadProbeWindows(0))
                .hasMessage("noLoadProbeWindows must be at least 1, was 0");
        assertThatThrownBy(() -> builder.dropOn(null)).isInstanceOf(NullPointerException.class).hasMessage("dropOn");
    }

    @Test
    void buildRejectsLimitsOutOfOrder() {
        assertThatThrownBy(() -> AdaptiveBulkheadConfig.builder().minLimit(50).maxLimit(10).initialLimit(20).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("minLimit must not exceed maxLimit, was minLimit=50, maxLimit=10");
        assertThatThrownBy(() -> AdaptiveBulkheadConfig.builder().initialLimit(300).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("initialLimit must be between minLimit and maxLimit, was initialLimit=300 with minLimit=1,"
                        + " maxLimit=200");
    }

    @Test
    void buildRejectsAnAlphaNotBelowBeta() {
        assertThatThrownBy(() -> AdaptiveBulkheadConfig.builder().alpha(6).beta(3).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("alpha must be less than beta, was alpha=6.0, beta=3.0");
    }
}
