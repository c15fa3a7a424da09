package dev.bulwark.eventstore;

/**
 * A stored event or snapshot could not be turned back into an object: its type name is not in the registry, no
 * upcaster lifts its schema version, or its JSON does not fit the registered class. The message names where it is
 * stored (stream and version), its type and its schema version; no partly built object is ever returned.
 *
 * <p>This is not transient: reading the same event again fails the same way until the registry is fixed.
 */
public class UnreadableEventException extends EventStoreException {
    private static final long serialVersionUID = 1L;

    private final String type;
    private final int schemaVersion;

    /**
     * @param location where the payload is stored, such as {@code "event order-42@3 (position 17)"}
     * @param type the stored type name
     * @param schemaVersion the stored schema version
     * @param reason why it cannot be read
     * @param cause the underlying failure, or {@code null}
     */
    public UnreadableEventException(String location, String type, int schemaVersion, String reason, Throwable cause) {
        super("cannot read " + location + " of type '" + type + "' (schema version " + schemaVersion + "): " + reason,
                cause);
        this.type = type;
        this.schemaVersion = schemaVersion;
    }

    /** The stored type name. */
    public String type() {
        return type;
    }

    /** The stored schema version. */
    public int schemaVersion() {
        return schemaVersion;
    }
}
