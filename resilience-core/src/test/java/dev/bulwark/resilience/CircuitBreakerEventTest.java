package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.resilience.CircuitBreaker.State;
import dev.bulwark.resilience.CircuitBreakerConfig.SlidingWindowType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** What listeners are told. */
class CircuitBreakerEventTest {
    private final ManualClock clock = new ManualClock();
    private final CircuitBreaker breaker = CircuitBreaker.of("mail", CircuitBreakerConfig.builder().clock(clock)
            .slidingWindow(SlidingWindowType.COUNT_BASED, 3)
            .slowCallDurationThreshold(Duration.ofSeconds(1))
            .ignoreExceptions(IllegalArgumentException.class)
            .recordResult("bounced"::equals)
            .build());
    private final List<CircuitBreakerEvent> events = new ArrayList<>();

    {
        breaker.onEvent(events::add);
    }

    private long now() {
        return clock.currentTimeMillis();
    }

    @Test
    void aSuccessIsReported() {
        breaker.call(() -> {
            clock.advance(Duration.ofMillis(5));
            return "sent";
        });

        assertThat(events).containsExactly(new CircuitBreakerEvent.CallSucceeded("mail", now(), Duration.ofMillis(5)));
    }

    @Test
    void aSlowSuccessIsReportedAsSuccessAndAsSlow() {
        breaker.call(() -> {
            clock.advance(Duration.ofSeconds(2));
            return "sent";
        });

        assertThat(events).containsExactly(
                new CircuitBreakerEvent.CallSucceeded("mail", now(), Duration.ofSeconds(2)),
                new CircuitBreakerEvent.CallSlow("mail", now(), Duration.ofSeconds(2), false));
    }

    @Test
    void aFailureIsReportedWithItsError() {
        IllegalStateException down = new IllegalStateException("down");

        breaker.attempt(() -> {
            throw down;
        });

        assertThat(events).containsExactly(new CircuitBreakerEvent.CallFailed("mail", now(), Duration.ZERO, down));
    }

    @Test
    void aFailedResultIsReportedWithTheResult() {
        breaker.call(() -> "bounced");

        assertThat(events).containsExactly(new CircuitBreakerEvent.ResultFailed("mail", now(), Duration.ZERO, "bounced"));
    }

    @Test
    void anIgnoredErrorIsReported() {
        IllegalArgumentException bad = new IllegalArgumentException("bad address");

        breaker.attempt(() -> {
            throw bad;
        });

        assertThat(events).containsExactly(new CircuitBreakerEvent.ErrorIgnored("mail", now(), Duration.ZERO, bad));
    }

    @Test
    void transitionsAndRejectionsAreReported() {
        for (int i = 0; i < 3; i++) {
            breaker.call(() -> "bounced");
        }
        events.clear();

        breaker.attempt(() -> "rejected");

        assertThat(events).containsExactly(new CircuitBreakerEvent.CallRejected("mail", now(), State.OPEN));
        breaker.transitionToHalfOpen();
        assertThat(events).last()
                .isEqualTo(new CircuitBreakerEvent.StateTransition("mail", now(), State.OPEN, State.HALF_OPEN));
    }

    @Test
    void aThrowingListenerNeitherBreaksTheBreakerNorSilencesTheOthers() {
        CircuitBreaker fresh = CircuitBreaker.of("mail", CircuitBreakerConfig.builder().clock(clock).build());
        List<CircuitBreakerEvent> seen = new ArrayList<>();
        fresh.onEvent(event -> {
            throw new IllegalStateException("listener bug");
        });
        fresh.onEvent(seen::add);

        assertThat(fresh.call(() -> "sent")).isEqualTo("sent");

        assertThat(seen).hasSize(1);
    }

    @Test
    void aRemovedListenerHearsNothingMore() {
        Consumer<CircuitBreakerEvent> listener = events::add;
        breaker.onEvent(listener);
        breaker.call(() -> "one");
        assertThat(events).hasSize(2);

        assertThat(breaker.removeListener(listener)).isTrue();
        assertThat(breaker.removeListener(listener)).isFalse();
        breaker.call(() -> "two");

        assertThat(events).hasSize(3);
    }
}
