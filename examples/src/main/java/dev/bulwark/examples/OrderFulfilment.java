package dev.bulwark.examples;

import dev.bulwark.cqrs.EventSourcedRepository;
import dev.bulwark.cqrs.Projection;
import dev.bulwark.eventstore.RecordedEvent;
import dev.bulwark.examples.FulfilmentSaga.ShopOrder;
import dev.bulwark.examples.OrderEvent.OrderPlaced;
import dev.bulwark.saga.SagaDefinition;
import dev.bulwark.saga.SagaHandle;
import dev.bulwark.saga.SagaOrchestrator;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * The process manager: for each {@code OrderPlaced} in the global log, starts a fulfilment saga. It runs as a
 * projection (so it gets the runner's ordering, retries and parking) whose "read model" is the sagas it started.
 *
 * <p>The saga's id is derived from the order ({@code fulfil-<orderId>}), and the orchestrator starts a saga at most
 * once per id: an event seen twice (a projection retry; a replay after a restart in PostgreSQL mode, of an order
 * whose saga had not accepted it yet; two processes racing) starts one saga, and the repeat only gets a handle on
 * it. An order that is no longer
 * {@code PLACED} gets no saga at all: with an in-memory saga store, a restart forgets the sagas but the order's
 * events remember how it ended.
 */
final class OrderFulfilment implements Projection {
    private final EventSourcedRepository<OrderCommand, OrderEvent, Order> orders;
    private final SagaOrchestrator orchestrator;
    private final SagaDefinition<ShopOrder> saga;
    private volatile BiConsumer<String, SagaHandle<ShopOrder>> started = (orderId, handle) -> {};

    OrderFulfilment(EventSourcedRepository<OrderCommand, OrderEvent, Order> orders,
            SagaOrchestrator orchestrator, SagaDefinition<ShopOrder> saga) {
        this.orders = Objects.requireNonNull(orders, "orders");
        this.orchestrator = Objects.requireNonNull(orchestrator, "orchestrator");
        this.saga = Objects.requireNonNull(saga, "saga");
    }

    /** Tells {@code listener} about each saga started from now on, with the order it fulfils. */
    void onStarted(BiConsumer<String, SagaHandle<ShopOrder>> listener) {
        this.started = Objects.requireNonNull(listener, "listener");
    }

    @Override
    public void apply(RecordedEvent event) {
        if (!(event.data() instanceof OrderPlaced placed)) {
            return;
        }
        if (orders.state(placed.orderId()).status() != Order.Status.PLACED) {
            return;
        }
        SagaHandle<ShopOrder> handle = orchestrator.start(saga, sagaId(placed.orderId()), new ShopOrder(
                placed.orderId(), placed.sku(), placed.quantity(), placed.amountCents(), placed.address()));
        if (handle.created()) {
            started.accept(placed.orderId(), handle);
        }
    }

    /** The id of the saga that fulfils {@code orderId}. */
    static String sagaId(String orderId) {
        return "fulfil-" + orderId;
    }

    /** Nothing to empty: the sagas started stay started. */
    @Override
    public void reset() {}
}
