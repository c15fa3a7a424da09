package dev.bulwark.eventstore.internal.journal;

import java.util.UUID;

/**
 * An event as the journal stores it: where it is, and its serialized type, metadata and data.
 *
 * @param streamId its stream
 * @param version its version in the stream
 * @param position its position in the global log
 * @param eventId its id
 * @param type its type name
 * @param schemaVersion the schema version of {@code data}
 * @param timestampMillis when its record was written
 * @param metadata the encoded metadata; not copied
 * @param data the encoded data; not copied
 */
public record JournalEvent(String streamId, long version, long position, UUID eventId, String type,
        int schemaVersion, long timestampMillis, byte[] metadata, byte[] data) {
}
