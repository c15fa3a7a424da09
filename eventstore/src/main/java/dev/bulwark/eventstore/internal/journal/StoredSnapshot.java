package dev.bulwark.eventstore.internal.journal;

/**
 * A snapshot as the journal stores it.
 *
 * @param streamId its stream
 * @param version the stream version it was taken at
 * @param type its type name
 * @param schemaVersion the schema version of {@code data}
 * @param timestampMillis when it was saved
 * @param data the encoded state; not copied
 */
public record StoredSnapshot(String streamId, long version, String type, int schemaVersion, long timestampMillis,
        byte[] data) {
}
