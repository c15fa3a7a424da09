package dev.bulwark.eventstore;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Lifts the stored JSON of one type from one schema version to the next, on read. Chains of upcasters bring old
 * events (and snapshots) up to the registered version, so the Java class only ever knows its current shape.
 *
 * <pre>{@code
 * // Version 1 of "order-placed" had no currency; version 2 requires one.
 * Upcaster addCurrency = data -> data.put("currency", "EUR");
 * EventTypeRegistry.builder().register("order-placed", 2, OrderPlaced.class).upcaster("order-placed", 1, addCurrency);
 * }</pre>
 */
@FunctionalInterface
public interface Upcaster {

    /**
     * Returns the data in the next schema version. It may change and return {@code data} itself (it is a private
     * copy) or build a new object; it must not return {@code null}.
     */
    ObjectNode upcast(ObjectNode data);
}
