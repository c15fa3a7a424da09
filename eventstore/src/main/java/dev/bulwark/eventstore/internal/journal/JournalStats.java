package dev.bulwark.eventstore.internal.journal;

/**
 * Counters since the journal was opened.
 *
 * @param records the records written (one per transaction that changed something)
 * @param forces the forces to disk of segment data (fsyncs), including those when a segment is sealed
 * @param bytes the bytes of records written
 */
public record JournalStats(long records, long forces, long bytes) {
}
