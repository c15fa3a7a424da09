package dev.bulwark.examples;

import dev.bulwark.cqrs.Projection;
import dev.bulwark.eventstore.RecordedEvent;
import dev.bulwark.examples.OrderEvent.OrderAccepted;
import dev.bulwark.examples.OrderEvent.OrderCancelled;
import dev.bulwark.examples.OrderEvent.OrderConfirmed;
import dev.bulwark.examples.OrderEvent.OrderPlaced;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The order-summary read model: one {@link OrderSummary} per order, kept in memory by a projection runner that
 * follows the {@code order} streams of the global log. Queries read it from any thread.
 *
 * <pre>{@code
 * OrderSummaries summaries = new OrderSummaries();
 * ProjectionRunner runner = ProjectionRunner.inMemory("order-summaries", store, summaries,
 *         ProjectionConfig.builder(executor).filter(EventFilter.categories("order")).build());
 * }</pre>
 */
public final class OrderSummaries implements Projection {
    private final Map<String, OrderSummary> byId = new ConcurrentHashMap<>();

    @Override
    public void apply(RecordedEvent event) {
        Object data = event.data();
        if (data instanceof OrderPlaced placed) {
            byId.put(placed.orderId(), new OrderSummary(placed.orderId(), Order.Status.PLACED, placed.customer(),
                    placed.sku(), placed.quantity(), placed.amountCents(), null, null, null, event.timestamp(),
                    event.timestamp()));
        } else if (data instanceof OrderAccepted accepted) {
            byId.computeIfPresent(accepted.orderId(),
                    (id, s) -> s.with(Order.Status.ACCEPTED, null, null, null, event.timestamp()));
        } else if (data instanceof OrderConfirmed confirmed) {
            byId.computeIfPresent(confirmed.orderId(), (id, s) -> s.with(Order.Status.CONFIRMED,
                    confirmed.chargeId(), confirmed.trackingId(), null, event.timestamp()));
        } else if (data instanceof OrderCancelled cancelled) {
            byId.computeIfPresent(cancelled.orderId(),
                    (id, s) -> s.with(Order.Status.CANCELLED, null, null, cancelled.reason(), event.timestamp()));
        }
    }

    @Override
    public void reset() {
        byId.clear();
    }

    /**
     * The summary of an order: the query handler.
     *
     * @throws NoSuchElementException if the read model has no such order (yet)
     */
    public OrderSummary get(OrderSummary.Get query) {
        OrderSummary summary = byId.get(query.orderId());
        if (summary == null) {
            throw new NoSuchElementException("no order " + query.orderId() + " in the order summaries");
        }
        return summary;
    }
}
