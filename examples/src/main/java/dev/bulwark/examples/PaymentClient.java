package dev.bulwark.examples;

import dev.bulwark.examples.PaymentService.Charge;
import dev.bulwark.examples.PaymentService.ChargeRequest;
import dev.bulwark.examples.PaymentService.Ledger;
import dev.bulwark.examples.PaymentService.Refund;
import java.util.Map;
import java.util.Objects;

/**
 * The payment provider's API as the shop sees it: one HTTP attempt per call (policies wrap it from outside).
 *
 * <pre>{@code
 * Charge charge = payments.charge("fulfil-42/charge-payment", "order-42", 1999);
 * payments.refund("fulfil-42/charge-payment");
 * }</pre>
 */
public final class PaymentClient {
    private final ServiceClient http;

    /** A client over {@code http}, a client of the payment service. */
    public PaymentClient(ServiceClient http) {
        this.http = Objects.requireNonNull(http, "http");
    }

    /** Charges {@code amountCents} for the order, once per {@code key} however often it is called. */
    public Charge charge(String key, String orderId, long amountCents) {
        return http.post("charge", "/charges", key, new ChargeRequest(orderId, amountCents), Charge.class);
    }

    /** Refunds what was charged under {@code key}, if anything, and bars the key from charging later. */
    public Refund refund(String key) {
        return http.post("refund", "/refunds", key, Map.of(), Refund.class);
    }

    /** The provider's books. */
    public Ledger ledger() {
        return http.get("ledger", "/ledger", Ledger.class);
    }
}
