package dev.bulwark.resilience;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * The settings of a {@link Hedge}.
 *
 * <pre>{@code
 * HedgeConfig config = HedgeConfig.builder()
 *         .maxHedges(1)
 *         .delay(HedgeDelay.percentile(95.0, Duration.ofMillis(40)))
 *         .budget(RetryBudget.ofDefaults("search"))
 *         .build();
 * }</pre>
 *
 * @param maxHedges the most extra attempts per call; at least 1
 * @param delay how long to wait for an answer before each extra attempt
 * @param latencySamples how many recent latencies a percentile delay is computed over; a power of two in
 *     [16, 65536]
 * @param executor where synchronous calls run their attempts, or {@code null} (then synchronous calls are
 *     refused: hedging needs a second thread); the caller owns it
 * @param budget the retry budget hedges draw on, or {@code null} for none
 * @param clock measures latencies
 * @param scheduler waits the hedge delay
 * @param contextPropagator carries thread-bound context into hedged attempts
 */
public record HedgeConfig(int maxHedges, HedgeDelay delay, int latencySamples, Executor executor, RetryBudget budget,
        Clock clock, Scheduler scheduler, ContextPropagator contextPropagator) {

    public HedgeConfig {
        checkMaxHedges(maxHedges);
        Objects.requireNonNull(delay, "delay");
        checkLatencySamples(latencySamples);
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(contextPropagator, "contextPropagator");
    }

    /** One hedge after the p95 latency (100 ms until known), 256 samples, no budget, system clock. */
    public static HedgeConfig defaults() {
        return builder().build();
    }

    /** A builder starting from {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    private static void checkMaxHedges(int maxHedges) {
        if (maxHedges < 1) {
            throw new IllegalArgumentException("maxHedges must be at least 1, was " + maxHedges);
        }
    }

    private static void checkLatencySamples(int samples) {
        if (samples < 16 || samples > 65536 || Integer.bitCount(samples) != 1) {
            throw new IllegalArgumentException("latencySamples must be a power of two in [16, 65536], was " + samples);
        }
    }

    /** Builds a {@link HedgeConfig}; each setter rejects a bad value at once. */
    public static final class Builder {
        private int maxHedges = 1;
        private HedgeDelay delay = HedgeDelay.percentile(95.0, Duration.ofMillis(100));
        private int latencySamples = 256;
        private Executor executor;
        private RetryBudget budget;
        private Clock clock = Clock.system();
        private Scheduler scheduler = Scheduler.system();
        private ContextPropagator contextPropagator = ContextPropagator.none();

        private Builder() {}

        /** The most extra attempts per call. */
        public Builder maxHedges(int maxHedges) {
            checkMaxHedges(maxHedges);
            this.maxHedges = maxHedges;
            return this;
        }

        /** How long to wait before each extra attempt. */
        public Builder delay(HedgeDelay delay) {
            this.delay = Objects.requireNonNull(delay, "delay");
            return this;
        }

        /** How many recent latencies a percentile delay is computed over. */
        public Builder latencySamples(int latencySamples) {
            checkLatencySamples(latencySamples);
            this.latencySamples = latencySamples;
            return this;
        }

        /** Where synchronous calls run their attempts. */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** The retry budget hedges draw on. */
        public Builder budget(RetryBudget budget) {
            this.budget = Objects.requireNonNull(budget, "budget");
            return this;
        }

        /** The clock that measures latencies. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The scheduler that waits the hedge delay. */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** Carries thread-bound context into hedged attempts. */
        public Builder contextPropagator(ContextPropagator contextPropagator) {
            this.contextPropagator = Objects.requireNonNull(contextPropagator, "contextPropagator");
            return this;
        }

        public HedgeConfig build() {
            return new HedgeConfig(maxHedges, delay, latencySamples, executor, budget, clock, scheduler,
                    contextPropagator);
        }
    }
}
