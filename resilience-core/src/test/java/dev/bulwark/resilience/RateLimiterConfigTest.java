package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateLimiterConfigTest {

    @Test
    void defaultsAllowFiftyCallsASecondWithoutWaiting() {
        RateLimiterConfig config = RateLimiterConfig.defaults();

        assertThat(config.limitForPeriod()).isEqualTo(50);
        assertThat(config.limitRefreshPeriod()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.timeout()).isEqualTo(Duration.ZERO);
    }

    @Test
    void builderRejectsBadValuesAtOnce() {
        assertThatThrownBy(() -> RateLimiterConfig.builder().limitForPeriod(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("limitForPeriod must be at least 1, was 0");
        assertThatThrownBy(() -> RateLimiterConfig.builder().limitRefreshPeriod(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("limitRefreshPeriod must be positive, was PT0S");
        assertThatThrownBy(() -> RateLimiterConfig.builder().timeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("timeout must not be negative, was PT-1S");
        assertThatThrownBy(() -> RateLimiterConfig.builder().limitRefreshPeriod(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("limitRefreshPeriod");
    }

    @Test
    void aCombinationThatCannotBeCountedForACenturyIsRefusedAtBuild() {
        RateLimiterConfig.Builder builder = RateLimiterConfig.builder()
                .limitForPeriod(Integer.MAX_VALUE)
                .limitRefreshPeriod(Duration.ofMillis(1));

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("limitForPeriod=2147483647 with limitRefreshPeriod=PT0.001S and timeout=PT0S cannot be"
                        + " counted for 100 years (the permit counter would overflow after 49 days); use a longer"
                        + " limitRefreshPeriod, a smaller limitForPeriod or a shorter timeout");
    }

    @Test
    void aLongTimeoutOnAShortPeriodIsRefusedAtBuild() {
        RateLimiterConfig.Builder builder = RateLimiterConfig.builder()
                .limitForPeriod(1_000_000)
                .limitRefreshPeriod(Duration.ofNanos(1))
                .timeout(Duration.ofDays(365));

        assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot be counted for 100 years");
    }

    @Test
    void largeButSensibleLimitsAreAccepted() {
        RateLimiterConfig config = RateLimiterConfig.builder()
                .limitForPeriod(Integer.MAX_VALUE)
                .limitRefreshPeriod(Duration.ofSeconds(1))
                .build();

        assertThat(config.limitForPeriod()).isEqualTo(Integer.MAX_VALUE);
        assertThat(RateLimiterConfig.builder().limitForPeriod(1_000).limitRefreshPeriod(Duration.ofMillis(1))
                .timeout(Duration.ofSeconds(10)).build().timeout()).isEqualTo(Duration.ofSeconds(10));
    }
}
