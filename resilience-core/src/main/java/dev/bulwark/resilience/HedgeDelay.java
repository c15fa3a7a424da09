package dev.bulwark.resilience;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a {@link Hedge} waits for an answer before it starts another attempt.
 *
 * <pre>{@code
 * HedgeDelay.fixed(Duration.ofMillis(50));
 * HedgeDelay.percentile(95.0, Duration.ofMillis(50)); // the p95 of recent latencies; 50 ms until enough are seen
 * }</pre>
 */
public sealed interface HedgeDelay {

    /** Always the same delay. */
    static HedgeDelay fixed(Duration delay) {
        return new Fixed(delay);
    }

    /**
     * The given percentile of the latencies the hedge recently observed (of the attempts that answered
     * first), so that only the slowest calls are hedged; {@code initial} until enough latencies are recorded.
     */
    static HedgeDelay percentile(double percentile, Duration initial) {
        return new Percentile(percentile, initial);
    }

    /** See {@link #fixed(Duration)}. */
    record Fixed(Duration delay) implements HedgeDelay {
        public Fixed {
            Objects.requireNonNull(delay, "delay");
            if (delay.isNegative()) {
                throw new IllegalArgumentException("delay must not be negative, was " + delay);
            }
        }
    }

    /** See {@link #percentile(double, Duration)}. */
    record Percentile(double percentile, Duration initial) implements HedgeDelay {
        public Percentile {
            if (!(percentile > 0.0 && percentile < 100.0)) {
                throw new IllegalArgumentException("percentile must be in (0, 100), was " + percentile);
            }
            Objects.requireNonNull(initial, "initial");
            if (initial.isNegative()) {
                throw new IllegalArgumentException("initial must not be negative, was " + initial);
            }
        }
    }
}
