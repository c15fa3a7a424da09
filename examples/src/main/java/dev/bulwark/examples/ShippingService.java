package dev.bulwark.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A carrier, simulated: a real HTTP server on loopback that books and cancels shipments, honours idempotency
 * keys, and fails or slows down as its {@link Faults} say.
 *
 * <ul>
 *   <li>{@code POST /shipments} with header {@code Idempotency-Key} and body {@link ShipmentRequest}: 201 and the
 *       new {@link Shipment}; 200 and the same shipment for a key already booked; 409 for a key cancelled before it
 *       was booked; 422 for an address it does not serve (a {@value #PO_BOX}).
 *   <li>{@code POST /shipments/cancel} with the shipment's key: 200 and a {@link Cancellation}. Idempotent; a key
 *       never booked is barred from booking.
 *   <li>{@code GET /ledger}: every shipment, for auditors.
 * </ul>
 *
 * <pre>{@code
 * try (ShippingService shipping = ShippingService.start(42, Faults.HEALTHY)) {
 *     URI endpoint = shipping.uri();
 * }
 * }</pre>
 */
public final class ShippingService implements AutoCloseable {

    /** What to ship, and where. */
    public record ShipmentRequest(String orderId, String sku, int quantity, String address) {}

    /** A shipment booked. */
    public record Shipment(String trackingId, String orderId) {}

    /** The answer to a cancellation; {@code trackingId} is null when nothing had been booked under the key. */
    public record Cancellation(String key, String trackingId, boolean cancelled) {}

    /** One shipment in the ledger. */
    public record LedgerEntry(String key, String trackingId, String orderId, String sku, int quantity,
            boolean cancelled) {}

    /**
     * The carrier's books.
     *
     * @param shipments every shipment booked, cancelled or not
     * @param voidedKeys keys cancelled before they were booked
     * @param shipmentRequests booking requests that reached the ledger (replays and refusals included)
     * @param cancelRequests cancellation requests that reached the ledger
     */
    public record Ledger(List<LedgerEntry> shipments, List<String> voidedKeys, long shipmentRequests,
            long cancelRequests) {}

    /** Addresses the carrier refuses, with 422: a business failure, not a fault. */
    public static final String PO_BOX = "PO Box";

    private final JsonHttpServer server;
    private final KeyedLedger<ShipmentRequest, Shipment> ledger = new KeyedLedger<>();
    private final AtomicLong trackingIds = new AtomicLong();

    private ShippingService(ObjectMapper json, long seed, Faults faults) {
        server = new JsonHttpServer("shipping-service", json, seed, faults);
        server.post("/shipments", (key, body) -> {
            ShipmentRequest request = json.readValue(body, ShipmentRequest.class);
            if (request.address().startsWith(PO_BOX)) {
                return JsonHttpServer.Reply.error(422, "we do not deliver to a PO box: " + request.address());
            }
            return KeyedLedger.reply(ledger.create(key, request,
                    () -> new Shipment("TRK" + trackingIds.incrementAndGet(), request.orderId())), key);
        });
        server.post("/shipments/cancel", (key, body) -> {
            KeyedLedger.Entry<ShipmentRequest, Shipment> undone = ledger.undo(key);
            return new JsonHttpServer.Reply(200, undone == null ? new Cancellation(key, null, false)
                    : new Cancellation(key, undone.effect().trackingId(), true));
        });
        server.get("/ledger", this::ledger);
    }

    /** Starts the service on an ephemeral loopback port, its faults drawn from {@code seed}. */
    public static ShippingService start(long seed, Faults faults) {
        return new ShippingService(ServiceClient.defaultMapper(), seed, faults);
    }

    /** Where it listens. */
    public URI uri() {
        return server.uri();
    }

    /** Changes how it misbehaves, from the next request on. */
    public void faults(Faults faults) {
        server.faults(faults);
    }

    /** Its books, as {@code GET /ledger} returns them. */
    public Ledger ledger() {
        List<LedgerEntry> shipments = ledger.entries().stream()
                .map(e -> new LedgerEntry(e.key(), e.effect().trackingId(), e.effect().orderId(), e.request().sku(),
                        e.request().quantity(), e.undone()))
                .toList();
        KeyedLedger.Counts counts = ledger.counts();
        return new Ledger(shipments, ledger.voidedKeys(), counts.creates(), counts.undos());
    }

    /** Waits until no request is in progress; false if that took longer than {@code timeout}. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        return server.awaitIdle(timeout);
    }

    /** Stops the server and its threads. */
    @Override
    public void close() {
        server.close();
    }

    @Override
    public String toString() {
        return server.toString();
    }
}
