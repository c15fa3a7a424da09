package dev.bulwark.cqrs;

import dev.bulwark.eventstore.EventFilter;
import dev.bulwark.eventstore.RecordedEvent;
import dev.bulwark.resilience.Clock;
import dev.bulwark.resilience.Scheduler;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * The settings of a {@link ProjectionRunner}.
 *
 * <pre>{@code
 * ExecutorService executor = Executors.newSingleThreadExecutor();
 * ProjectionConfig config = ProjectionConfig.builder(executor)
 *         .filter(EventFilter.categories("order"))
 *         .batchSize(200)
 *         .retries(5, Duration.ofMillis(100), Duration.ofSeconds(5))
 *         .build();
 * }</pre>
 *
 * @param executor runs the projection: it takes one thread for as long as the runner runs
 * @param filter which events of the global log the projection receives
 * @param keyOf the key events are parked under: events with the same key are applied in order, so when one is
 *     parked the later ones with its key are parked behind it (default: the stream id)
 * @param batchSize the most events read, and for a JDBC projection applied in one transaction, at a time while
 *     catching up
 * @param maxAttempts how often an event is tried before it is parked, at least 1
 * @param initialBackoff the wait after the first failed attempt; it doubles after each further one
 * @param maxBackoff the longest wait between attempts
 * @param restartDelay the wait before starting again after the event store or the database failed
 * @param lockPollInterval how often a JDBC runner on standby tries to become the active one
 * @param awaitPollInterval how often {@link ProjectionRunner#awaitPosition} checks progress it is not told about
 *     (events the filter skips; progress made by the runner of another node)
 * @param clock times backoffs, restart delays, standby polls and lag (a {@code ManualClock} makes these waits return
 *     at once: fine for an in-memory projection in a test, a busy loop for a JDBC runner on standby)
 * @param scheduler times {@link ProjectionRunner#awaitPosition} polls and timeouts
 */
public record ProjectionConfig(
        Executor executor,
        EventFilter filter,
        Function<RecordedEvent, String> keyOf,
        int batchSize,
        int maxAttempts,
        Duration initialBackoff,
        Duration maxBackoff,
        Duration restartDelay,
        Duration lockPollInterval,
        Duration awaitPollInterval,
        Clock clock,
        Scheduler scheduler) {

    public ProjectionConfig {
        Objects.requireNonNull(executor, "executor");
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(keyOf, "keyOf");
        requireAtLeastOne("batchSize", batchSize);
        requireAtLeastOne("maxAttempts", maxAttempts);
        requirePositive("initialBackoff", initialBackoff);
        requirePositive("maxBackoff", maxBackoff);
        requirePositive("restartDelay", restartDelay);
        requirePositive("lockPollInterval", lockPollInterval);
        requirePositive("awaitPollInterval", awaitPollInterval);
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(scheduler, "scheduler");
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalStateException("maxBackoff (" + maxBackoff + ") must not be shorter than initialBackoff ("
                    + initialBackoff + ")");
        }
    }

    /**
     * A builder with the defaults: every event, keyed by stream id, batches of 100, 5 attempts with backoff from
     * 100 ms to 5 s, restart after 1 s, standby polls every second, progress polls every 50 ms, system time.
     */
    public static Builder builder(Executor executor) {
        return new Builder(executor);
    }

    private static void requireAtLeastOne(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, was " + value);
        }
    }

    private static void requirePositive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }

    /** Builds a {@link ProjectionConfig}; each setter rejects a bad value at once, {@link #build()} a bad mix. */
    public static final class Builder {
        private final Executor executor;
        private EventFilter filter = EventFilter.ALL;
        private Function<RecordedEvent, String> keyOf = RecordedEvent::streamId;
        private int batchSize = 100;
        private int maxAttempts = 5;
        private Duration initialBackoff = Duration.ofMillis(100);
        private Duration maxBackoff = Duration.ofSeconds(5);
        private Duration restartDelay = Duration.ofSeconds(1);
        private Duration lockPollInterval = Duration.ofSeconds(1);
        private Duration awaitPollInterval = Duration.ofMillis(50);
        private Clock clock = Clock.system();
        private Scheduler scheduler = Scheduler.system();

        private Builder(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
        }

        /** Which events the projection receives. */
        public Builder filter(EventFilter filter) {
            this.filter = Objects.requireNonNull(filter, "filter");
            return this;
        }

        /** The key events are parked under. */
        public Builder keyOf(Function<RecordedEvent, String> keyOf) {
            this.keyOf = Objects.requireNonNull(keyOf, "keyOf");
            return this;
        }

        /** The catch-up batch size. */
        public Builder batchSize(int batchSize) {
            requireAtLeastOne("batchSize", batchSize);
            this.batchSize = batchSize;
            return this;
        }

        /** How often an event is tried, and the backoff between tries, before it is parked. */
        public Builder retries(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
            requireAtLeastOne("maxAttempts", maxAttempts);
            requirePositive("initialBackoff", initialBackoff);
            requirePositive("maxBackoff", maxBackoff);
            this.maxAttempts = maxAttempts;
            this.initialBackoff = initialBackoff;
            this.maxBackoff = maxBackoff;
            return this;
        }

        /** The wait before starting again after an infrastructure failure. */
        public Builder restartDelay(Duration restartDelay) {
            requirePositive("restartDelay", restartDelay);
            this.restartDelay = restartDelay;
            return this;
        }

        /** How often a JDBC runner on standby tries to take over. */
        public Builder lockPollInterval(Duration lockPollInterval) {
            requirePositive("lockPollInterval", lockPollInterval);
            this.lockPollInterval = lockPollInterval;
            return this;
        }

        /** How often waits for a position check progress they are not told about. */
        public Builder awaitPollInterval(Duration awaitPollInterval) {
            requirePositive("awaitPollInterval", awaitPollInterval);
            this.awaitPollInterval = awaitPollInterval;
            return this;
        }

        /** The clock of backoffs and lag. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The scheduler of waits for a position. */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** @throws IllegalStateException if maxBackoff is shorter than initialBackoff */
        public ProjectionConfig build() {
            return new ProjectionConfig(executor, filter, keyOf, batchSize, maxAttempts, initialBackoff, maxBackoff,
                    restartDelay, lockPollInterval, awaitPollInterval, clock, scheduler);
        }
    }
}
