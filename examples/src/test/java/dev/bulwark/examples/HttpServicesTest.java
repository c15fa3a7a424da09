package dev.bulwark.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.examples.PaymentService.Charge;
import dev.bulwark.examples.ShippingService.ShipmentRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The simulated services, over real HTTP: idempotency keys, compensations that overtake actions, injected faults. */
class HttpServicesTest {
    private static final Duration FAST = Duration.ZERO;

    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final HttpClient http = HttpClient.newBuilder().executor(executor).version(HttpClient.Version.HTTP_1_1)
            .build();
    private final List<CallSample> samples = new CopyOnWriteArrayList<>();
    private final PaymentService paymentService = PaymentService.start(1, new Faults(0, 0, FAST, FAST));
    private final ShippingService shippingService = ShippingService.start(2, new Faults(0, 0, FAST, FAST));
    private final PaymentClient payments = new PaymentClient(client("payment-service", paymentService.uri()));
    private final ShippingClient shipping = new ShippingClient(client("shipping-service", shippingService.uri()));

    @AfterEach
    void stop() {
        paymentService.close();
        shippingService.close();
        executor.shutdownNow();
    }

    private ServiceClient client(String name, URI uri) {
        return new ServiceClient(name, uri, http, Duration.ofSeconds(5), samples::add);
    }

    @Test
    void a_charge_repeated_with_the_same_key_charges_once() {
        Charge first = payments.charge("fulfil-42/charge-payment", "42", 1999);
        Charge again = payments.charge("fulfil-42/charge-payment", "42", 1999);

        assertThat(again).isEqualTo(first);
        PaymentService.Ledger ledger = payments.ledger();
        assertThat(ledger.charges()).containsExactly(
                new PaymentService.LedgerEntry("fulfil-42/charge-payment", first.chargeId(), "42", 1999, false));
        assertThat(ledger.chargeRequests()).isEqualTo(2);
    }

    @Test
    void a_key_reused_for_another_charge_is_refused() {
        payments.charge("fulfil-42/charge-payment", "42", 1999);

        assertThatThrownBy(() -> payments.charge("fulfil-42/charge-payment", "42", 5000))
                .isInstanceOfSatisfying(RemoteServiceException.class, e -> {
                    assertThat(e.status()).isEqualTo(422);
                    assertThat(e.retryable()).isFalse();
                });
        assertThat(payments.ledger().charges()).hasSize(1);
    }

    @Test
    void a_refund_repeated_with_the_same_key_refunds_once() {
        Charge charge = payments.charge("fulfil-42/charge-payment", "42", 1999);

        PaymentService.Refund first = payments.refund("fulfil-42/charge-payment");
        PaymentService.Refund again = payments.refund("fulfil-42/charge-payment");

        assertThat(first).isEqualTo(new PaymentService.Refund("fulfil-42/charge-payment", charge.chargeId(), true));
        assertThat(again).isEqualTo(first);
        assertThat(payments.ledger().charges()).singleElement().satisfies(e -> assertThat(e.refunded()).isTrue());
    }

    @Test
    void a_charge_that_arrives_after_its_refund_never_happens() {
        PaymentService.Refund refund = payments.refund("fulfil-42/charge-payment");

        assertThat(refund.refunded()).isFalse();
        assertThatThrownBy(() -> payments.charge("fulfil-42/charge-payment", "42", 1999))
                .isInstanceOfSatisfying(RemoteServiceException.class, e -> assertThat(e.status()).isEqualTo(409));
        assertThat(payments.ledger().charges()).isEmpty();
        assertThat(payments.ledger().voidedKeys()).containsExactly("fulfil-42/charge-payment");
    }

    @Test
    void an_injected_failure_answers_503_and_changes_nothing() {
        paymentService.faults(new Faults(1, 0, FAST, FAST));

        assertThatThrownBy(() -> payments.charge("fulfil-42/charge-payment", "42", 1999))
                .isInstanceOfSatisfying(RemoteServiceException.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.retryable()).isTrue();
                });
        assertThat(payments.ledger().charges()).isEmpty();
        assertThat(samples).extracting(CallSample::result).containsExactly(CallSample.Result.FAILED,
                CallSample.Result.SUCCEEDED);
    }

    @Test
    void a_lost_response_charged_all_the_same_and_the_retry_with_the_same_key_finds_the_charge() {
        paymentService.faults(new Faults(0, 1, FAST, FAST));
        assertThatThrownBy(() -> payments.charge("fulfil-42/charge-payment", "42", 1999))
                .isInstanceOfSatisfying(RemoteServiceException.class, e -> assertThat(e.status()).isEqualTo(500));
        paymentService.faults(new Faults(0, 0, FAST, FAST));

        Charge retried = payments.charge("fulfil-42/charge-payment", "42", 1999);

        assertThat(payments.ledger().charges()).singleElement()
                .satisfies(e -> assertThat(e.chargeId()).isEqualTo(retried.chargeId()));
    }

    @Test
    void a_request_without_an_idempotency_key_is_refused() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(paymentService.uri().resolve("/charges"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"orderId\":\"42\",\"amountCents\":1}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("the Idempotency-Key header is required");
    }

    @Test
    void a_booking_repeated_with_the_same_key_books_once_and_its_cancellation_too() {
        ShipmentRequest request = new ShipmentRequest("42", "kettle", 1, "1 Main Street");
        ShippingService.Shipment first = shipping.book("fulfil-42/arrange-shipping", request);

        assertThat(shipping.book("fulfil-42/arrange-shipping", request)).isEqualTo(first);
        assertThat(shipping.cancel("fulfil-42/arrange-shipping").cancelled()).isTrue();
        assertThat(shipping.cancel("fulfil-42/arrange-shipping").trackingId()).isEqualTo(first.trackingId());
        assertThat(shipping.ledger().shipments()).singleElement().satisfies(e -> assertThat(e.cancelled()).isTrue());
    }

    @Test
    void the_carrier_refuses_a_po_box_for_good() {
        assertThatThrownBy(() -> shipping.book("fulfil-42/arrange-shipping",
                new ShipmentRequest("42", "kettle", 1, "PO Box 7")))
                .isInstanceOfSatisfying(RemoteServiceException.class, e -> {
                    assertThat(e.status()).isEqualTo(422);
                    assertThat(e).hasMessageContaining("we do not deliver to a PO box: PO Box 7");
                });
        assertThat(shipping.ledger().shipments()).isEmpty();
    }

    @Test
    void faults_reject_bad_values_with_their_names() {
        assertThatThrownBy(() -> new Faults(1.5, 0, FAST, FAST)).hasMessage("failureRate must be in [0, 1], was 1.5");
        assertThatThrownBy(() -> new Faults(0.6, 0.6, FAST, FAST))
                .hasMessage("failureRate + lostResponseRate must be at most 1, was 1.2");
        assertThatThrownBy(() -> new Faults(0, 0, Duration.ofMillis(5), Duration.ofMillis(1)))
                .hasMessage("maxLatency must be at least minLatency (PT0.005S), was PT0.001S");
    }
}
