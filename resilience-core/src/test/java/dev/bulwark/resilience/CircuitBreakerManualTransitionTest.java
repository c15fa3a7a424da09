package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.resilience.CircuitBreaker.State;
import dev.bulwark.resilience.CircuitBreakerConfig.SlidingWindowType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** FORCED_OPEN, DISABLED, METRICS_ONLY, the manual transitions and reset. */
class CircuitBreakerManualTransitionTest {
    private final ManualClock clock = new ManualClock();
    private final CircuitBreaker breaker = CircuitBreaker.of("search", CircuitBreakerConfig.builder().clock(clock)
            .slidingWindow(SlidingWindowType.COUNT_BASED, 4)
            .exponentialBackoffInOpenState(Duration.ofSeconds(10), 2, Duration.ofMinutes(1))
            .permittedNumberOfCallsInHalfOpenState(1)
            .build());

    private void fail() {
        breaker.attempt(() -> {
            throw new IllegalStateException("down");
        });
    }

    @Test
    void forcedOpenRejectsEveryCallHoweverLongItWaits() {
        assertThat(breaker.transitionToForcedOpen()).isTrue();

        clock.advance(Duration.ofDays(1));

        assertThat(breaker.tryAcquirePermission()).isFalse();
        assertThat(breaker.attempt(() -> "x")).isInstanceOf(Outcome.Rejected.class);
        assertThat(breaker.state()).isEqualTo(State.FORCED_OPEN);
        assertThat(breaker.snapshot().notPermittedCalls()).isEqualTo(2);
    }

    @Test
    void disabledLetsEveryCallRunAndRecordsNothing() {
        breaker.transitionToDisabled();

        for (int i = 0; i < 10; i++) {
            fail();
        }
        breaker.onError(5, new IllegalStateException("reported"));

        assertThat(breaker.state()).isEqualTo(State.DISABLED);
        CircuitBreakerSnapshot snapshot = breaker.snapshot();
        assertThat(snapshot.failedCalls()).isZero();
        assertThat(snapshot.windowCalls()).isZero();
        assertThat(snapshot.failureRate()).isEqualTo(-1);
    }

    @Test
    void metricsOnlyRecordsOutcomesButNeverOpens() {
        breaker.transitionToMetricsOnly();

        for (int i = 0; i < 10; i++) {
            fail();
        }

        assertThat(breaker.state()).isEqualTo(State.METRICS_ONLY);
        CircuitBreakerSnapshot snapshot = breaker.snapshot();
        assertThat(snapshot.failureRate()).isEqualTo(100.0);
        assertThat(snapshot.windowCalls()).isEqualTo(4);
        assertThat(snapshot.failedCalls()).isEqualTo(10);
    }

    @Test
    void aTransitionToTheCurrentStateChangesNothing() {
        assertThat(breaker.transitionToClosed()).isFalse();
        assertThat(breaker.transitionToOpen()).isTrue();
        assertThat(breaker.transitionToOpen()).isFalse();
        assertThat(breaker.transitionToHalfOpen()).isTrue();
        assertThat(breaker.transitionToHalfOpen()).isFalse();
        assertThat(breaker.transitionToMetricsOnly()).isTrue();
        assertThat(breaker.transitionToDisabled()).isTrue();
        assertThat(breaker.transitionToClosed()).isTrue();
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void aManuallyOpenedBreakerWaitsAndProbesAsUsual() {
        breaker.transitionToOpen();

        clock.advance(Duration.ofSeconds(9));
        assertThat(breaker.tryAcquirePermission()).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(breaker.call(() -> "probe")).isEqualTo("probe");

        assertThat(breaker.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void leavingForcedOpenForClosedStartsWithAnEmptyWindow() {
        fail();
        fail();
        fail();
        breaker.transitionToForcedOpen();

        breaker.transitionToClosed();
        fail();

        assertThat(breaker.state()).as("1 failure of a 4-call window").isEqualTo(State.CLOSED);
        assertThat(breaker.snapshot().windowCalls()).isEqualTo(1);
    }

    @Test
    void resetClosesWithAnEmptyWindowAndForgetsFailedRounds() {
        List<CircuitBreakerEvent> events = new ArrayList<>();
        breaker.onEvent(events::add);
        for (int i = 0; i < 4; i++) {
            fail();
        }
        clock.advance(Duration.ofSeconds(10));
        fail(); // the probe fails: the next wait would be 20 s

        breaker.reset();
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        assertThat(breaker.snapshot().windowCalls()).isZero();
        for (int i = 0; i < 4; i++) {
            fail();
        }
        clock.advance(Duration.ofSeconds(10));

        assertThat(breaker.tryAcquirePermission()).as("back to the initial 10 s wait").isTrue();
        assertThat(events).filteredOn(CircuitBreakerEvent.StateTransition.class::isInstance)
                .extracting(e -> ((CircuitBreakerEvent.StateTransition) e).to())
                .containsExactly(State.OPEN, State.HALF_OPEN, State.OPEN, State.CLOSED, State.OPEN, State.HALF_OPEN);
    }

    @Test
    void resetOfAClosedBreakerStillStartsAFreshWindowAndSaysSo() {
        List<CircuitBreakerEvent> events = new ArrayList<>();
        breaker.onEvent(events::add);
        fail();

        breaker.reset();

        assertThat(breaker.snapshot().windowCalls()).isZero();
        assertThat(events).last().isEqualTo(new CircuitBreakerEvent.StateTransition("search",
                clock.currentTimeMillis(), State.CLOSED, State.CLOSED));
    }
}
