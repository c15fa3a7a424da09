package dev.bulwark.eventstore;

import java.util.List;
import java.util.UUID;

/**
 * An event checked and serialized, ready for any backend to store.
 *
 * @param eventId its id
 * @param type its registered type name
 * @param schemaVersion the schema version {@code data} is written in
 * @param data the JSON of the event
 * @param metadata the JSON of its metadata
 * @param source what the caller appended, which in-memory backends may hand back to readers (records are immutable)
 */
record PreparedEvent(UUID eventId, String type, int schemaVersion, byte[] data, byte[] metadata, EventData source) {

    /**
     * One stream's events, checked and serialized.
     *
     * @param streamId the stream
     * @param expectedVersion the check
     * @param events the events, at least one
     */
    record Batch(String streamId, ExpectedVersion expectedVersion, List<PreparedEvent> events) {

        List<UUID> eventIds() {
            return events.stream().map(PreparedEvent::eventId).toList();
        }
    }
}
