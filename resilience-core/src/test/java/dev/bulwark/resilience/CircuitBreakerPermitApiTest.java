package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.resilience.CircuitBreaker.State;
import dev.bulwark.resilience.CircuitBreakerConfig.SlidingWindowType;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The low-level API for clients that time their own calls. */
class CircuitBreakerPermitApiTest {
    private final ManualClock clock = new ManualClock();
    private final CircuitBreaker breaker = CircuitBreaker.of("ledger", CircuitBreakerConfig.builder().clock(clock)
            .slidingWindow(SlidingWindowType.COUNT_BASED, 4)
            .slowCallDurationThreshold(Duration.ofMillis(100))
            .recordResult("error"::equals)
            .ignoreExceptions(IllegalArgumentException.class)
            .build());

    @Test
    void reportedOutcomesAreRecordedWithTheirDurations() {
        assertThat(breaker.tryAcquirePermission()).isTrue();
        breaker.onSuccess(Duration.ofMillis(10).toNanos());
        breaker.onSuccess(Duration.ofMillis(500).toNanos());
        breaker.onResult(Duration.ofMillis(10).toNanos(), "fine");

        CircuitBreakerSnapshot snapshot = breaker.snapshot();
        assertThat(snapshot.successfulCalls()).isEqualTo(2);
        assertThat(snapshot.slowSuccessfulCalls()).isEqualTo(1);
        assertThat(snapshot.windowCalls()).isEqualTo(3);
    }

    @Test
    void reportedErrorsAndResultsAreClassifiedByTheConfig() {
        breaker.onError(1, new IllegalArgumentException("ignored"));
        breaker.onError(1, new IllegalStateException("recorded"));
        breaker.onResult(1, "error");
        breaker.onSuccess(1);
        assertThat(breaker.state()).as("3 recorded, the ignored one not").isEqualTo(State.CLOSED);
        breaker.onSuccess(1);

        CircuitBreakerSnapshot snapshot = breaker.snapshot();
        assertThat(snapshot.ignoredCalls()).isEqualTo(1);
        assertThat(snapshot.failedCalls()).isEqualTo(2);
        assertThat(snapshot.state()).as("2 of 4 failed").isEqualTo(State.OPEN);
    }

    @Test
    void aRefusedPermissionCountsAsNotPermitted() {
        breaker.transitionToOpen();

        assertThat(breaker.tryAcquirePermission()).isFalse();

        assertThat(breaker.snapshot().notPermittedCalls()).isEqualTo(1);
    }

    @Test
    void aTimeWindowIsFedWithTheClockWhenOutcomesAreReported() {
        CircuitBreaker timed = CircuitBreaker.of("ledger", CircuitBreakerConfig.builder().clock(clock)
                .slidingWindow(SlidingWindowType.TIME_BASED, 5).build());

        timed.onSuccess(1);
        clock.advance(Duration.ofSeconds(3));
        timed.onSuccess(1);
        assertThat(timed.snapshot().windowCalls()).isEqualTo(2);
        clock.advance(Duration.ofSeconds(2));

        assertThat(timed.snapshot().windowCalls()).isEqualTo(1);
    }

    @Test
    void negativeDurationsAreRejected() {
        assertThatThrownBy(() -> breaker.onSuccess(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("durationNanos must not be negative, was -1");
        assertThatThrownBy(() -> breaker.onError(-5, new IllegalStateException())).hasMessage(
                "durationNanos must not be negative, was -5");
        assertThatThrownBy(() -> breaker.onError(1, null)).isInstanceOf(NullPointerException.class).hasMessage("error");
    }
}
