package dev.bulwark.cqrs;

import dev.bulwark.resilience.Clock;
import dev.bulwark.resilience.Scheduler;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * The settings of a {@link QueryBus}.
 *
 * <pre>{@code
 * ExecutorService executor = Executors.newFixedThreadPool(4);
 * QueryBusConfig config = QueryBusConfig.builder().executor(executor).subscriptionBufferSize(256).build();
 * }</pre>
 *
 * @param executor where handlers run; {@link CommandBusConfig#CALLER_THREAD} runs them on the caller's thread,
 *     one after another in a scatter-gather
 * @param clock measures scatter-gather deadlines
 * @param scheduler fires scatter-gather timeouts
 * @param subscriptionBufferSize the most updates a subscription query holds while its initial result is not ready
 */
public record QueryBusConfig(Executor executor, Clock clock, Scheduler scheduler, int subscriptionBufferSize) {

    public QueryBusConfig {
        Objects.requireNonNull(executor, "executor");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(scheduler, "scheduler");
        requireBufferSize(subscriptionBufferSize);
    }

    /** Handlers on the caller's thread, system time, a buffer of 1,024 updates. */
    public static QueryBusConfig defaults() {
        return builder().build();
    }

    /** A builder starting from {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    private static void requireBufferSize(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("subscriptionBufferSize must be at least 1, was " + size);
        }
    }

    /** Builds a {@link QueryBusConfig}; each setter rejects a bad value at once. Not thread-safe. */
    public static final class Builder {
        private Executor executor = CommandBusConfig.CALLER_THREAD;
        private Clock clock = Clock.system();
        private Scheduler scheduler = Scheduler.system();
        private int subscriptionBufferSize = 1024;

        private Builder() {}

        /** Where handlers run. */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** The clock of scatter-gather deadlines. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The scheduler of scatter-gather timeouts. */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** The most updates held before a subscription's initial result. */
        public Builder subscriptionBufferSize(int subscriptionBufferSize) {
            requireBufferSize(subscriptionBufferSize);
            this.subscriptionBufferSize = subscriptionBufferSize;
            return this;
        }

        /** The config. */
        public QueryBusConfig build() {
            return new QueryBusConfig(executor, clock, scheduler, subscriptionBufferSize);
        }
    }
}
