package dev.bulwark.resilience;

import java.util.concurrent.TimeUnit;

/**
 * The source of time for everything in Bulwark that waits or measures: windows, timeouts, backoffs,
 * leases. Production code uses {@link #system()}; tests pass a {@link ManualClock} and move time by hand,
 * so no test has to sleep.
 *
 * <pre>{@code
 * ManualClock clock = new ManualClock();
 * // build a policy with .clock(clock), make calls, then:
 * clock.advance(Duration.ofSeconds(30));
 * }</pre>
 *
 * <p>Implementations must be thread-safe.
 */
public interface Clock {

    /**
     * Monotonic time in nanoseconds, for measuring durations only: the origin is arbitrary, and only the
     * difference between two readings of the same clock means anything.
     */
    long nanoTime();

    /** Wall-clock time in milliseconds since the epoch, for timestamps that people read. */
    long currentTimeMillis();

    /**
     * Blocks the calling thread for the given time. A {@link ManualClock} does not block: it advances itself.
     *
     * @param nanos how long to wait; zero or negative returns at once
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    void sleep(long nanos) throws InterruptedException;

    /** The clock of the running JVM: {@link System#nanoTime()}, {@link System#currentTimeMillis()}, {@link Thread#sleep}. */
    static Clock system() {
        return SystemClock.INSTANCE;
    }
}

/** The JVM's clock. Sleeping parks the thread, which also frees a virtual thread's carrier. */
enum SystemClock implements Clock {
    INSTANCE;

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public long currentTimeMillis() {
        return System.currentTimeMillis();
    }

    @Override
    public void sleep(long nanos) throws InterruptedException {
        if (nanos > 0) {
            TimeUnit.NANOSECONDS.sleep(nanos);
        }
    }

    @Override
    public String toString() {
        return "Clock.system()";
    }
}
