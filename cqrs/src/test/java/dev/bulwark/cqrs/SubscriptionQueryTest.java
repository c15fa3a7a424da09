package dev.bulwark.cqrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.cqrs.CommandBusTest.ManualExecutor;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Subscription queries: an initial result, then updates as the read model changes. */
class SubscriptionQueryTest {

    record GetStock(String sku) {}

    record Stock(String sku, int units) {}

    private final Map<String, Integer> stock = new ConcurrentHashMap<>(Map.of("a", 5, "b", 7));
    private final List<Stock> updates = new CopyOnWriteArrayList<>();

    private QueryBus busWith(ManualExecutor executor) {
        QueryBusConfig.Builder config = QueryBusConfig.builder().subscriptionBufferSize(2);
        if (executor != null) {
            config.executor(executor);
        }
        QueryBus bus = QueryBus.create(config.build());
        bus.register(GetStock.class, Stock.class, query -> new Stock(query.sku(), stock.get(query.sku())));
        return bus;
    }

    private void change(QueryBus bus, String sku, int units) {
        stock.put(sku, units);
        bus.emit(GetStock.class, query -> query.sku().equals(sku), new Stock(sku, units));
    }

    @Test
    void the_initial_result_comes_first_then_each_update_for_the_query() {
        QueryBus bus = busWith(null);

        SubscriptionQuery<Stock> subscription =
                bus.subscriptionQuery(new GetStock("a"), Stock.class, Stock.class, updates::add);
        change(bus, "a", 4);
        change(bus, "b", 1);
        change(bus, "a", 3);

        assertThat(subscription.initialResult().toCompletableFuture().join()).isEqualTo(new Stock("a", 5));
        assertThat(updates).containsExactly(new Stock("a", 4), new Stock("a", 3));
    }

    @Test
    void updates_emitted_before_the_initial_result_is_ready_are_held_back_and_delivered_after_it_in_order() {
        ManualExecutor executor = new ManualExecutor();
        QueryBus bus = busWith(executor);
        SubscriptionQuery<Stock> subscription =
                bus.subscriptionQuery(new GetStock("a"), Stock.class, Stock.class, updates::add);

        change(bus, "a", 4);
        change(bus, "a", 3);
        assertThat(updates).isEmpty();
        executor.runAll();

        assertThat(subscription.initialResult().toCompletableFuture().join()).isEqualTo(new Stock("a", 3));
        assertThat(updates).containsExactly(new Stock("a", 4), new Stock("a", 3));
    }

    @Test
    void more_held_back_updates_than_the_buffer_holds_end_the_subscription_with_an_error() {
        ManualExecutor executor = new ManualExecutor();
        QueryBus bus = busWith(executor);
        SubscriptionQuery<Stock> subscription =
                bus.subscriptionQuery(new GetStock("a"), Stock.class, Stock.class, updates::add);

        change(bus, "a", 4);
        change(bus, "a", 3);
        change(bus, "a", 2);

        assertThatThrownBy(() -> subscription.termination().toCompletableFuture().join())
                .cause().isInstanceOf(IllegalStateException.class)
                .hasMessage("subscription query GetStock[sku=a] received more than 2 updates before its initial result "
                        + "was ready");
        executor.runAll();
        assertThat(updates).isEmpty();
    }

    @Test
    void a_closed_subscription_receives_nothing_more() {
        QueryBus bus = busWith(null);
        SubscriptionQuery<Stock> subscription =
                bus.subscriptionQuery(new GetStock("a"), Stock.class, Stock.class, updates::add);

        subscription.close();
        change(bus, "a", 4);

        assertThat(updates).isEmpty();
        assertThat(subscription.termination().toCompletableFuture()).isCompleted();
        assertThat(bus.emit(GetStock.class, query -> true, new Stock("a", 1))).isZero();
    }

    @Test
    void updates_of_another_type_are_not_delivered() {
        QueryBus bus = busWith(null);
        bus.subscriptionQuery(new GetStock("a"), Stock.class, Stock.class, updates::add);

        int delivered = bus.emit(GetStock.class, query -> true, "a changed");

        assertThat(delivered).isZero();
        assertThat(updates).isEmpty();
    }

    @Test
    void a_consumer_that_throws_ends_its_subscription() {
        QueryBus bus = busWith(null);
        IllegalStateException broken = new IllegalStateException("screen gone");
        SubscriptionQuery<Stock> subscription = bus.subscriptionQuery(new GetStock("a"), Stock.class, Stock.class,
                update -> {
                    throw broken;
                });

        change(bus, "a", 4);

        assertThatThrownBy(() -> subscription.termination().toCompletableFuture().join()).hasCause(broken);
        assertThat(bus.emit(GetStock.class, query -> true, new Stock("a", 1))).isZero();
    }

    @Test
    void a_failing_initial_query_fails_the_initial_result_and_ends_the_subscription() {
        QueryBus bus = QueryBus.create();

        SubscriptionQuery<Stock> subscription =
                bus.subscriptionQuery(new GetStock("a"), Stock.class, Stock.class, updates::add);

        assertThatThrownBy(() -> subscription.initialResult().toCompletableFuture().join())
                .cause().isInstanceOf(NoHandlerException.class);
        assertThatThrownBy(() -> subscription.termination().toCompletableFuture().join())
                .cause().isInstanceOf(NoHandlerException.class);
    }
}
