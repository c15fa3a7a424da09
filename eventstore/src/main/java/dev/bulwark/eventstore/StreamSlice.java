package dev.bulwark.eventstore;

import java.util.List;
import java.util.Objects;

/**
 * A page of one stream, read in one consistent view together with the stream's state.
 *
 * <pre>{@code
 * StreamSlice slice = store.readStream("order-42");
 * Order order = Order.replay(slice.events());
 * store.append("order-42", slice.expectedVersion(), order.decide(command));
 * }</pre>
 *
 * @param streamId the stream
 * @param direction the direction it was read in
 * @param events the events, in {@code direction} order; copied
 * @param streamVersion the version of the stream's last event when it was read; {@code 0} if never written
 * @param deleted whether the stream is deleted (its events are then hidden from stream reads)
 * @param endOfStream whether the read reached the end in its direction: no later event (forward) or no earlier
 *     readable event (backward)
 */
public record StreamSlice(
        String streamId,
        ReadDirection direction,
        List<RecordedEvent> events,
        long streamVersion,
        boolean deleted,
        boolean endOfStream) {

    public StreamSlice {
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(direction, "direction");
        events = List.copyOf(events);
        if (streamVersion < 0) {
            throw new IllegalArgumentException("streamVersion must be >= 0, was " + streamVersion);
        }
    }

    /** Whether the stream exists: written at least once and not deleted. */
    public boolean exists() {
        return streamVersion > 0 && !deleted;
    }

    /**
     * The expected version that appends right after this read: {@link ExpectedVersion#NO_STREAM} when the stream
     * does not exist, its exact version otherwise.
     */
    public ExpectedVersion expectedVersion() {
        return exists() ? ExpectedVersion.exactly(streamVersion) : ExpectedVersion.NO_STREAM;
    }
}
