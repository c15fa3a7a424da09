package dev.bulwark.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.examples.OrderCommand.PlaceOrder;
import dev.bulwark.saga.SagaState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The auditor finds what it is meant to find: each rule, broken on purpose behind the shop's back. */
class ConsistencyCheckTest {
    private static final Faults QUICK = new Faults(0, 0, Duration.ofMillis(1), Duration.ofMillis(3));
    private static final PlaceOrder SHIPPED = new PlaceOrder("run-1", "alice", "kettle", 2, 6998, "1 Main Street");
    private static final PlaceOrder REFUSED = new PlaceOrder("run-2", "bob", "kettle", 1, 3499, "PO Box 9");

    private PaymentService payments;
    private ShippingService shipping;
    private Shop shop;
    private final Map<String, CompletableFuture<SagaState>> ended = new ConcurrentHashMap<>();

    @BeforeEach
    void runTwoOrders() throws Exception {
        payments = PaymentService.start(1, QUICK);
        shipping = ShippingService.start(2, QUICK);
        shop = Shop.open(ShopStorage.embedded(null), payments.uri(), shipping.uri(),
                new Inventory(Map.of("kettle", 10)), 3, sample -> {});
        shop.onSagaStarted((orderId, handle) -> handle.result().thenAccept(
                r -> ended.computeIfAbsent(orderId, id -> new CompletableFuture<>()).complete(r.state())));
        shop.place(SHIPPED);
        shop.place(REFUSED);
        assertThat(await(SHIPPED)).isEqualTo(SagaState.COMPLETED);
        assertThat(await(REFUSED)).isEqualTo(SagaState.COMPENSATED);
    }

    private SagaState await(PlaceOrder order) throws Exception {
        return ended.computeIfAbsent(order.orderId(), id -> new CompletableFuture<>()).get(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() {
        shop.close();
        payments.close();
        shipping.close();
    }

    private List<String> audit() {
        return ConsistencyCheck.run(shop, List.of(SHIPPED, REFUSED), "run-").violations();
    }

    @Test
    void a_run_left_alone_is_consistent() {
        ConsistencyCheck.Result result = ConsistencyCheck.run(shop, List.of(SHIPPED, REFUSED), "run-");

        assertThat(result.violations()).isEmpty();
        assertThat(result.confirmed()).isEqualTo(1);
        assertThat(result.cancelled()).isEqualTo(1);
    }

    @Test
    void a_confirmed_order_whose_charge_was_refunded_is_reported() {
        String key = payments.ledger().charges().stream().filter(c -> c.orderId().equals("run-1")).findFirst()
                .orElseThrow().key();
        shop.payments().refund(key);

        assertThat(audit()).singleElement().asString()
                .startsWith("order run-1 is CONFIRMED with charge").contains("but the payment ledger holds []");
    }

    @Test
    void a_cancelled_order_that_is_still_charged_is_reported() {
        shop.payments().charge("stray-key", "run-2", 3499);

        assertThat(audit()).singleElement().asString().startsWith("order run-2 is CANCELLED but was charged");
    }

    @Test
    void a_charge_for_an_order_the_run_never_placed_is_reported() {
        shop.payments().charge("stray-key", "run-3", 100);

        assertThat(audit()).containsExactly("payment-service charged order run-3, which this run never placed");
    }

    @Test
    void stock_released_from_a_confirmed_order_is_reported() {
        String key = shop.inventory().reservations().keySet().iterator().next();
        shop.inventory().release(key);

        assertThat(audit()).anyMatch(v -> v.startsWith("order run-1 is CONFIRMED but its stock is not reserved"))
                .anyMatch(v -> v.equals("stock of kettle: 0 taken from the shelf, 0 held, but confirmed orders bought 2"));
    }
}
