package dev.bulwark.cqrs;

import dev.bulwark.resilience.Clock;
import dev.bulwark.resilience.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * The settings of a {@link CommandBus}.
 *
 * <pre>{@code
 * CommandBusConfig config = CommandBusConfig.builder()
 *         .addDispatchInterceptor(validation)
 *         .addHandlerInterceptor(logging)
 *         .addHandlerInterceptor(transaction)
 *         .deduplication(Duration.ofMinutes(10), 100_000)
 *         .build();
 * }</pre>
 *
 * @param dispatchInterceptors run in this order on the sender's thread; copied
 * @param handlerInterceptors wrap the handler, the first outermost; copied
 * @param deduplicationWindow how long after a command with an id completed successfully a resend with the same id
 *     gets the first result instead of running again
 * @param deduplicationCapacity the most command ids remembered at once; beyond it the oldest are forgotten early
 * @param executor where handlers run; {@link #CALLER_THREAD} runs them on the sender's thread
 * @param clock measures the deduplication window
 * @param scheduler times {@link CommandBus#sendAndWait} timeouts
 */
public record CommandBusConfig(
        List<CommandDispatchInterceptor> dispatchInterceptors,
        List<CommandHandlerInterceptor> handlerInterceptors,
        Duration deduplicationWindow,
        int deduplicationCapacity,
        Executor executor,
        Clock clock,
        Scheduler scheduler) {

    /** Runs each handler on the thread that sends the command: {@code send} then returns a completed stage. */
    public static final Executor CALLER_THREAD = new Executor() {
        @Override
        public void execute(Runnable command) {
            command.run();
        }

        @Override
        public String toString() {
            return "CALLER_THREAD";
        }
    };

    public CommandBusConfig {
        dispatchInterceptors = copyWithoutNulls(dispatchInterceptors, "dispatchInterceptors");
        handlerInterceptors = copyWithoutNulls(handlerInterceptors, "handlerInterceptors");
        requirePositive(deduplicationWindow);
        requireCapacity(deduplicationCapacity);
        Objects.requireNonNull(executor, "executor");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(scheduler, "scheduler");
    }

    /** No interceptors, a 10-minute window for at most 10,000 ids, handlers on the caller's thread, system time. */
    public static CommandBusConfig defaults() {
        return builder().build();
    }

    /** A builder starting from {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    private static <T> List<T> copyWithoutNulls(List<T> list, String name) {
        Objects.requireNonNull(list, name);
        for (int i = 0; i < list.size(); i++) {
            Objects.requireNonNull(list.get(i), name + "[" + i + "]");
        }
        return List.copyOf(list);
    }

    private static void requirePositive(Duration window) {
        Objects.requireNonNull(window, "deduplicationWindow");
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("deduplicationWindow must be positive, was " + window);
        }
    }

    private static void requireCapacity(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("deduplicationCapacity must be at least 1, was " + capacity);
        }
    }

    /** Builds a {@link CommandBusConfig}; each setter rejects a bad value at once. Not thread-safe. */
    public static final class Builder {
        private final List<CommandDispatchInterceptor> dispatchInterceptors = new ArrayList<>();
        private final List<CommandHandlerInterceptor> handlerInterceptors = new ArrayList<>();
        private Duration deduplicationWindow = Duration.ofMinutes(10);
        private int deduplicationCapacity = 10_000;
        private Executor executor = CALLER_THREAD;
        private Clock clock = Clock.system();
        private Scheduler scheduler = Scheduler.system();

        private Builder() {}

        /** Adds a dispatch interceptor after those added before. */
        public Builder addDispatchInterceptor(CommandDispatchInterceptor interceptor) {
            dispatchInterceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
            return this;
        }

        /** Adds a handler interceptor inside those added before. */
        public Builder addHandlerInterceptor(CommandHandlerInterceptor interceptor) {
            handlerInterceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
            return this;
        }

        /** How long, and for how many ids at most, command ids are remembered. */
        public Builder deduplication(Duration window, int capacity) {
            requirePositive(window);
            requireCapacity(capacity);
            this.deduplicationWindow = window;
            this.deduplicationCapacity = capacity;
            return this;
        }

        /** Where handlers run (default: {@link #CALLER_THREAD}). */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** The clock of the deduplication window. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The scheduler that times {@code sendAndWait}. */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** The config. */
        public CommandBusConfig build() {
            return new CommandBusConfig(dispatchInterceptors, handlerInterceptors, deduplicationWindow,
                    deduplicationCapacity, executor, clock, scheduler);
        }
    }
}
