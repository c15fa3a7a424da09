package dev.bulwark.eventstore;

import java.util.Objects;
import java.util.UUID;

/**
 * An event to append: its id, its data (an instance of a type registered in the {@link EventTypeRegistry}) and its
 * metadata. The store adds the stream, version, position and timestamp.
 *
 * <p>The id is what makes a retried append harmless: appending again the same ids at the same place stores nothing
 * twice. Keep the {@code EventData} (or its ids) when you may retry.
 *
 * <pre>{@code
 * EventData placed = EventData.of(new OrderPlaced("42")).withMetadata(EventMetadata.of("request-7", null));
 * }</pre>
 *
 * @param eventId the event's unique id
 * @param data the event itself, usually a record
 * @param metadata correlation, causation and headers
 */
public record EventData(UUID eventId, Object data, EventMetadata metadata) {

    public EventData {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(metadata, "metadata");
    }

    /** An event with a fresh random id and no metadata. */
    public static EventData of(Object data) {
        return new EventData(UUID.randomUUID(), data, EventMetadata.EMPTY);
    }

    /** A copy with other metadata. */
    public EventData withMetadata(EventMetadata metadata) {
        return new EventData(eventId, data, metadata);
    }

    /** A copy with another id. */
    public EventData withEventId(UUID eventId) {
        return new EventData(eventId, data, metadata);
    }
}
