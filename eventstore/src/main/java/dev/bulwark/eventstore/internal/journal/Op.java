package dev.bulwark.eventstore.internal.journal;

import java.util.UUID;

/**
 * One change inside a journal record. A record holds the ops of one transaction and is applied all or nothing.
 *
 * <p>Ops decoded from a checkpoint or scanned at open carry no payload: their {@code type}, {@code metadata} and
 * {@code data} are {@code null}, since rebuilding the indexes needs only where things are.
 */
public sealed interface Op permits Op.Append, Op.Delete, Op.Truncate, Op.Snapshot {

    /** The stream this op changes. */
    String streamId();

    /** Appends one event, at {@code version} of its stream; its position follows from its place in the record. */
    record Append(String streamId, long version, UUID eventId, String type, int schemaVersion, byte[] metadata,
            byte[] data) implements Op {
    }

    /** Deletes a stream softly: its events so far are hidden from stream reads, its snapshot dropped. */
    record Delete(String streamId) implements Op {
    }

    /** Removes a stream's events before {@code beforeVersion} from every read. */
    record Truncate(String streamId, long beforeVersion) implements Op {
    }

    /** Stores the state of a stream as of {@code version}. */
    record Snapshot(String streamId, long version, String type, int schemaVersion, byte[] data) implements Op {
    }
}
