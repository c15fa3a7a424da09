package dev.bulwark.eventstore;

import java.time.Instant;
import java.util.Objects;

/**
 * The latest saved state of a stream, so that loading it need not replay every event: replay the events after
 * {@code version} on top of {@code state}.
 *
 * <pre>{@code
 * Optional<Snapshot> snapshot = store.loadSnapshot("order-42");
 * long from = snapshot.map(s -> s.version() + 1).orElse(1L);
 * Order order = snapshot.map(s -> s.stateAs(Order.class)).orElse(Order.EMPTY);
 * for (RecordedEvent e : store.readStream("order-42", ReadDirection.FORWARD, from, Integer.MAX_VALUE).events()) { ... }
 * }</pre>
 *
 * @param streamId the stream
 * @param version the version of the last event the state includes
 * @param state the state, an instance of a type registered in the {@link EventTypeRegistry}, upcast to its current
 *     schema
 * @param type the state's registered type name
 * @param schemaVersion the schema version it was stored with (before upcasting)
 * @param timestamp when it was saved, by the store's clock
 */
public record Snapshot(String streamId, long version, Object state, String type, int schemaVersion, Instant timestamp) {

    public Snapshot {
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(timestamp, "timestamp");
        if (version < 1) {
            throw new IllegalArgumentException("version must be >= 1, was " + version);
        }
    }

    /**
     * The state as the given class.
     *
     * @throws IllegalStateException if it is of another class
     */
    public <T> T stateAs(Class<T> expected) {
        if (!expected.isInstance(state)) {
            throw new IllegalStateException("snapshot of " + streamId + "@" + version + " holds a "
                    + state.getClass().getName() + ", not a " + expected.getName());
        }
        return expected.cast(state);
    }
}
