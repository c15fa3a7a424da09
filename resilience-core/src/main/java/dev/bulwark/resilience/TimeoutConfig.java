package dev.bulwark.resilience;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * The settings of a {@link Timeout}.
 *
 * <pre>{@code
 * ExecutorService workers = Executors.newCachedThreadPool(); // or a virtual-thread executor on Java 21+
 * TimeoutConfig config = TimeoutConfig.builder()
 *         .timeout(Duration.ofMillis(800))
 *         .executor(workers)   // synchronous calls run there and are interrupted on timeout
 *         .build();
 * }</pre>
 *
 * @param timeout how long a call may take; positive
 * @param executor where synchronous calls run so that they can be interrupted, or {@code null} to run them
 *     on the caller's thread (then a late call is not interrupted, but its result is replaced by a
 *     {@link TimeoutExceededException}); the caller owns and shuts down the executor
 * @param clock measures synchronous calls that run on the caller's thread, and sets the {@link Deadline}
 * @param scheduler fires the timeout of asynchronous calls and of synchronous calls on the executor
 * @param contextPropagator carries thread-bound context to the executor and to the scheduler's thread
 */
public record TimeoutConfig(Duration timeout, Executor executor, Clock clock, Scheduler scheduler,
        ContextPropagator contextPropagator) {

    public TimeoutConfig {
        checkTimeout(timeout);
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(contextPropagator, "contextPropagator");
    }

    /** One second, synchronous calls on the caller's thread, system clock and scheduler. */
    public static TimeoutConfig defaults() {
        return builder().build();
    }

    /** A builder starting from {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    private static void checkTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
    }

    /** Builds a {@link TimeoutConfig}; each setter rejects a bad value at once. */
    public static final class Builder {
        private Duration timeout = Duration.ofSeconds(1);
        private Executor executor;
        private Clock clock = Clock.system();
        private Scheduler scheduler = Scheduler.system();
        private ContextPropagator contextPropagator = ContextPropagator.none();

        private Builder() {}

        /** How long a call may take. */
        public Builder timeout(Duration timeout) {
            checkTimeout(timeout);
            this.timeout = timeout;
            return this;
        }

        /** Where synchronous calls run, so that they can be interrupted on timeout. */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** The clock that measures calls and sets deadlines. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The scheduler that fires timeouts. */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** Carries thread-bound context to the executor and the scheduler's thread. */
        public Builder contextPropagator(ContextPropagator contextPropagator) {
            this.contextPropagator = Objects.requireNonNull(contextPropagator, "contextPropagator");
            return this;
        }

        public TimeoutConfig build() {
            return new TimeoutConfig(timeout, executor, clock, scheduler, contextPropagator);
        }
    }
}
