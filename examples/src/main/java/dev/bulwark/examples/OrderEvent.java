package dev.bulwark.examples;

import dev.bulwark.eventstore.EventTypeRegistry;

/**
 * What happened to an order: the facts its stream {@code order-<orderId>} holds. Each carries the order id, so
 * that readers of the global log need not parse stream ids.
 */
public sealed interface OrderEvent {

    /** The order these events belong to. */
    String orderId();

    /** A customer placed the order. */
    record OrderPlaced(String orderId, String customer, String sku, int quantity, long amountCents, String address)
            implements OrderEvent {}

    /** The fulfilment saga {@code sagaId} took the order on. */
    record OrderAccepted(String orderId, String sagaId) implements OrderEvent {}

    /** The payment was charged and the shipment arranged. */
    record OrderConfirmed(String orderId, String chargeId, String trackingId) implements OrderEvent {}

    /** The saga gave up and undid its steps. */
    record OrderCancelled(String orderId, String reason) implements OrderEvent {}

    /**
     * The stable type names of the order events, as the event store writes them. Renaming a record is then
     * harmless; renaming a type name is not.
     */
    static EventTypeRegistry registry() {
        return EventTypeRegistry.builder()
                .register("order-placed", OrderPlaced.class)
                .register("order-accepted", OrderAccepted.class)
                .register("order-confirmed", OrderConfirmed.class)
                .register("order-cancelled", OrderCancelled.class)
                .build();
    }
}
