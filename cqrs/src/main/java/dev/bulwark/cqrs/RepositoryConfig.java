package dev.bulwark.cqrs;

import dev.bulwark.resilience.Clock;
import dev.bulwark.resilience.RetryBackoff;
import java.time.Duration;
import java.util.Objects;

/**
 * The settings of an {@link EventSourcedRepository}.
 *
 * <pre>{@code
 * RepositoryConfig config = RepositoryConfig.builder("account")
 *         .snapshotEvery(100)
 *         .conflictRetries(10, RetryBackoff.decorrelatedJitter(Duration.ofMillis(1), Duration.ofMillis(50)))
 *         .build();
 * }</pre>
 *
 * @param category the stream category: aggregate {@code 42} lives in stream {@code <category>-42}; no {@code '-'}
 * @param snapshotEvery save a snapshot whenever an append crosses a multiple of this many events; {@code 0} for
 *     never. The state must then be a type registered with the event store's serializer.
 * @param maxAttempts how often a command is decided and appended before a concurrency conflict is given up on
 * @param backoff the wait before deciding again after a conflict
 * @param clock sleeps the backoff
 */
public record RepositoryConfig(String category, int snapshotEvery, int maxAttempts, RetryBackoff backoff,
        Clock clock) {

    public RepositoryConfig {
        requireCategory(category);
        requireSnapshotEvery(snapshotEvery);
        requireMaxAttempts(maxAttempts);
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(clock, "clock");
    }

    /**
     * A builder with the defaults: no snapshots, 10 attempts with a decorrelated jitter backoff between 1 and
     * 50 ms, system clock.
     */
    public static Builder builder(String category) {
        return new Builder(category);
    }

    private static void requireCategory(String category) {
        Objects.requireNonNull(category, "category");
        if (category.isBlank() || category.indexOf('-') >= 0) {
            throw new IllegalArgumentException("category must be non-blank and must not contain '-' (streams are "
                    + "named <category>-<id>), was \"" + category + "\"");
        }
    }

    private static void requireSnapshotEvery(int snapshotEvery) {
        if (snapshotEvery < 0) {
            throw new IllegalArgumentException("snapshotEvery must be >= 0 (0: never), was " + snapshotEvery);
        }
    }

    private static void requireMaxAttempts(int maxAttempts) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
    }

    /** Builds a {@link RepositoryConfig}; each setter rejects a bad value at once. Not thread-safe. */
    public static final class Builder {
        private final String category;
        private int snapshotEvery;
        private int maxAttempts = 10;
        private RetryBackoff backoff = RetryBackoff.decorrelatedJitter(Duration.ofMillis(1), Duration.ofMillis(50));
        private Clock clock = Clock.system();

        private Builder(String category) {
            requireCategory(category);
            this.category = category;
        }

        /** Save a snapshot every this many events; 0 for never. */
        public Builder snapshotEvery(int snapshotEvery) {
            requireSnapshotEvery(snapshotEvery);
            this.snapshotEvery = snapshotEvery;
            return this;
        }

        /** How often a command is tried in all when it meets concurrency conflicts, and the wait between. */
        public Builder conflictRetries(int maxAttempts, RetryBackoff backoff) {
            requireMaxAttempts(maxAttempts);
            this.maxAttempts = maxAttempts;
            this.backoff = Objects.requireNonNull(backoff, "backoff");
            return this;
        }

        /** The clock that sleeps the backoff. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The config. */
        public RepositoryConfig build() {
            return new RepositoryConfig(category, snapshotEvery, maxAttempts, backoff, clock);
        }
    }
}
