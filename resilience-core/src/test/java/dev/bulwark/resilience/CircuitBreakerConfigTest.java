package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.resilience.CircuitBreakerConfig.SlidingWindowType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class CircuitBreakerConfigTest {

    @Test
    void theDefaultsAreDocumented() {
        CircuitBreakerConfig config = CircuitBreakerConfig.defaults();

        assertThat(config.failureRateThreshold()).isEqualTo(50);
        assertThat(config.slowCallRateThreshold()).isEqualTo(100);
        assertThat(config.slowCallDurationThreshold()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.slidingWindowType()).isEqualTo(SlidingWindowType.COUNT_BASED);
        assertThat(config.slidingWindowSize()).isEqualTo(100);
        assertThat(config.minimumNumberOfCalls()).isEqualTo(100);
        assertThat(config.permittedNumberOfCallsInHalfOpenState()).isEqualTo(10);
        assertThat(config.maxWaitDurationInHalfOpenState()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.waitDurationInOpenState()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.openStateBackoffMultiplier()).isEqualTo(1);
        assertThat(config.maxWaitDurationInOpenState()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.openStateJitter()).isZero();
        assertThat(config.recordException().test(new RuntimeException())).isTrue();
        assertThat(config.ignoreException().test(new RuntimeException())).isFalse();
        assertThat(config.recordResult().test(null)).isFalse();
        assertThat(config.clock()).isSameAs(Clock.system());
    }

    @Test
    void badValuesAreRejectedAtOnceNamingTheSettingAndTheValue() {
        CircuitBreakerConfig.Builder builder = CircuitBreakerConfig.builder();

        assertThatThrownBy(() -> builder.failureRateThreshold(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("failureRateThreshold must be in (0, 100], was 0.0");
        assertThatThrownBy(() -> builder.failureRateThreshold(100.5))
                .hasMessage("failureRateThreshold must be in (0, 100], was 100.5");
        assertThatThrownBy(() -> builder.slowCallRateThreshold(Double.NaN))
                .hasMessage("slowCallRateThreshold must be in (0, 100], was NaN");
        assertThatThrownBy(() -> builder.slowCallDurationThreshold(Duration.ZERO))
                .hasMessage("slowCallDurationThreshold must be positive, was PT0S");
        assertThatThrownBy(() -> builder.slidingWindow(SlidingWindowType.COUNT_BASED, 0))
                .hasMessage("slidingWindowSize must be in [1, 1000000] for a COUNT_BASED window, was 0");
        assertThatThrownBy(() -> builder.slidingWindow(SlidingWindowType.TIME_BASED, 2001))
                .hasMessage("slidingWindowSize must be in [1, 2000] for a TIME_BASED window, was 2001");
        assertThatThrownBy(() -> builder.minimumNumberOfCalls(0)).hasMessage("minimumNumberOfCalls must be at least 1, was 0");
        assertThatThrownBy(() -> builder.permittedNumberOfCallsInHalfOpenState(0))
                .hasMessage("permittedNumberOfCallsInHalfOpenState must be in [1, 1000000], was 0");
        assertThatThrownBy(() -> builder.maxWaitDurationInHalfOpenState(Duration.ofMillis(-1)))
                .hasMessage("maxWaitDurationInHalfOpenState must be positive, was PT-0.001S");
        assertThatThrownBy(() -> builder.waitDurationInOpenState(Duration.ofSeconds(-3)))
                .hasMessage("waitDurationInOpenState must be positive, was PT-3S");
        assertThatThrownBy(() -> builder.exponentialBackoffInOpenState(Duration.ofSeconds(1), 0.5, Duration.ofSeconds(2)))
                .hasMessage("openStateBackoffMultiplier must be a finite number of at least 1, was 0.5");
        assertThatThrownBy(() -> builder.exponentialBackoffInOpenState(Duration.ofSeconds(5), 2, Duration.ofSeconds(2)))
                .hasMessage("maxWaitDurationInOpenState must not be shorter than the initial wait PT5S, was PT2S");
        assertThatThrownBy(() -> builder.openStateJitter(1)).hasMessage("openStateJitter must be in [0, 1), was 1.0");
        assertThatThrownBy(() -> builder.recordExceptions()).hasMessage("recordExceptions needs at least one exception type, was []");
        assertThatThrownBy(() -> builder.slowCallDurationThreshold(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("slowCallDurationThreshold");
        assertThatThrownBy(() -> builder.clock(null)).isInstanceOf(NullPointerException.class).hasMessage("clock");
    }

    @Test
    void anExplicitMinimumLargerThanACountWindowIsABadCombination() {
        CircuitBreakerConfig.Builder builder = CircuitBreakerConfig.builder()
                .slidingWindow(SlidingWindowType.COUNT_BASED, 10).minimumNumberOfCalls(20);

        assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class)
                .hasMessage("minimumNumberOfCalls (20) must not exceed the count-based slidingWindowSize (10)");
    }

    @Test
    void anUnsetMinimumFollowsASmallCountWindowAndStays100Otherwise() {
        assertThat(CircuitBreakerConfig.builder().slidingWindow(SlidingWindowType.COUNT_BASED, 10).build()
                .minimumNumberOfCalls()).isEqualTo(10);
        assertThat(CircuitBreakerConfig.builder().slidingWindow(SlidingWindowType.TIME_BASED, 10).build()
                .minimumNumberOfCalls()).isEqualTo(100);
        assertThat(CircuitBreakerConfig.builder().slidingWindow(SlidingWindowType.TIME_BASED, 10)
                .minimumNumberOfCalls(500).build().minimumNumberOfCalls()).isEqualTo(500);
    }

    @Test
    void theRecordConstructorValidatesToo() {
        CircuitBreakerConfig d = CircuitBreakerConfig.defaults();

        assertThatThrownBy(() -> new CircuitBreakerConfig(d.failureRateThreshold(), d.slowCallRateThreshold(),
                d.slowCallDurationThreshold(), d.slidingWindowType(), d.slidingWindowSize(), d.minimumNumberOfCalls(),
                d.permittedNumberOfCallsInHalfOpenState(), d.maxWaitDurationInHalfOpenState(), Duration.ofSeconds(10),
                d.openStateBackoffMultiplier(), Duration.ofSeconds(5), d.openStateJitter(), d.recordException(),
                d.ignoreException(), d.recordResult(), d.clock()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("maxWaitDurationInOpenState (PT5S) must not be shorter than waitDurationInOpenState (PT10S)");
    }

    @Test
    void aFixedWaitReplacesABackoff() {
        CircuitBreakerConfig config = CircuitBreakerConfig.builder()
                .exponentialBackoffInOpenState(Duration.ofSeconds(1), 2, Duration.ofMinutes(1))
                .waitDurationInOpenState(Duration.ofSeconds(7))
                .build();

        assertThat(config.waitDurationInOpenState()).isEqualTo(Duration.ofSeconds(7));
        assertThat(config.openStateBackoffMultiplier()).isEqualTo(1);
        assertThat(config.maxWaitDurationInOpenState()).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void exceptionTypeListsMatchSubtypes() {
        CircuitBreakerConfig config = CircuitBreakerConfig.builder()
                .recordExceptions(IOException.class, UncheckedIOException.class, TimeoutException.class)
                .ignoreExceptions(IllegalArgumentException.class)
                .build();

        assertThat(config.recordException().test(new java.net.SocketTimeoutException())).isTrue();
        assertThat(config.recordException().test(new IllegalStateException())).isFalse();
        assertThat(config.ignoreException().test(new NumberFormatException())).isTrue();
        assertThat(config.toString()).contains("instance of any of [class java.io.IOException");
    }

    @Test
    void toBuilderCopiesEverySettingExplicitly() {
        ManualClock clock = new ManualClock();
        CircuitBreakerConfig original = CircuitBreakerConfig.builder().clock(clock).failureRateThreshold(10)
                .slidingWindow(SlidingWindowType.TIME_BASED, 30).openStateJitter(0.1).build();

        CircuitBreakerConfig copy = original.toBuilder().build();
        CircuitBreakerConfig changed = original.toBuilder().failureRateThreshold(20).build();

        assertThat(copy).isEqualTo(original);
        assertThat(changed.failureRateThreshold()).isEqualTo(20);
        assertThat(changed.slidingWindowSize()).isEqualTo(30);
        assertThat(changed.clock()).isSameAs(clock);
    }
}
