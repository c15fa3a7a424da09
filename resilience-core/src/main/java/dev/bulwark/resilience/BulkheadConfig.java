package dev.bulwark.resilience;

import java.time.Duration;
import java.util.Objects;

/**
 * The settings of a {@link Bulkhead}: how many calls may run at once, and how long a call may wait for a
 * permit when all are taken.
 *
 * <pre>{@code
 * BulkheadConfig config = BulkheadConfig.builder()
 *         .maxConcurrentCalls(10)
 *         .maxWait(Duration.ofMillis(50))
 *         .build();
 * Bulkhead bulkhead = Bulkhead.of("payments", config);
 * }</pre>
 *
 * @param maxConcurrentCalls how many calls may hold a permit at the same time; at least 1
 * @param maxWait how long a call waits for a permit before it is rejected; {@link Duration#ZERO} rejects at once
 * @param clock measures the waits of synchronous callers
 * @param scheduler ends the waits of queued calls when {@code maxWait} has passed, and starts queued
 *     asynchronous calls when a permit frees
 */
public record BulkheadConfig(int maxConcurrentCalls, Duration maxWait, Clock clock, Scheduler scheduler) {
    static final int DEFAULT_MAX_CONCURRENT_CALLS = 25;

    /** Validates every setting; see {@link Builder} for the rules and messages. */
    public BulkheadConfig {
        SettingChecks.atLeast("maxConcurrentCalls", maxConcurrentCalls, 1);
        SettingChecks.notNegative("maxWait", maxWait);
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(scheduler, "scheduler");
    }

    /** 25 concurrent calls, no waiting, the system clock and scheduler. */
    public static BulkheadConfig defaults() {
        return builder().build();
    }

    /** A builder that starts from the {@linkplain #defaults() defaults}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link BulkheadConfig}; each setter rejects a bad value at once. Not thread-safe. */
    public static final class Builder {
        private int maxConcurrentCalls = DEFAULT_MAX_CONCURRENT_CALLS;
        private Duration maxWait = Duration.ZERO;
        private Clock clock = Clock.system();
        private Scheduler scheduler = Scheduler.system();

        private Builder() {}

        /** @throws IllegalArgumentException if {@code maxConcurrentCalls} is less than 1 */
        public Builder maxConcurrentCalls(int maxConcurrentCalls) {
            this.maxConcurrentCalls = SettingChecks.atLeast("maxConcurrentCalls", maxConcurrentCalls, 1);
            return this;
        }

        /** @throws IllegalArgumentException if {@code maxWait} is negative */
        public Builder maxWait(Duration maxWait) {
            this.maxWait = SettingChecks.notNegative("maxWait", maxWait);
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        public BulkheadConfig build() {
            return new BulkheadConfig(maxConcurrentCalls, maxWait, clock, scheduler);
        }
    }
}
