package dev.bulwark.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A payment provider, simulated: a real HTTP server on loopback that charges and refunds, honours idempotency
 * keys, and fails or slows down as its {@link Faults} say.
 *
 * <ul>
 *   <li>{@code POST /charges} with header {@code Idempotency-Key} and body {@link ChargeRequest}: 201 and the new
 *       {@link Charge}; 200 and the same charge for a key already charged; 409 for a key that was refunded
 *       before it was charged (the refund overtook a slow charge, which then must not happen).
 *   <li>{@code POST /refunds} with the charge's key: 200 and a {@link Refund}. Idempotent; a key never charged is
 *       barred from charging.
 *   <li>{@code GET /ledger}: every charge, for auditors (the scenario's consistency check).
 * </ul>
 *
 * <pre>{@code
 * try (PaymentService payments = PaymentService.start(42, Faults.HEALTHY)) {
 *     URI endpoint = payments.uri();
 * }
 * }</pre>
 */
public final class PaymentService implements AutoCloseable {

    /** What to charge. */
    public record ChargeRequest(String orderId, long amountCents) {}

    /** A charge made. */
    public record Charge(String chargeId, String orderId, long amountCents) {}

    /** The answer to a refund; {@code chargeId} is null when nothing had been charged under the key. */
    public record Refund(String key, String chargeId, boolean refunded) {}

    /** One charge in the ledger. */
    public record LedgerEntry(String key, String chargeId, String orderId, long amountCents, boolean refunded) {}

    /**
     * The provider's books.
     *
     * @param charges every charge made, refunded or not
     * @param voidedKeys keys refunded before they were charged
     * @param chargeRequests charge requests that reached the ledger (replays and refusals included)
     * @param refundRequests refund requests that reached the ledger
     */
    public record Ledger(List<LedgerEntry> charges, List<String> voidedKeys, long chargeRequests,
            long refundRequests) {}

    private final JsonHttpServer server;
    private final KeyedLedger<ChargeRequest, Charge> ledger = new KeyedLedger<>();
    private final AtomicLong chargeIds = new AtomicLong();

    private PaymentService(ObjectMapper json, long seed, Faults faults) {
        server = new JsonHttpServer("payment-service", json, seed, faults);
        server.post("/charges", (key, body) -> {
            ChargeRequest request = json.readValue(body, ChargeRequest.class);
            return KeyedLedger.reply(ledger.create(key, request, () -> new Charge(
                    "ch_" + chargeIds.incrementAndGet(), request.orderId(), request.amountCents())), key);
        });
        server.post("/refunds", (key, body) -> {
            KeyedLedger.Entry<ChargeRequest, Charge> undone = ledger.undo(key);
            return new JsonHttpServer.Reply(200, undone == null ? new Refund(key, null, false)
                    : new Refund(key, undone.effect().chargeId(), true));
        });
        server.get("/ledger", this::ledger);
    }

    /** Starts the service on an ephemeral loopback port, its faults drawn from {@code seed}. */
    public static PaymentService start(long seed, Faults faults) {
        return new PaymentService(ServiceClient.defaultMapper(), seed, faults);
    }

    /** Where it listens. */
    public URI uri() {
        return server.uri();
    }

    /** How it misbehaves now. */
    public Faults faults() {
        return server.faults();
    }

    /** Changes how it misbehaves, from the next request on. */
    public void faults(Faults faults) {
        server.faults(faults);
    }

    /** Its books, as {@code GET /ledger} returns them. */
    public Ledger ledger() {
        List<LedgerEntry> charges = ledger.entries().stream()
                .map(e -> new LedgerEntry(e.key(), e.effect().chargeId(), e.effect().orderId(),
                        e.effect().amountCents(), e.undone()))
                .toList();
        KeyedLedger.Counts counts = ledger.counts();
        return new Ledger(charges, ledger.voidedKeys(), counts.creates(), counts.undos());
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
