package dev.bulwark.examples;

import dev.bulwark.cqrs.Decider;
import dev.bulwark.examples.Order.Status;
import dev.bulwark.examples.OrderCommand.AcceptOrder;
import dev.bulwark.examples.OrderCommand.CancelOrder;
import dev.bulwark.examples.OrderCommand.ConfirmOrder;
import dev.bulwark.examples.OrderCommand.PlaceOrder;
import dev.bulwark.examples.OrderEvent.OrderAccepted;
import dev.bulwark.examples.OrderEvent.OrderCancelled;
import dev.bulwark.examples.OrderEvent.OrderConfirmed;
import dev.bulwark.examples.OrderEvent.OrderPlaced;
import java.util.List;
import java.util.Objects;

/**
 * The order aggregate as a {@link Decider}: pure functions, no storage, tested with
 * {@link dev.bulwark.cqrs.DeciderFixture}.
 *
 * <p>Every command is idempotent: sending it again after it took effect changes nothing and is not an error.
 * That matters because the saga runs each step at least once (after a crash, a timeout, a lost lease), and a
 * step that sends a command may send it twice. The saga id in each saga command keeps any other saga for the
 * same order from touching an order it does not own (the process manager starts one saga per order, by id; this
 * is the order's own guard).
 *
 * <pre>{@code
 * List<OrderEvent> events = OrderDecider.DECIDER.decide(new AcceptOrder("42", "saga-7"), order);
 * }</pre>
 */
public final class OrderDecider {

    /** The decider of the order aggregate. */
    public static final Decider<OrderCommand, OrderEvent, Order> DECIDER =
            Decider.of(() -> Order.NONE, OrderDecider::decide, Order::evolve);

    private OrderDecider() {}

    private static List<OrderEvent> decide(OrderCommand command, Order order) {
        if (command instanceof PlaceOrder place) {
            return place(place, order);
        }
        if (command instanceof AcceptOrder accept) {
            return accept(accept, order);
        }
        if (command instanceof ConfirmOrder confirm) {
            return confirm(confirm, order);
        }
        return cancel((CancelOrder) command, order);
    }

    private static List<OrderEvent> place(PlaceOrder place, Order order) {
        OrderPlaced placed = new OrderPlaced(place.orderId(), place.customer(), place.sku(), place.quantity(),
                place.amountCents(), place.address());
        if (order.status() == Status.NEW) {
            return List.of(placed);
        }
        if (placed.equals(order.placed())) {
            return List.of();
        }
        throw new OrderRejectedException("order " + place.orderId() + " was already placed with other details");
    }

    private static List<OrderEvent> accept(AcceptOrder accept, Order order) {
        if (order.status() == Status.PLACED) {
            return List.of(new OrderAccepted(accept.orderId(), accept.sagaId()));
        }
        if (order.status() == Status.ACCEPTED && accept.sagaId().equals(order.sagaId())) {
            return List.of();
        }
        throw rejected(accept, order);
    }

    private static List<OrderEvent> confirm(ConfirmOrder confirm, Order order) {
        boolean ours = confirm.sagaId().equals(order.sagaId());
        if (order.status() == Status.ACCEPTED && ours) {
            return List.of(new OrderConfirmed(confirm.orderId(), confirm.chargeId(), confirm.trackingId()));
        }
        if (order.status() == Status.CONFIRMED && ours && confirm.chargeId().equals(order.chargeId())
                && confirm.trackingId().equals(order.trackingId())) {
            return List.of();
        }
        throw rejected(confirm, order);
    }

    /**
     * A saga may cancel an order it accepted, or one still waiting for a saga (its accept step was abandoned
     * before it ran); an order another saga accepted is left alone, without an error, because the compensation
     * that asks is then simply not needed.
     */
    private static List<OrderEvent> cancel(CancelOrder cancel, Order order) {
        if (order.status() == Status.PLACED
                || order.status() == Status.ACCEPTED && cancel.sagaId().equals(order.sagaId())) {
            return List.of(new OrderCancelled(cancel.orderId(), cancel.reason()));
        }
        if (order.status() == Status.CANCELLED
                || order.status() == Status.ACCEPTED && !cancel.sagaId().equals(order.sagaId())) {
            return List.of();
        }
        throw rejected(cancel, order);
    }

    private static OrderRejectedException rejected(OrderCommand command, Order order) {
        String owner = order.sagaId() == null ? "" : " by saga " + order.sagaId();
        return new OrderRejectedException("order " + command.orderId() + " is " + order.status() + owner + ": cannot "
                + Objects.requireNonNull(command).getClass().getSimpleName());
    }
}
