package dev.bulwark.eventstore.internal.journal;

import java.util.UUID;
import java.util.function.Predicate;

/**
 * What a {@link JournalTransaction} sees and changes. Views include every earlier transaction, forced or not, but
 * not the changes this transaction has staged. Valid only during {@link JournalTransaction#execute}.
 */
public interface TransactionContext {

    /** The stream as the transaction must check it: including earlier transactions not yet forced. */
    StreamView stream(String streamId);

    /** The last position of the log, including earlier transactions not yet forced; 0 if empty. */
    long lastPosition();

    /** The time this transaction's record will carry. */
    long timestampMillis();

    /**
     * The stored event with this id that {@code accept} accepts (such as one not truncated away), or {@code null}.
     */
    JournalEvent findEvent(UUID eventId, Predicate<JournalEvent> accept);

    /** Reads a stored event, forced or not, by position (1 to {@link #lastPosition()}). */
    JournalEvent readEvent(long position);

    /**
     * Stages an event.
     *
     * @param version must follow the stream's version, counting events this transaction already staged for it
     * @return the position the event will have
     * @throws IllegalArgumentException if {@code version} does not follow
     */
    long append(String streamId, long version, UUID eventId, String type, int schemaVersion, byte[] metadata,
            byte[] data);

    /** Stages a soft deletion. */
    void delete(String streamId);

    /** Stages a truncation before a version. */
    void truncate(String streamId, long beforeVersion);

    /** Stages a snapshot. */
    void snapshot(String streamId, long version, String type, int schemaVersion, byte[] data);
}
