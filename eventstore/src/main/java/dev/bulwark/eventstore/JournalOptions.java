package dev.bulwark.eventstore;

import java.util.Objects;

/**
 * The settings of a {@link JournalEventStore}: those every backend shares, plus how the journal writes.
 *
 * <pre>{@code
 * JournalOptions options = JournalOptions.builder(EventStoreSettings.defaults(EventSerializer.create(registry)))
 *         .durability(JournalDurability.GROUP_COMMIT)
 *         .segmentBytes(64L * 1024 * 1024)
 *         .build();
 * }</pre>
 *
 * @param settings the settings every backend shares; its clock stamps events
 * @param durability when an append is acknowledged relative to the disk; {@link JournalDurability#GROUP_COMMIT}
 *     by default
 * @param segmentBytes the size at which the journal starts a new segment file, from
 *     {@value #MIN_SEGMENT_BYTES} bytes to 1 TiB; 64 MiB by default. A record larger than this gets a segment of its
 *     own.
 */
public record JournalOptions(EventStoreSettings settings, JournalDurability durability, long segmentBytes) {

    /** The smallest segment size. */
    public static final long MIN_SEGMENT_BYTES = 4096;
    /** The largest segment size: record addresses keep 40 bits for the offset within a segment. */
    public static final long MAX_SEGMENT_BYTES = 1L << 40;
    /** The default segment size, 64 MiB. */
    public static final long DEFAULT_SEGMENT_BYTES = 64L * 1024 * 1024;

    public JournalOptions {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(durability, "durability");
        requireSegmentBytes(segmentBytes);
    }

    /** Group commit and 64 MiB segments. */
    public static JournalOptions defaults(EventStoreSettings settings) {
        return builder(settings).build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder(EventStoreSettings settings) {
        return new Builder(settings);
    }

    private static void requireSegmentBytes(long segmentBytes) {
        if (segmentBytes < MIN_SEGMENT_BYTES || segmentBytes > MAX_SEGMENT_BYTES) {
            throw new IllegalArgumentException("segmentBytes must be in [" + MIN_SEGMENT_BYTES + ", "
                    + MAX_SEGMENT_BYTES + "], was " + segmentBytes);
        }
    }

    /** Builds {@link JournalOptions}; each value is checked when set. Not thread-safe. */
    public static final class Builder {
        private final EventStoreSettings settings;
        private JournalDurability durability = JournalDurability.GROUP_COMMIT;
        private long segmentBytes = DEFAULT_SEGMENT_BYTES;

        private Builder(EventStoreSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
        }

        /** See {@link JournalOptions#durability()}. */
        public Builder durability(JournalDurability durability) {
            this.durability = Objects.requireNonNull(durability, "durability");
            return this;
        }

        /** See {@link JournalOptions#segmentBytes()}. */
        public Builder segmentBytes(long segmentBytes) {
            requireSegmentBytes(segmentBytes);
            this.segmentBytes = segmentBytes;
            return this;
        }

        /** The options. */
        public JournalOptions build() {
            return new JournalOptions(settings, durability, segmentBytes);
        }
    }
}
