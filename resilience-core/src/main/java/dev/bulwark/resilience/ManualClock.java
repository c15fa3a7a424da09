package dev.bulwark.resilience;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Clock} that moves only when told to, for deterministic tests of code that uses Bulwark.
 *
 * <p>{@link #sleep(long)} does not block: it advances the clock by the requested time and returns, so a
 * retry with a ten-second backoff finishes at once while the policy sees ten seconds pass. The clock
 * starts at an arbitrary non-zero reading, so code that wrongly treats {@code nanoTime()} as absolute
 * shows up in tests.
 *
 * <pre>{@code
 * ManualClock clock = new ManualClock();
 * long start = clock.nanoTime();
 * clock.advance(Duration.ofMillis(250));
 * assert clock.nanoTime() - start == 250_000_000L;
 * }</pre>
 *
 * <p>Thread-safe: readings and advances are atomic.
 */
public final class ManualClock implements Clock {
    private static final long START_NANOS = 1_000_000_000_000L;

    private final long startMillis;
    private final AtomicLong nanos = new AtomicLong(START_NANOS);

    /** A clock whose wall time starts at 2026-01-01T00:00:00Z. */
    public ManualClock() {
        this(1_767_225_600_000L);
    }

    /**
     * A clock whose wall time starts at the given epoch milliseconds.
     *
     * @param startMillis the wall-clock reading at creation, in milliseconds since the epoch
     */
    public ManualClock(long startMillis) {
        this.startMillis = startMillis;
    }

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    @Override
    public long currentTimeMillis() {
        return startMillis + (nanos.get() - START_NANOS) / 1_000_000L;
    }

    /** Advances the clock by {@code nanos} and returns at once. */
    @Override
    public void sleep(long nanos) {
        if (nanos > 0) {
            advanceNanos(nanos);
        }
    }

    /**
     * Moves the clock forward.
     *
     * @throws IllegalArgumentException if the duration is negative: time does not run backwards
     */
    public void advance(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative, was " + duration);
        }
        advanceNanos(duration.toNanos());
    }

    /**
     * Moves the clock forward by the given nanoseconds.
     *
     * @throws IllegalArgumentException if {@code nanos} is negative
     */
    public void advanceNanos(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("nanos must not be negative, was " + nanos);
        }
        this.nanos.addAndGet(nanos);
    }

    @Override
    public String toString() {
        return "ManualClock[+" + Duration.ofNanos(nanos.get() - START_NANOS) + "]";
    }
}
