/**
 * The engine of {@link dev.bulwark.eventstore.JournalEventStore}: not exported, not API.
 *
 * <p>Map for maintainers:
 * <ul>
 *   <li>On disk: segment files of checksummed records ({@link dev.bulwark.eventstore.internal.journal.Segment},
 *       {@code RecordCodec}), one record per transaction, and per-segment index checkpoints
 *       ({@code SegmentCheckpoint}).</li>
 *   <li>In memory: streams, positions and event ids ({@code JournalState}), rebuilt on open by {@code Recovery},
 *       which also cuts off a torn tail and refuses damage where acknowledged records lie.</li>
 *   <li>Writing: {@code JournalWriter}, group commit by leader/follower on the callers' threads, with the queue
 *       of waiting callers and the leader role in {@code CommitQueue}; the bytes go through {@code ActiveSegment},
 *       which keeps zeros ahead of the records so that forces write data only.</li>
 *   <li>Reading: {@code JournalReader}, which checks every record it reads.</li>
 * </ul>
 * The facade is {@link dev.bulwark.eventstore.internal.journal.Journal}.
 */
package dev.bulwark.eventstore.internal.journal;
