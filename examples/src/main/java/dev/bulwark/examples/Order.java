package dev.bulwark.examples;

import dev.bulwark.examples.OrderEvent.OrderAccepted;
import dev.bulwark.examples.OrderEvent.OrderCancelled;
import dev.bulwark.examples.OrderEvent.OrderConfirmed;
import dev.bulwark.examples.OrderEvent.OrderPlaced;
import java.util.Objects;

/**
 * An order as its events leave it: the state the {@link OrderDecider} decides on.
 *
 * @param orderId the order's id, or {@code null} before it is placed
 * @param status where it stands
 * @param placed the placement, or {@code null} before it is placed
 * @param sagaId the fulfilment saga that accepted it, or {@code null}
 * @param chargeId the payment's charge once confirmed, or {@code null}
 * @param trackingId the shipment's tracking id once confirmed, or {@code null}
 * @param cancelReason why it was cancelled, or {@code null}
 */
public record Order(String orderId, Status status, OrderPlaced placed, String sagaId, String chargeId,
        String trackingId, String cancelReason) {

    /** The state of an order that has no events. */
    public static final Order NONE = new Order(null, Status.NEW, null, null, null, null, null);

    /** Where an order stands. */
    public enum Status {
        /** Not placed yet. */
        NEW,
        /** Placed, waiting for the fulfilment saga. */
        PLACED,
        /** A fulfilment saga is working on it. */
        ACCEPTED,
        /** Paid and shipped. Final. */
        CONFIRMED,
        /** Given up, everything undone. Final. */
        CANCELLED;

        /** Whether the order will not change any more. */
        public boolean isFinal() {
            return this == CONFIRMED || this == CANCELLED;
        }
    }

    public Order {
        Objects.requireNonNull(status, "status");
    }

    /** The state after {@code event}. */
    public Order evolve(OrderEvent event) {
        if (event instanceof OrderPlaced placedEvent) {
            return new Order(placedEvent.orderId(), Status.PLACED, placedEvent, null, null, null, null);
        }
        if (event instanceof OrderAccepted accepted) {
            return new Order(orderId, Status.ACCEPTED, placed, accepted.sagaId(), null, null, null);
        }
        if (event instanceof OrderConfirmed confirmed) {
            return new Order(orderId, Status.CONFIRMED, placed, sagaId, confirmed.chargeId(), confirmed.trackingId(),
                    null);
        }
        OrderCancelled cancelled = (OrderCancelled) event;
        return new Order(orderId, Status.CANCELLED, placed, sagaId, null, null, cancelled.reason());
    }
}
