package dev.bulwark.examples;

import dev.bulwark.examples.ShippingService.Cancellation;
import dev.bulwark.examples.ShippingService.Ledger;
import dev.bulwark.examples.ShippingService.Shipment;
import dev.bulwark.examples.ShippingService.ShipmentRequest;
import java.util.Map;
import java.util.Objects;

/**
 * The carrier's API as the shop sees it: one HTTP attempt per call (policies wrap it from outside).
 *
 * <pre>{@code
 * Shipment shipment = shipping.book("fulfil-42/arrange-shipping", new ShipmentRequest("42", "kettle", 1, "1 Main St"));
 * shipping.cancel("fulfil-42/arrange-shipping");
 * }</pre>
 */
public final class ShippingClient {
    private final ServiceClient http;

    /** A client over {@code http}, a client of the shipping service. */
    public ShippingClient(ServiceClient http) {
        this.http = Objects.requireNonNull(http, "http");
    }

    /** Books a shipment, once per {@code key} however often it is called. */
    public Shipment book(String key, ShipmentRequest request) {
        return http.post("book", "/shipments", key, request, Shipment.class);
    }

    /** Cancels what was booked under {@code key}, if anything, and bars the key from booking later. */
    public Cancellation cancel(String key) {
        return http.post("cancel", "/shipments/cancel", key, Map.of(), Cancellation.class);
    }

    /** The carrier's books. */
    public Ledger ledger() {
        return http.get("ledger", "/ledger", Ledger.class);
    }
}
