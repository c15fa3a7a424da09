package dev.bulwark.eventstore;

import dev.bulwark.resilience.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * The settings every backend shares.
 *
 * <pre>{@code
 * EventStoreSettings settings = EventStoreSettings.builder(EventSerializer.create(registry))
 *         .maxEventBytes(64 * 1024)
 *         .recreateDeletedStreams(false)
 *         .build();
 * }</pre>
 *
 * @param serializer turns events and snapshots into JSON and back
 * @param clock stamps events and snapshots, and times waits and retries
 * @param maxEventBytes the largest event (data plus metadata JSON, in bytes) an append accepts
 * @param maxEventsPerAppend the most events one append (or one multi-stream append) may carry, 1 to 65,535
 * @param recreateDeletedStreams whether appending to a deleted stream recreates it, or fails with
 *     {@link StreamDeletedException}
 * @param subscriptionBatchSize how many events a subscription reads at a time: the bound on its memory
 * @param safetyPollInterval how often a caught-up subscription reads anyway when no wake-up signal came
 * @param retryDelay how long a subscription waits after a transient failure before reading again
 */
public record EventStoreSettings(
        EventSerializer serializer,
        Clock clock,
        int maxEventBytes,
        int maxEventsPerAppend,
        boolean recreateDeletedStreams,
        int subscriptionBatchSize,
        Duration safetyPollInterval,
        Duration retryDelay) {

    /** The hard limit of {@link #maxEventsPerAppend()}: positions leave 16 bits for the events of one transaction. */
    public static final int MAX_EVENTS_PER_APPEND_LIMIT = 65_535;

    public EventStoreSettings {
        Objects.requireNonNull(serializer, "serializer");
        Objects.requireNonNull(clock, "clock");
        requireAtLeast("maxEventBytes", maxEventBytes, 1);
        requireAtLeast("maxEventsPerAppend", maxEventsPerAppend, 1);
        if (maxEventsPerAppend > MAX_EVENTS_PER_APPEND_LIMIT) {
            throw new IllegalArgumentException("maxEventsPerAppend must be at most " + MAX_EVENTS_PER_APPEND_LIMIT
                    + ", was " + maxEventsPerAppend);
        }
        requireAtLeast("subscriptionBatchSize", subscriptionBatchSize, 1);
        requirePositive("safetyPollInterval", safetyPollInterval);
        requirePositive("retryDelay", retryDelay);
    }

    /** The defaults: system clock, 1 MiB events, 10,000 events per append, recreation allowed, batches of 500,
     *  a 2-second safety poll and a 1-second retry delay. */
    public static EventStoreSettings defaults(EventSerializer serializer) {
        return builder(serializer).build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder(EventSerializer serializer) {
        return new Builder(serializer);
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        return new Builder(serializer).clock(clock).maxEventBytes(maxEventBytes).maxEventsPerAppend(maxEventsPerAppend)
                .recreateDeletedStreams(recreateDeletedStreams).subscriptionBatchSize(subscriptionBatchSize)
                .safetyPollInterval(safetyPollInterval).retryDelay(retryDelay);
    }

    private static void requireAtLeast(String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be >= " + min + ", was " + value);
        }
    }

    private static void requirePositive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }

    /** Builds {@link EventStoreSettings}; each value is checked when the record is built. Not thread-safe. */
    public static final class Builder {
        private final EventSerializer serializer;
        private Clock clock = Clock.system();
        private int maxEventBytes = 1024 * 1024;
        private int maxEventsPerAppend = 10_000;
        private boolean recreateDeletedStreams = true;
        private int subscriptionBatchSize = 500;
        private Duration safetyPollInterval = Duration.ofSeconds(2);
        private Duration retryDelay = Duration.ofSeconds(1);

        private Builder(EventSerializer serializer) {
            this.serializer = Objects.requireNonNull(serializer, "serializer");
        }

        /** See {@link EventStoreSettings#clock()}. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** See {@link EventStoreSettings#maxEventBytes()}. */
        public Builder maxEventBytes(int maxEventBytes) {
            requireAtLeast("maxEventBytes", maxEventBytes, 1);
            this.maxEventBytes = maxEventBytes;
            return this;
        }

        /** See {@link EventStoreSettings#maxEventsPerAppend()}. */
        public Builder maxEventsPerAppend(int maxEventsPerAppend) {
            requireAtLeast("maxEventsPerAppend", maxEventsPerAppend, 1);
            this.maxEventsPerAppend = maxEventsPerAppend;
            return this;
        }

        /** See {@link EventStoreSettings#recreateDeletedStreams()}. */
        public Builder recreateDeletedStreams(boolean recreateDeletedStreams) {
            this.recreateDeletedStreams = recreateDeletedStreams;
            return this;
        }

        /** See {@link EventStoreSettings#subscriptionBatchSize()}. */
        public Builder subscriptionBatchSize(int subscriptionBatchSize) {
            requireAtLeast("subscriptionBatchSize", subscriptionBatchSize, 1);
            this.subscriptionBatchSize = subscriptionBatchSize;
            return this;
        }

        /** See {@link EventStoreSettings#safetyPollInterval()}. */
        public Builder safetyPollInterval(Duration safetyPollInterval) {
            requirePositive("safetyPollInterval", safetyPollInterval);
            this.safetyPollInterval = safetyPollInterval;
            return this;
        }

        /** See {@link EventStoreSettings#retryDelay()}. */
        public Builder retryDelay(Duration retryDelay) {
            requirePositive("retryDelay", retryDelay);
            this.retryDelay = retryDelay;
            return this;
        }

        /** The settings. */
        public EventStoreSettings build() {
            return new EventStoreSettings(serializer, clock, maxEventBytes, maxEventsPerAppend, recreateDeletedStreams,
                    subscriptionBatchSize, safetyPollInterval, retryDelay);
        }
    }
}
