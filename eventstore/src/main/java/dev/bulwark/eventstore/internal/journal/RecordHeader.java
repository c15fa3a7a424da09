package dev.bulwark.eventstore.internal.journal;

/**
 * The fixed fields at the start of every record's body.
 *
 * @param lsn the record's sequence number: 1 for the first record of the journal, then +1 per record
 * @param ackedLsn the highest sequence number acknowledged to a caller when this record was written. Recovery uses
 *     it to tell a torn tail from damage in the middle: a record found after a damaged one, whose {@code ackedLsn}
 *     reaches the damaged one, proves the damaged record had been acknowledged
 * @param timestampMillis when the record was written, by the journal's clock
 * @param firstPosition the global position of the record's first event, or 0 if it holds none; its other events
 *     follow at consecutive positions
 */
public record RecordHeader(long lsn, long ackedLsn, long timestampMillis, long firstPosition) {
}
