package dev.bulwark.eventstore.internal.journal;

/**
 * An immutable view of one stream's index entry, as of some record: what readers see (the published view, as of
 * the last forced record) or what a transaction checks against (the writer's view, including records not yet
 * forced).
 *
 * <p>The positions array is shared with later views and only ever appended to beyond this view's version, so a
 * view reads it safely without copying.
 */
public final class StreamView {
    private final String streamId;
    private final long version;
    private final boolean deleted;
    private final long lifeStartVersion;
    private final long firstVisibleVersion;
    private final long firstLoggedVersion;
    private final long snapshotVersion;
    private final long snapshotAddress;
    private final long[] positions;

    StreamView(String streamId, long version, boolean deleted, long lifeStartVersion, long firstVisibleVersion,
            long firstLoggedVersion, long snapshotVersion, long snapshotAddress, long[] positions) {
        this.streamId = streamId;
        this.version = version;
        this.deleted = deleted;
        this.lifeStartVersion = lifeStartVersion;
        this.firstVisibleVersion = firstVisibleVersion;
        this.firstLoggedVersion = firstLoggedVersion;
        this.snapshotVersion = snapshotVersion;
        this.snapshotAddress = snapshotAddress;
        this.positions = positions;
    }

    static StreamView empty(String streamId) {
        return new StreamView(streamId, 0, false, 1, 1, 1, 0, -1, new long[0]);
    }

    public String streamId() {
        return streamId;
    }

    /** The version of the stream's last event, 0 if it has none. Deletion does not reset it. */
    public long version() {
        return version;
    }

    /** Whether the stream was deleted and not written since. */
    public boolean deleted() {
        return deleted;
    }

    /** The version the stream's current life began at: 1, or the first version after the deletion it was recreated
     *  from. */
    public long lifeStartVersion() {
        return lifeStartVersion;
    }

    /** The first version stream reads return: raised by deletion and truncation. */
    public long firstVisibleVersion() {
        return firstVisibleVersion;
    }

    /** The first version global reads return: raised by truncation only (deleted events stay in the log). */
    public long firstLoggedVersion() {
        return firstLoggedVersion;
    }

    /** The version of the stored snapshot, 0 if none. */
    public long snapshotVersion() {
        return snapshotVersion;
    }

    long snapshotAddress() {
        return snapshotAddress;
    }

    /** The global position of an event of this stream, by version (1 to {@link #version()}). */
    public long positionOf(long eventVersion) {
        if (eventVersion < 1 || eventVersion > version) {
            throw new IllegalArgumentException("version must be in [1, " + version + "] for stream " + streamId
                    + ", was " + eventVersion);
        }
        return positions[(int) (eventVersion - 1)];
    }

    @Override
    public String toString() {
        return "StreamView[" + streamId + ", version=" + version + (deleted ? ", deleted" : "") + ", lifeStart=" + lifeStartVersion
                + ", firstVisible="
                + firstVisibleVersion + ", firstLogged=" + firstLoggedVersion + ", snapshot=" + snapshotVersion + "]";
    }
}
