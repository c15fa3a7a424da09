package dev.bulwark.examples;

import java.time.Instant;
import java.util.Objects;

/**
 * An order as the read side shows it: what a customer's "my order" page needs, in one row.
 *
 * @param orderId the order
 * @param status where it stands
 * @param customer who ordered
 * @param sku what was ordered
 * @param quantity how many
 * @param amountCents the price
 * @param chargeId the payment's charge once confirmed, else {@code null}
 * @param trackingId the shipment's tracking id once confirmed, else {@code null}
 * @param cancelReason why it was cancelled, else {@code null}
 * @param placedAt when it was placed
 * @param updatedAt when it last changed
 */
public record OrderSummary(String orderId, Order.Status status, String customer, String sku, int quantity,
        long amountCents, String chargeId, String trackingId, String cancelReason, Instant placedAt,
        Instant updatedAt) {

    public OrderSummary {
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(status, "status");
    }

    /** The question "how is order {@code orderId}?", for the query bus. */
    public record Get(String orderId) {
        public Get {
            Objects.requireNonNull(orderId, "orderId");
        }
    }

    OrderSummary with(Order.Status newStatus, String newChargeId, String newTrackingId, String newCancelReason,
            Instant at) {
        return new OrderSummary(orderId, newStatus, customer, sku, quantity, amountCents, newChargeId, newTrackingId,
                newCancelReason, placedAt, at);
    }
}
