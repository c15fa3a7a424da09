package dev.bulwark.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.cqrs.Decision;
import dev.bulwark.examples.FulfilmentSaga.ShopOrder;
import dev.bulwark.examples.OrderCommand.PlaceOrder;
import dev.bulwark.resilience.TimeoutExceededException;
import dev.bulwark.saga.SagaResult;
import dev.bulwark.saga.SagaState;
import dev.bulwark.saga.StepRecord;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shop, one order at a time: the write and read sides, and the saga's happy and compensating paths. */
class ShopTest {
    private static final Faults QUICK = new Faults(0, 0, Duration.ofMillis(1), Duration.ofMillis(5));

    private PaymentService payments;
    private ShippingService shipping;
    private Shop shop;
    private final Map<String, CompletableFuture<SagaResult<ShopOrder>>> sagas = new ConcurrentHashMap<>();

    @BeforeEach
    void open() {
        payments = PaymentService.start(1, QUICK);
        shipping = ShippingService.start(2, QUICK);
        shop = Shop.open(ShopStorage.embedded(null), payments.uri(), shipping.uri(),
                new Inventory(Map.of("kettle", 5)), 3, sample -> {});
        shop.onSagaStarted((orderId, handle) -> sagas.computeIfAbsent(orderId, id -> new CompletableFuture<>())
                .completeAsync(() -> handle.result().toCompletableFuture().join()));
    }

    @AfterEach
    void close() {
        shop.close();
        payments.close();
        shipping.close();
    }

    private static PlaceOrder order(String id, String address) {
        return new PlaceOrder(id, "alice", "kettle", 2, 6998, address);
    }

    private SagaResult<ShopOrder> sagaOf(String orderId) throws Exception {
        return sagas.computeIfAbsent(orderId, id -> new CompletableFuture<>()).get(30, TimeUnit.SECONDS);
    }

    @Test
    void a_query_after_a_command_sees_the_command_s_write() {
        Decision<OrderEvent, Order> placed = shop.place(order("1", "1 Main Street"));

        OrderSummary summary = shop.summary("1", placed.position());

        assertThat(summary.orderId()).isEqualTo("1");
        assertThat(summary.status()).isNotEqualTo(Order.Status.NEW);
        assertThat(summary.amountCents()).isEqualTo(6998);
    }

    @Test
    void placing_the_same_order_twice_places_it_once_and_starts_one_saga() throws Exception {
        Decision<OrderEvent, Order> first = shop.place(order("1", "1 Main Street"));
        Decision<OrderEvent, Order> again = shop.place(order("1", "1 Main Street"));

        assertThat(again).isEqualTo(first);
        assertThat(sagaOf("1").state()).isEqualTo(SagaState.COMPLETED);
        assertThat(shop.commandsHandled()).containsEntry("PlaceOrder", 1L).containsEntry("AcceptOrder", 1L);
    }

    @Test
    void a_healthy_order_is_charged_shipped_and_confirmed_on_both_sides() throws Exception {
        Decision<OrderEvent, Order> placed = shop.place(order("1", "1 Main Street"));

        assertThat(sagaOf("1").state()).isEqualTo(SagaState.COMPLETED);
        Order order = shop.order("1");
        assertThat(order.status()).isEqualTo(Order.Status.CONFIRMED);
        assertThat(shop.summary("1", shop.headPosition())).satisfies(s -> {
            assertThat(s.status()).isEqualTo(Order.Status.CONFIRMED);
            assertThat(s.chargeId()).isEqualTo(order.chargeId());
            assertThat(s.trackingId()).isEqualTo(order.trackingId());
        });
        assertThat(payments.ledger().charges()).singleElement().satisfies(c -> {
            assertThat(c.chargeId()).isEqualTo(order.chargeId());
            assertThat(c.refunded()).isFalse();
        });
        assertThat(shop.inventory().availableStock()).containsEntry("kettle", 3);
        assertThat(placed.position()).isPositive();
    }

    @Test
    void a_charge_cut_off_by_the_timeout_is_undone_even_though_the_service_charged_later() throws Exception {
        payments.faults(new Faults(0, 0, Duration.ofMillis(400), Duration.ofMillis(450)));

        shop.place(order("1", "1 Main Street"));

        SagaResult<ShopOrder> saga = sagaOf("1");
        assertThat(saga.state()).isEqualTo(SagaState.COMPENSATED);
        assertThat(saga.reason().stepId()).isEqualTo("charge-payment");
        assertThat(saga.reason().outcome()).isEqualTo(StepRecord.Outcome.UNCERTAIN);
        assertThat(saga.reason().errorType()).isEqualTo(TimeoutExceededException.class.getName());
        assertThat(payments.awaitIdle(Duration.ofSeconds(5))).isTrue();
        // The first attempt's charge landed (at ~0.4 s) long before the step gave up (after three 250 ms attempts):
        // the step failed, yet the customer was charged. The step is compensated on failure: it was refunded.
        assertThat(payments.ledger().charges()).isNotEmpty().allSatisfy(c -> assertThat(c.refunded()).isTrue());
        assertThat(shop.order("1").status()).isEqualTo(Order.Status.CANCELLED);
        assertThat(shop.order("1").cancelReason()).contains("charge-payment");
        assertThat(shop.inventory().availableStock()).containsEntry("kettle", 5);
    }

    @Test
    void a_shipment_the_carrier_refuses_undoes_the_whole_order() throws Exception {
        shop.place(order("1", "PO Box 12"));

        SagaResult<ShopOrder> saga = sagaOf("1");
        assertThat(saga.state()).isEqualTo(SagaState.COMPENSATED);
        assertThat(saga.reason().stepId()).isEqualTo("arrange-shipping");
        assertThat(saga.reason().errorType()).isEqualTo(RemoteServiceException.class.getName());
        assertThat(saga.reason().errorMessage()).contains("422");
        assertThat(payments.ledger().charges()).singleElement().satisfies(c -> assertThat(c.refunded()).isTrue());
        assertThat(shipping.ledger().shipments()).isEmpty();
        assertThat(shipping.ledger().voidedKeys()).hasSize(1);
        assertThat(shop.inventory().reservations()).isEmpty();
        assertThat(shop.summary("1", shop.headPosition()).status()).isEqualTo(Order.Status.CANCELLED);
    }
}
