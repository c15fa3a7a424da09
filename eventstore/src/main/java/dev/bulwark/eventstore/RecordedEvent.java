package dev.bulwark.eventstore;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * An event as stored: where it is (stream, version, global position), what it is (id, type, data, metadata) and
 * when it was appended. Its data is already upcast to the current schema of its type.
 *
 * <pre>{@code
 * for (RecordedEvent event : store.readStream("order-42").events()) {
 *     if (event.data() instanceof OrderPlaced placed) { ... }
 * }
 * }</pre>
 *
 * @param streamId the stream it belongs to
 * @param version its place in the stream, from 1
 * @param position its place in the global log: increasing, not necessarily dense
 * @param eventId its unique id
 * @param type its stable type name from the registry
 * @param schemaVersion the schema version it was stored with (before upcasting)
 * @param data the event, an instance of the class registered for {@code type}
 * @param metadata correlation, causation and headers
 * @param timestamp when it was appended, by the store's clock
 */
public record RecordedEvent(
        String streamId,
        long version,
        long position,
        UUID eventId,
        String type,
        int schemaVersion,
        Object data,
        EventMetadata metadata,
        Instant timestamp) {

    public RecordedEvent {
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(timestamp, "timestamp");
    }

    /**
     * The data as the given class.
     *
     * @throws IllegalStateException if the data is of another class; the message names both and the event
     */
    public <T> T dataAs(Class<T> expected) {
        if (!expected.isInstance(data)) {
            throw new IllegalStateException("event " + streamId + "@" + version + " holds a " + data.getClass().getName()
                    + ", not a " + expected.getName());
        }
        return expected.cast(data);
    }
}
