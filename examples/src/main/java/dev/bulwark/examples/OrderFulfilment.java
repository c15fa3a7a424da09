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
 * <p>An in-memory projection replays the log from the start when the process starts again, and in PostgreSQL mode
 * the log outlives the process: so an order that is no longer {@code PLACED} (a saga has it, or had it) gets no
 * second saga. Should two sagas start for one order anyway (two processes racing), the order accepts only the
 * first, and the second fails at its first step, having done nothing.
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
        SagaHandle<ShopOrder> handle = orchestrator.start(saga, new ShopOrder(placed.orderId(), placed.sku(),
                placed.quantity(), placed.amountCents(), placed.address()));
        started.accept(placed.orderId(), handle);
    }

    /** Nothing to empty: the sagas started stay started. */
    @Override
    public void reset() {}
}
