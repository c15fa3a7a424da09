package dev.bulwark.eventstore;

import java.util.Objects;

/**
 * A write to a deleted stream, in a store configured not to recreate deleted streams
 * ({@link EventStoreSettings#recreateDeletedStreams()} false). Nothing was written.
 */
public class StreamDeletedException extends EventStoreException {
    private static final long serialVersionUID = 1L;

    private final String streamId;

    /** @param streamId the deleted stream */
    public StreamDeletedException(String streamId) {
        super("stream " + streamId + " was deleted and this store does not recreate deleted streams");
        this.streamId = Objects.requireNonNull(streamId, "streamId");
    }

    /** The deleted stream. */
    public String streamId() {
        return streamId;
    }
}
