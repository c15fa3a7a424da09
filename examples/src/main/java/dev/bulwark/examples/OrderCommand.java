package dev.bulwark.examples;

import java.util.Objects;

/**
 * What can be asked of an order. {@link PlaceOrder} comes from a customer; the others come from the fulfilment
 * saga, which names itself in each so that the order only ever follows the one saga that accepted it.
 */
public sealed interface OrderCommand {

    /** The order the command is about. */
    String orderId();

    /**
     * A customer orders {@code quantity} of {@code sku} for {@code amountCents}, to be shipped to {@code address}.
     *
     * @throws IllegalArgumentException for a blank id, customer, sku or address, a quantity below 1 or an amount
     *     below 1 cent
     */
    record PlaceOrder(String orderId, String customer, String sku, int quantity, long amountCents, String address)
            implements OrderCommand {
        public PlaceOrder {
            requireText("orderId", orderId);
            requireText("customer", customer);
            requireText("sku", sku);
            requireText("address", address);
            if (quantity < 1) {
                throw new IllegalArgumentException("quantity must be at least 1, was " + quantity);
            }
            if (amountCents < 1) {
                throw new IllegalArgumentException("amountCents must be at least 1, was " + amountCents);
            }
        }
    }

    /** The saga {@code sagaId} takes the order on: from now on only it may confirm or cancel the order. */
    record AcceptOrder(String orderId, String sagaId) implements OrderCommand {
        public AcceptOrder {
            requireText("orderId", orderId);
            requireText("sagaId", sagaId);
        }
    }

    /** The saga charged the payment and arranged the shipment: the order is done. */
    record ConfirmOrder(String orderId, String sagaId, String chargeId, String trackingId) implements OrderCommand {
        public ConfirmOrder {
            requireText("orderId", orderId);
            requireText("sagaId", sagaId);
            requireText("chargeId", chargeId);
            requireText("trackingId", trackingId);
        }
    }

    /** The saga gave up and undid what it did; {@code reason} says why, for the customer and the operator. */
    record CancelOrder(String orderId, String sagaId, String reason) implements OrderCommand {
        public CancelOrder {
            requireText("orderId", orderId);
            requireText("sagaId", sagaId);
            requireText("reason", reason);
        }
    }

    private static void requireText(String name, String value) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank, was \"" + value + "\"");
        }
    }
}
