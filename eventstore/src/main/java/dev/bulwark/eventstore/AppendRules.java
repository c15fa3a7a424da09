package dev.bulwark.eventstore;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The rules of expected versions, deletion and idempotent retries, in one place so every backend decides alike.
 * Backends gather the facts (a stream's state, where given event ids are stored) and ask here what they mean.
 */
final class AppendRules {

    private AppendRules() {}

    /**
     * What a backend knows about a stream.
     *
     * @param version the version of its last event, 0 if never written
     * @param firstVersion the version its current life began at: 1, or the version after a deletion it was
     *     recreated from
     * @param deleted whether it is deleted
     */
    record StreamState(long version, long firstVersion, boolean deleted) {
        static final StreamState NEW = new StreamState(0, 1, false);

        boolean exists() {
            return version > 0 && !deleted;
        }
    }

    /** Where an event id is stored. */
    record StoredEvent(UUID eventId, String streamId, long version, long position) {}

    /** What an append may do to a stream. */
    enum Verdict { APPEND, CONFLICT, DELETED }

    /** What a delete may do to a stream. */
    enum DeleteVerdict { DELETE, NOTHING, CONFLICT }

    static Verdict check(ExpectedVersion expected, StreamState state, boolean recreateDeletedStreams) {
        if (state.deleted() && !recreateDeletedStreams) {
            return Verdict.DELETED;
        }
        boolean holds = switch (expected.kind()) {
            case ANY -> true;
            case NO_STREAM -> !state.exists();
            case STREAM_EXISTS -> state.exists();
            case EXACTLY -> state.exists() && state.version() == expected.version();
        };
        return holds ? Verdict.APPEND : Verdict.CONFLICT;
    }

    static DeleteVerdict checkDelete(ExpectedVersion expected, StreamState state) {
        boolean exists = state.exists();
        return switch (expected.kind()) {
            case ANY -> exists ? DeleteVerdict.DELETE : DeleteVerdict.NOTHING;
            case NO_STREAM -> exists ? DeleteVerdict.CONFLICT : DeleteVerdict.NOTHING;
            case STREAM_EXISTS -> exists ? DeleteVerdict.DELETE : DeleteVerdict.CONFLICT;
            case EXACTLY -> exists && state.version() == expected.version()
                    ? DeleteVerdict.DELETE : DeleteVerdict.CONFLICT;
        };
    }

    /** The exception for a failed check. */
    static EventStoreException conflict(String streamId, ExpectedVersion expected, StreamState state,
            Verdict verdict) {
        return verdict == Verdict.DELETED
                ? new StreamDeletedException(streamId)
                : new WrongExpectedVersionException(streamId, expected, state.version(), state.deleted());
    }

    /**
     * The first append's result when the batch is a retry: every id is stored in this stream, consecutively, in
     * this order, starting where {@code expected} says (right after the expected version; at the start of the
     * stream's current life for {@code NO_STREAM}; anywhere for {@code ANY} and {@code STREAM_EXISTS}). Otherwise
     * {@code null}.
     *
     * @param found where the batch's ids are stored, in any order; ids not stored are absent
     */
    static AppendResult alreadyStored(PreparedEvent.Batch batch, StreamState state, List<StoredEvent> found) {
        List<UUID> ids = batch.eventIds();
        if (found.size() != ids.size()) {
            return null;
        }
        Map<UUID, StoredEvent> byId = new HashMap<>();
        found.forEach(stored -> byId.put(stored.eventId(), stored));
        StoredEvent first = byId.get(ids.get(0));
        if (first == null) {
            return null;
        }
        StoredEvent last = first;
        for (int i = 0; i < ids.size(); i++) {
            StoredEvent stored = byId.get(ids.get(i));
            if (stored == null || !stored.streamId().equals(batch.streamId()) || stored.version() != first.version() + i) {
                return null;
            }
            last = stored;
        }
        ExpectedVersion expected = batch.expectedVersion();
        boolean samePlace = switch (expected.kind()) {
            case ANY, STREAM_EXISTS -> true;
            case NO_STREAM -> first.version() == state.firstVersion();
            case EXACTLY -> first.version() == expected.version() + 1;
        };
        return samePlace ? new AppendResult(batch.streamId(), last.version(), last.position()) : null;
    }

    /** The exception for an event id that is already stored elsewhere than a retry would put it. */
    static IllegalArgumentException duplicateEventId(String streamId, StoredEvent stored) {
        return new IllegalArgumentException("event id " + stored.eventId() + " (appended to stream " + streamId
                + ") is already stored in stream " + stored.streamId() + " at version " + stored.version()
                + "; a retry must carry the same ids at the same place, new events need new ids");
    }

    /**
     * Refuses a truncation or snapshot of a stream that does not exist.
     *
     * @throws IllegalStateException naming the stream and the operation
     */
    static void requireExists(String streamId, String operation, boolean written, boolean deleted) {
        if (deleted) {
            throw new IllegalStateException("cannot " + operation + " stream " + streamId + ": it is deleted");
        }
        if (!written) {
            throw new IllegalStateException("cannot " + operation + " stream " + streamId + ": it does not exist");
        }
    }

    static void requireTruncatable(String streamId, long beforeVersion, long streamVersion) {
        if (beforeVersion > streamVersion + 1) {
            throw new IllegalArgumentException("beforeVersion must be between 1 and " + (streamVersion + 1)
                    + " (stream " + streamId + " is at version " + streamVersion + "), was " + beforeVersion);
        }
    }

    static void requireSnapshotVersion(String streamId, long version, long streamVersion) {
        if (version > streamVersion) {
            throw new IllegalArgumentException("version must be between 1 and " + streamVersion + " (stream "
                    + streamId + " is at version " + streamVersion + "), was " + version);
        }
    }
}
