package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

class RetryBackoffTest {
    private static final DoubleSupplier NEVER_RANDOM = () -> {
        throw new AssertionError("this backoff must not draw random numbers");
    };

    private static List<Long> millis(RetryBackoff backoff, int retries, DoubleSupplier random) {
        List<Long> delays = new ArrayList<>();
        long previous = 0;
        for (int retry = 1; retry <= retries; retry++) {
            previous = backoff.delayNanos(retry, previous, random);
            delays.add(previous / 1_000_000);
        }
        return delays;
    }

    @Test
    void fixedWaitsTheSameBeforeEveryRetry() {
        assertThat(millis(RetryBackoff.fixed(Duration.ofMillis(250)), 4, NEVER_RANDOM)).containsExactly(250L, 250L, 250L, 250L);
    }

    @Test
    void exponentialMultipliesUpToItsMaximum() {
        RetryBackoff backoff = RetryBackoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofMillis(1000));
        assertThat(millis(backoff, 6, NEVER_RANDOM)).containsExactly(100L, 200L, 400L, 800L, 1000L, 1000L);
    }

    @Test
    void decorrelatedJitterDrawsBetweenBaseAndThreeTimesThePreviousWait() {
        RetryBackoff backoff = RetryBackoff.decorrelatedJitter(Duration.ofMillis(100), Duration.ofMillis(1000));
        double[] draws = {0.5, 0.0, 0.999999, 0.5};
        int[] next = {0};
        // 1st: [100, 300] at 0.5 -> 200; 2nd: [100, 600] at 0 -> 100; 3rd: [100, 300) at ~1 -> 299.99..; 4th: [100, 899.99..) at 0.5 -> 499.99..
        assertThat(millis(backoff, 4, () -> draws[next[0]++])).containsExactly(200L, 100L, 299L, 499L);
    }

    @Test
    void decorrelatedJitterNeverExceedsItsMaximum() {
        RetryBackoff backoff = RetryBackoff.decorrelatedJitter(Duration.ofMillis(100), Duration.ofMillis(300));
        assertThat(millis(backoff, 10, () -> 0.99)).allSatisfy(delay -> assertThat(delay).isBetween(100L, 300L));
    }

    @Test
    void decorrelatedJitterRejectsARandomSourceOutOfRange() {
        RetryBackoff backoff = RetryBackoff.decorrelatedJitter(Duration.ofMillis(100), Duration.ofMillis(300));
        assertThatThrownBy(() -> backoff.delayNanos(1, 0, () -> 1.0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the retry's random source must return values in [0, 1), returned 1.0");
    }

    @Test
    void badSettingsAreRejectedWithTheirName() {
        assertThatThrownBy(() -> RetryBackoff.fixed(Duration.ofMillis(-1)))
                .hasMessage("delay must not be negative, was PT-0.001S");
        assertThatThrownBy(() -> RetryBackoff.exponential(Duration.ofMillis(100), 0.5, Duration.ofSeconds(1)))
                .hasMessage("multiplier must be a finite number of at least 1.0, was 0.5");
        assertThatThrownBy(() -> RetryBackoff.exponential(Duration.ofMillis(100), 2, Duration.ofMillis(50)))
                .hasMessage("max must be at least initial (PT0.1S), was PT0.05S");
        assertThatThrownBy(() -> RetryBackoff.decorrelatedJitter(Duration.ZERO, Duration.ofMillis(50)))
                .hasMessage("base must be positive, was PT0S");
    }
}
