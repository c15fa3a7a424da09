package dev.bulwark.resilience;

import java.time.Duration;
import java.util.Objects;

/**
 * Something that happened to a {@link CircuitBreaker}, as told to its listeners. Every event names the
 * breaker and carries the wall-clock time of the breaker's clock, in epoch milliseconds.
 *
 * <pre>{@code
 * breaker.onEvent(event -> {
 *     if (event instanceof CircuitBreakerEvent.StateTransition transition) {
 *         alerts.send(transition.breakerName() + " is now " + transition.to());
 *     }
 * });
 * }</pre>
 *
 * <p>A slow call emits {@link CallSlow} in addition to its success or failure event.
 */
public sealed interface CircuitBreakerEvent {

    /** The name of the breaker. */
    String breakerName();

    /** When it happened, in milliseconds since the epoch, by the breaker's clock. */
    long timestampMillis();

    /** The breaker moved from one state to another ({@code from == to} when {@code reset()} restarted CLOSED). */
    record StateTransition(String breakerName, long timestampMillis, CircuitBreaker.State from,
            CircuitBreaker.State to) implements CircuitBreakerEvent {
        public StateTransition {
            Objects.requireNonNull(breakerName, "breakerName");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
        }
    }

    /** A call succeeded after {@code elapsed}. */
    record CallSucceeded(String breakerName, long timestampMillis, Duration elapsed) implements CircuitBreakerEvent {
        public CallSucceeded {
            Objects.requireNonNull(breakerName, "breakerName");
            Objects.requireNonNull(elapsed, "elapsed");
        }
    }

    /** A call threw {@code error}, recorded as a failure, after {@code elapsed}. */
    record CallFailed(String breakerName, long timestampMillis, Duration elapsed, Throwable error)
            implements CircuitBreakerEvent {
        public CallFailed {
            Objects.requireNonNull(breakerName, "breakerName");
            Objects.requireNonNull(elapsed, "elapsed");
            Objects.requireNonNull(error, "error");
        }
    }

    /** A call returned {@code result} (possibly {@code null}), which the config counts as a failure. */
    record ResultFailed(String breakerName, long timestampMillis, Duration elapsed, Object result)
            implements CircuitBreakerEvent {
        public ResultFailed {
            Objects.requireNonNull(breakerName, "breakerName");
            Objects.requireNonNull(elapsed, "elapsed");
        }
    }

    /** A call threw {@code error}, which the config ignores: not recorded, its permit returned. */
    record ErrorIgnored(String breakerName, long timestampMillis, Duration elapsed, Throwable error)
            implements CircuitBreakerEvent {
        public ErrorIgnored {
            Objects.requireNonNull(breakerName, "breakerName");
            Objects.requireNonNull(elapsed, "elapsed");
            Objects.requireNonNull(error, "error");
        }
    }

    /** A call took {@code elapsed}, longer than the slow-call threshold; {@code failed} says how it ended. */
    record CallSlow(String breakerName, long timestampMillis, Duration elapsed, boolean failed)
            implements CircuitBreakerEvent {
        public CallSlow {
            Objects.requireNonNull(breakerName, "breakerName");
            Objects.requireNonNull(elapsed, "elapsed");
        }
    }

    /** A call was refused in {@code state} (OPEN, FORCED_OPEN, or HALF_OPEN with all probes in flight). */
    record CallRejected(String breakerName, long timestampMillis, CircuitBreaker.State state)
            implements CircuitBreakerEvent {
        public CallRejected {
            Objects.requireNonNull(breakerName, "breakerName");
            Objects.requireNonNull(state, "state");
        }
    }
}
