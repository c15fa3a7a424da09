package dev.bulwark.eventstore.internal.journal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Predicate;

/** The {@link TransactionContext} of one transaction, under the sequence lock: checks read state, changes are staged. */
final class WriterTransaction implements TransactionContext {
    private final JournalWriter writer;
    private final JournalState state;
    private final long timestampMillis;
    private final List<Op> ops = new ArrayList<>();
    /** The version of the last event staged per stream, in a one-element array so that staging does not box. */
    private final Map<String, long[]> stagedVersions = new HashMap<>();
    /** The stream of the last event staged and its entry: a batch stages its stream's events in a run. */
    private String lastStreamId;
    private long[] lastStaged;
    private int stagedEvents;
    private boolean done;

    WriterTransaction(JournalWriter writer, JournalState state, long timestampMillis) {
        this.writer = writer;
        this.state = state;
        this.timestampMillis = timestampMillis;
    }

    List<Op> finish() {
        done = true;
        return ops;
    }

    @Override
    public StreamView stream(String streamId) {
        checkActive();
        return state.current(Objects.requireNonNull(streamId, "streamId"));
    }

    @Override
    public long lastPosition() {
        checkActive();
        return state.lastPosition();
    }

    @Override
    public long timestampMillis() {
        return timestampMillis;
    }

    @Override
    public JournalEvent findEvent(UUID eventId, Predicate<JournalEvent> accept) {
        checkActive();
        Objects.requireNonNull(eventId, "eventId");
        JournalEvent[] found = new JournalEvent[1];
        state.findEvent(eventId, position -> {
            JournalEvent event = readEvent(position);
            if (eventId.equals(event.eventId()) && accept.test(event)) {
                found[0] = event;
                return true;
            }
            return false;
        });
        return found[0];
    }

    @Override
    public JournalEvent readEvent(long position) {
        checkActive();
        if (position < 1 || position > state.lastPosition()) {
            throw new IllegalArgumentException("position must be in [1, " + state.lastPosition() + "], was "
                    + position);
        }
        return writer.readUnforced(position);
    }

    @Override
    public long append(String streamId, long version, UUID eventId, String type, int schemaVersion, byte[] metadata,
            byte[] data) {
        checkActive();
        Objects.requireNonNull(streamId, "streamId");
        long[] staged = streamId.equals(lastStreamId) ? lastStaged : stagedVersions.get(streamId);
        long expected = (staged != null ? staged[0] : state.version(streamId)) + 1;
        if (version != expected) {
            throw new IllegalArgumentException("version of the next event of " + streamId + " must be " + expected
                    + ", was " + version);
        }
        ops.add(new Op.Append(streamId, version, Objects.requireNonNull(eventId, "eventId"),
                Objects.requireNonNull(type, "type"), schemaVersion, Objects.requireNonNull(metadata, "metadata"),
                Objects.requireNonNull(data, "data")));
        if (staged == null) {
            staged = new long[] {version};
            stagedVersions.put(streamId, staged);
        } else {
            staged[0] = version;
        }
        lastStreamId = streamId;
        lastStaged = staged;
        return state.lastPosition() + ++stagedEvents;
    }

    @Override
    public void delete(String streamId) {
        checkActive();
        ops.add(new Op.Delete(Objects.requireNonNull(streamId, "streamId")));
    }

    @Override
    public void truncate(String streamId, long beforeVersion) {
        checkActive();
        ops.add(new Op.Truncate(Objects.requireNonNull(streamId, "streamId"), beforeVersion));
    }

    @Override
    public void snapshot(String streamId, long version, String type, int schemaVersion, byte[] data) {
        checkActive();
        ops.add(new Op.Snapshot(Objects.requireNonNull(streamId, "streamId"), version,
                Objects.requireNonNull(type, "type"), schemaVersion, Objects.requireNonNull(data, "data")));
    }

    private void checkActive() {
        if (done) {
            throw new IllegalStateException("the transaction is over: its context cannot be used after execute returns");
        }
    }
}
