package dev.bulwark.eventstore.internal.journal;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongPredicate;

/**
 * The journal's indexes, built by applying records in log order: streams by id (each with its positions by
 * version), the address of each position, and event ids.
 *
 * <p>Records are applied by one thread at a time: the opener while it replays the log, then writers under the
 * journal's sequence lock ("the applying side" below). Readers on other threads see only what a {@link Publication}
 * made visible: the writer prepares one with the write it is about to force and publishes it once forced, so a
 * reader never sees an event that a crash could still take away.
 */
final class JournalState {
    private static final int OFFSET_BITS = 40;

    private final ConcurrentHashMap<String, StreamState> streams = new ConcurrentHashMap<>();
    private final PositionIndex positions = new PositionIndex();
    private final EventIdTable eventIds = new EventIdTable();
    /** Streams changed since the last {@link #prepare()}. Applying side only. */
    private final List<StreamState> dirty = new ArrayList<>();

    static long address(long segmentNumber, long frameOffset) {
        return segmentNumber << OFFSET_BITS | frameOffset;
    }

    static long segmentOf(long address) {
        return address >>> OFFSET_BITS;
    }

    static long offsetOf(long address) {
        return address & ((1L << OFFSET_BITS) - 1);
    }

    /**
     * Applies one record, found at {@code frameOffset} in segment {@code segmentNumber}.
     *
     * @throws IllegalStateException if it does not follow the records applied before (a version or position out
     *     of sequence): the log is not what the journal wrote
     */
    void apply(long segmentNumber, long frameOffset, RecordHeader header, List<Op> ops) {
        long address = address(segmentNumber, frameOffset);
        boolean firstEvent = true;
        StreamState stream = null;
        for (Op op : ops) {
            // A batch's ops name its stream in a run: look it up once per run, not once per event.
            if (stream == null || !stream.streamId.equals(op.streamId())) {
                stream = streams.computeIfAbsent(op.streamId(), StreamState::new);
            }
            if (!stream.dirty) {
                stream.dirty = true;
                dirty.add(stream);
            }
            if (op instanceof Op.Append append) {
                if (firstEvent && header.firstPosition() != positions.size() + 1) {
                    throw new IllegalStateException("record " + header.lsn() + " starts at position "
                            + header.firstPosition() + " but the log is at position " + positions.size());
                }
                firstEvent = false;
                long position = positions.add(address);
                stream.append(append.version(), position);
                eventIds.put(append.eventId(), position);
            } else if (op instanceof Op.Delete) {
                stream.delete();
            } else if (op instanceof Op.Truncate truncate) {
                stream.truncate(truncate.beforeVersion());
            } else if (op instanceof Op.Snapshot snapshot) {
                stream.snapshot(snapshot.version(), address);
            }
        }
    }

    /**
     * What readers will see once everything applied so far is durable: the new views of the streams changed since
     * the last publication, and the new head.
     */
    record Publication(List<StreamState> streams, List<StreamView> views, long head) {
    }

    /** Captures everything applied so far, for {@link #publish(Publication)} once it is durable. Applying side. */
    Publication prepare() {
        List<StreamState> streams = List.copyOf(dirty);
        List<StreamView> views = new ArrayList<>(streams.size());
        for (StreamState stream : streams) {
            stream.dirty = false;
            views.add(stream.current());
        }
        dirty.clear();
        return new Publication(streams, views, positions.size());
    }

    /**
     * Makes a publication visible to readers. Publications must be published in the order they were prepared: the
     * journal's force lock (or sequence lock) sees to it.
     */
    void publish(Publication publication) {
        for (int i = 0; i < publication.streams().size(); i++) {
            publication.streams().get(i).publish(publication.views().get(i));
        }
        positions.publish(publication.head());
    }

    /** Makes everything applied so far visible to readers at once (when opening). */
    void publish() {
        publish(prepare());
    }

    /** What readers see of a stream. Any thread. */
    StreamView published(String streamId) {
        StreamState stream = streams.get(streamId);
        return stream == null ? StreamView.empty(streamId) : stream.published();
    }

    /** The writer's view of a stream, including what is not yet forced. Applying side only. */
    StreamView current(String streamId) {
        StreamState stream = streams.get(streamId);
        return stream == null ? StreamView.empty(streamId) : stream.current();
    }

    /** The writer's version of a stream (0 if it has no events), without building a view. Applying side only. */
    long version(String streamId) {
        StreamState stream = streams.get(streamId);
        return stream == null ? 0 : stream.version();
    }

    /** The last position readers may read. Any thread. */
    long head() {
        return positions.head();
    }

    /** The last position applied, forced or not. Applying side only. */
    long lastPosition() {
        return positions.size();
    }

    /** The record address of a position up to {@link #head()} (any thread) or {@link #lastPosition()} (applying side). */
    long addressOf(long position) {
        return positions.address(position);
    }

    /** See {@link EventIdTable#find}. Applying side only. */
    long findEvent(UUID eventId, LongPredicate isThatEvent) {
        return eventIds.find(eventId, isThatEvent);
    }

    /** How many streams the journal knows, deleted ones included. */
    int streamCount() {
        return streams.size();
    }
}
