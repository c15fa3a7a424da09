package dev.bulwark.eventstore.internal.journal;

import dev.bulwark.eventstore.JournalCorruptedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiPredicate;

/**
 * Reads records by address and turns them into events. Every record read is checked against its checksum, so a
 * damaged record is reported (with its file and offset), never returned. Thread-safe: only positional reads.
 */
final class JournalReader {
    private final SegmentList segments;
    private final JournalState state;

    JournalReader(SegmentList segments, JournalState state) {
        this.segments = segments;
        this.state = state;
    }

    /** A record read back, with its events in position order. */
    record ReadRecord(long address, RecordHeader header, List<Op> ops, List<Op.Append> appends) {
    }

    /** A page of the global log. */
    record Page(List<JournalEvent> events, long checkpoint, boolean endOfLog) {
    }

    ReadRecord record(long address) {
        Segment segment = segments.get(JournalState.segmentOf(address));
        long offset = JournalState.offsetOf(address);
        ByteBuffer body;
        try {
            body = segment.readBody(offset);
        } catch (ClosedChannelException e) {
            throw new IllegalStateException("the journal is closed", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + segment.path + " at offset " + offset, e);
        }
        RecordCodec.Decoded decoded;
        try {
            decoded = RecordCodec.decodeBody(body, true);
        } catch (IllegalArgumentException e) {
            throw new JournalCorruptedException(segment.path, offset, "malformed record: " + e.getMessage(), e);
        }
        List<Op.Append> appends = new ArrayList<>();
        for (Op op : decoded.ops()) {
            if (op instanceof Op.Append append) {
                appends.add(append);
            }
        }
        return new ReadRecord(address, decoded.header(), decoded.ops(), appends);
    }

    JournalEvent read(long position) {
        return event(record(state.addressOf(position)), position);
    }

    /**
     * Reads a stream's events by version, forward from {@code fromVersion} or backward from it, skipping versions
     * the view hides.
     */
    List<JournalEvent> readStream(StreamView view, long fromVersion, boolean forward, int maxCount) {
        List<JournalEvent> events = new ArrayList<>(Math.min(maxCount, 256));
        long first = view.firstVisibleVersion();
        long last = view.version();
        ReadRecord record = null;
        long version = forward ? Math.max(fromVersion, first) : Math.min(fromVersion, last);
        while (events.size() < maxCount && version >= first && version <= last) {
            long position = view.positionOf(version);
            long address = state.addressOf(position);
            if (record == null || record.address != address) {
                record = record(address);
            }
            JournalEvent event = event(record, position);
            if (!event.streamId().equals(view.streamId()) || event.version() != version) {
                throw corrupted(address, "position " + position + " holds " + event.streamId() + "@"
                        + event.version() + ", the index says " + view.streamId() + "@" + version);
            }
            events.add(event);
            version += forward ? 1 : -1;
        }
        return events;
    }

    /**
     * Reads the global log after a position, up to {@code head}, keeping the visible events {@code filter} accepts
     * (it gets stream id and type). Reads at most {@code maxScanned} events, so that a selective filter over a long
     * log returns in bounded time with a checkpoint further on.
     */
    Page readAll(long afterPosition, int maxCount, long maxScanned, long head, BiPredicate<String, String> filter) {
        List<JournalEvent> events = new ArrayList<>(Math.min(maxCount, 256));
        long position = afterPosition;
        ReadRecord record = null;
        long scanned = 0;
        while (position < head && events.size() < maxCount && scanned < maxScanned) {
            position++;
            scanned++;
            long address = state.addressOf(position);
            if (record == null || record.address != address) {
                record = record(address);
            }
            JournalEvent event = event(record, position);
            if (event.version() >= state.published(event.streamId()).firstLoggedVersion()
                    && filter.test(event.streamId(), event.type())) {
                events.add(event);
            }
        }
        return new Page(events, position, position >= head);
    }

    /** The last position up to {@code head} whose event is not truncated away, or 0. */
    long lastVisible(long head) {
        ReadRecord record = null;
        for (long position = head; position > 0; position--) {
            long address = state.addressOf(position);
            if (record == null || record.address != address) {
                record = record(address);
            }
            JournalEvent event = event(record, position);
            if (event.version() >= state.published(event.streamId()).firstLoggedVersion()) {
                return position;
            }
        }
        return 0;
    }

    Optional<StoredSnapshot> snapshot(StreamView view) {
        if (view.snapshotVersion() == 0) {
            return Optional.empty();
        }
        ReadRecord record = record(view.snapshotAddress());
        for (Op op : record.ops()) {
            if (op instanceof Op.Snapshot snapshot && snapshot.streamId().equals(view.streamId())
                    && snapshot.version() == view.snapshotVersion()) {
                return Optional.of(new StoredSnapshot(snapshot.streamId(), snapshot.version(), snapshot.type(),
                        snapshot.schemaVersion(), record.header().timestampMillis(), snapshot.data()));
            }
        }
        throw corrupted(view.snapshotAddress(), "the record holds no snapshot of " + view.streamId() + " at version "
                + view.snapshotVersion());
    }

    private JournalEvent event(ReadRecord record, long position) {
        long index = position - record.header().firstPosition();
        if (index < 0 || index >= record.appends().size()) {
            throw corrupted(record.address(), "the record holds positions " + record.header().firstPosition() + " to "
                    + (record.header().firstPosition() + record.appends().size() - 1) + ", not " + position);
        }
        Op.Append append = record.appends().get((int) index);
        return new JournalEvent(append.streamId(), append.version(), position, append.eventId(), append.type(),
                append.schemaVersion(), record.header().timestampMillis(), append.metadata(), append.data());
    }

    private JournalCorruptedException corrupted(long address, String reason) {
        return new JournalCorruptedException(segments.get(JournalState.segmentOf(address)).path,
                JournalState.offsetOf(address), reason);
    }
}
