package dev.bulwark.eventstore;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * The stored form of an event's data or a snapshot's state: a registered type name, the schema version it was
 * written with, and UTF-8 JSON.
 *
 * @param type the registered type name
 * @param schemaVersion the schema version of {@code data}
 * @param data the JSON, UTF-8 encoded; not copied, do not change it
 */
public record SerializedEvent(String type, int schemaVersion, byte[] data) {

    public SerializedEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
    }

    /** The JSON as a string. */
    public String json() {
        return new String(data, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SerializedEvent that && type.equals(that.type) && schemaVersion == that.schemaVersion
                && Arrays.equals(data, that.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, schemaVersion, Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "SerializedEvent[type=" + type + ", schemaVersion=" + schemaVersion + ", data=" + json() + "]";
    }
}
