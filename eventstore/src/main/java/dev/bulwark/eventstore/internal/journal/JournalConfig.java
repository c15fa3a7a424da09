package dev.bulwark.eventstore.internal.journal;

import dev.bulwark.eventstore.JournalDurability;
import dev.bulwark.eventstore.JournalOptions;
import dev.bulwark.resilience.Clock;
import java.util.Objects;

/**
 * How the journal engine runs.
 *
 * @param durability when appends are acknowledged (see {@link JournalDurability})
 * @param segmentBytes the size at which the journal starts a new segment file, from 4 KiB to 1 TiB
 * @param clock stamps records
 */
public record JournalConfig(JournalDurability durability, long segmentBytes, Clock clock) {
    /** The smallest segment size: tiny segments are for tests of segment rolling. */
    public static final long MIN_SEGMENT_BYTES = JournalOptions.MIN_SEGMENT_BYTES;
    /** The largest segment size: record addresses keep 40 bits for the offset in a segment. */
    public static final long MAX_SEGMENT_BYTES = JournalOptions.MAX_SEGMENT_BYTES;

    public JournalConfig {
        Objects.requireNonNull(durability, "durability");
        Objects.requireNonNull(clock, "clock");
        if (segmentBytes < MIN_SEGMENT_BYTES || segmentBytes > MAX_SEGMENT_BYTES) {
            throw new IllegalArgumentException("segmentBytes must be in [" + MIN_SEGMENT_BYTES + ", "
                    + MAX_SEGMENT_BYTES + "], was " + segmentBytes);
        }
    }
}
