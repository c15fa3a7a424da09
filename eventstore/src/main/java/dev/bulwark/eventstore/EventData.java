package dev.bulwark.eventstore;

import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An event to append: its id, its data (an instance of a type registered in the {@link EventTypeRegistry}) and its
 * metadata. The store adds the stream, version, position and timestamp.
 *
 * <p>The id is what makes a retried append harmless: appending again the same ids at the same place stores nothing
 * twice. Keep the {@code EventData} (or its ids) when you may retry. {@link #of(Object)} makes time-ordered ids
 * (UUID version 7: the wall-clock millisecond, then 74 random bits), so that the index that keeps ids unique grows
 * at its end instead of everywhere at once.
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

    /** An event with a fresh time-ordered id and no metadata. */
    public static EventData of(Object data) {
        return new EventData(timeOrderedId(), data, EventMetadata.EMPTY);
    }

    /**
     * A UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, the version, 12 random bits, the variant and 62
     * random bits. It is an identifier, not a measurement, so it reads the system clock directly.
     */
    static UUID timeOrderedId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (System.currentTimeMillis() << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
        long low = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(high, low);
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
