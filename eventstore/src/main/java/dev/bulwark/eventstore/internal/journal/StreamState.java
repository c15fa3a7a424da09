package dev.bulwark.eventstore.internal.journal;

import java.util.Arrays;

/**
 * The index entry of one stream. Its fields are the writer's view, changed only on the applying side (see
 * {@link JournalState}); {@link #published} is what readers see, replaced once the records applied are forced.
 */
final class StreamState {
    final String streamId;
    /** Applying side only. */
    private long version;
    private boolean deleted;
    private long lifeStartVersion = 1;
    private long firstVisibleVersion = 1;
    private long firstLoggedVersion = 1;
    private long snapshotVersion;
    private long snapshotAddress = -1;
    private long[] positions = new long[2];
    /** Whether the stream changed since the last publication was prepared. Applying side only. */
    boolean dirty;
    /** Written by whoever publishes (in order, see {@link JournalState#publish}), read by any thread. */
    private volatile StreamView published;

    StreamState(String streamId) {
        this.streamId = streamId;
        this.published = StreamView.empty(streamId);
    }

    /** @throws IllegalStateException if the version does not follow the stream's last */
    void append(long eventVersion, long position) {
        if (eventVersion != version + 1) {
            throw new IllegalStateException("stream " + streamId + " is at version " + version + ", an event at version "
                    + eventVersion + " cannot follow");
        }
        if (version == positions.length) {
            if (version >= Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("stream " + streamId + " cannot hold more than " + version + " events");
            }
            positions = Arrays.copyOf(positions, (int) Math.min(Integer.MAX_VALUE - 8, version * 2));
        }
        positions[(int) version] = position;
        if (deleted) {
            deleted = false;
            lifeStartVersion = eventVersion;
        }
        version = eventVersion;
    }

    /** The writer's version. Applying side only. */
    long version() {
        return version;
    }

    void delete() {
        deleted = true;
        firstVisibleVersion = version + 1;
        snapshotVersion = 0;
        snapshotAddress = -1;
    }

    void truncate(long beforeVersion) {
        firstVisibleVersion = Math.max(firstVisibleVersion, beforeVersion);
        firstLoggedVersion = Math.max(firstLoggedVersion, beforeVersion);
    }

    void snapshot(long snapshotVersion, long address) {
        if (snapshotVersion >= this.snapshotVersion) {
            this.snapshotVersion = snapshotVersion;
            this.snapshotAddress = address;
        }
    }

    /** The writer's view: everything applied so far. Applying side only. */
    StreamView current() {
        return new StreamView(streamId, version, deleted, lifeStartVersion, firstVisibleVersion, firstLoggedVersion,
                snapshotVersion, snapshotAddress, positions);
    }

    /** Makes a view prepared earlier visible to readers. */
    void publish(StreamView view) {
        published = view;
    }

    StreamView published() {
        return published;
    }
}
