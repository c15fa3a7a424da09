package dev.bulwark.cqrs;

import dev.bulwark.resilience.Clock;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Tries to apply one event, with exponential backoff between attempts, until it succeeds, the attempts are used up
 * or the runner is closing. The backoff is slept on the clock in short slices, so that closing the runner is not
 * held up by a long backoff (which is why this is not a resilience-core {@code Retry}: its synchronous backoff
 * cannot be cut short).
 */
final class EventAttempts {

    /** An action on the read model; an {@link ReadModel.ApplyFailure} is retried, anything else ends the run. */
    @FunctionalInterface
    interface Attempt {
        void run() throws Exception;
    }

    /**
     * How it ended.
     *
     * @param attempts the attempts made
     * @param failure the last attempt's failure, or {@code null} when it succeeded
     * @param stopped whether it gave up because the runner is closing (then neither success nor failure counts)
     */
    record Result(int attempts, Throwable failure, boolean stopped) {
        boolean succeeded() {
            return failure == null && !stopped;
        }
    }

    private static final long SLICE_NANOS = Duration.ofMillis(50).toNanos();

    private final int maxAttempts;
    private final long initialNanos;
    private final long maxNanos;
    private final Clock clock;
    private final BooleanSupplier stopping;

    EventAttempts(ProjectionConfig config, BooleanSupplier stopping) {
        this.maxAttempts = config.maxAttempts();
        this.initialNanos = config.initialBackoff().toNanos();
        this.maxNanos = config.maxBackoff().toNanos();
        this.clock = config.clock();
        this.stopping = stopping;
    }

    Result run(Attempt attempt) throws Exception {
        Throwable last = null;
        long backoff = initialNanos;
        for (int n = 1; n <= maxAttempts; n++) {
            try {
                attempt.run();
                return new Result(n, null, false);
            } catch (ReadModel.ApplyFailure e) {
                last = e.getCause();
            }
            if (n == maxAttempts) {
                return new Result(n, last, false);
            }
            if (!sleep(backoff)) {
                return new Result(n, last, true);
            }
            backoff = Math.min(maxNanos, backoff > maxNanos / 2 ? maxNanos : backoff * 2);
        }
        throw new AssertionError("unreachable");
    }

    /** Sleeps on the clock in slices; false if the runner began closing. */
    boolean sleep(long nanos) throws InterruptedException {
        long start = clock.nanoTime();
        long left;
        while ((left = nanos - (clock.nanoTime() - start)) > 0) {
            if (stopping.getAsBoolean()) {
                return false;
            }
            clock.sleep(Math.min(left, SLICE_NANOS));
        }
        return !stopping.getAsBoolean();
    }
}
