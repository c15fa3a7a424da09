package dev.bulwark.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.cqrs.DeciderFixture;
import dev.bulwark.examples.OrderCommand.AcceptOrder;
import dev.bulwark.examples.OrderCommand.CancelOrder;
import dev.bulwark.examples.OrderCommand.ConfirmOrder;
import dev.bulwark.examples.OrderCommand.PlaceOrder;
import dev.bulwark.examples.OrderEvent.OrderAccepted;
import dev.bulwark.examples.OrderEvent.OrderCancelled;
import dev.bulwark.examples.OrderEvent.OrderConfirmed;
import dev.bulwark.examples.OrderEvent.OrderPlaced;
import org.junit.jupiter.api.Test;

/** The order decider as a specification: given these events, when this command, then these events. */
class OrderDeciderTest {
    private final DeciderFixture<OrderCommand, OrderEvent, Order> orders = DeciderFixture.of(OrderDecider.DECIDER);

    private static final PlaceOrder PLACE = new PlaceOrder("42", "alice", "kettle", 2, 6998, "1 Main Street");
    private static final OrderPlaced PLACED = new OrderPlaced("42", "alice", "kettle", 2, 6998, "1 Main Street");
    private static final OrderAccepted ACCEPTED = new OrderAccepted("42", "saga-1");

    @Test
    void a_new_order_is_placed() {
        orders.given().when(PLACE).then(PLACED);
    }

    @Test
    void placing_the_same_order_again_changes_nothing() {
        orders.given(PLACED).when(PLACE).then();
    }

    @Test
    void placing_another_order_under_a_used_id_is_rejected() {
        orders.given(PLACED)
                .when(new PlaceOrder("42", "bob", "mug", 1, 899, "2 Main Street"))
                .thenRejectedWith(OrderRejectedException.class, "order 42 was already placed with other details");
    }

    @Test
    void a_saga_accepts_a_placed_order_and_accepting_again_is_harmless() {
        orders.given(PLACED).when(new AcceptOrder("42", "saga-1")).then(ACCEPTED);
        orders.given(PLACED, ACCEPTED).when(new AcceptOrder("42", "saga-1")).then();
    }

    @Test
    void a_second_saga_cannot_take_an_order_another_saga_accepted() {
        orders.given(PLACED, ACCEPTED)
                .when(new AcceptOrder("42", "saga-2"))
                .thenRejectedWith(OrderRejectedException.class, "order 42 is ACCEPTED by saga saga-1: cannot AcceptOrder");
    }

    @Test
    void the_accepting_saga_confirms_the_order_once() {
        ConfirmOrder confirm = new ConfirmOrder("42", "saga-1", "ch_1", "TRK1");
        OrderConfirmed confirmed = new OrderConfirmed("42", "ch_1", "TRK1");
        orders.given(PLACED, ACCEPTED).when(confirm).then(confirmed)
                .thenState(new Order("42", Order.Status.CONFIRMED, PLACED, "saga-1", "ch_1", "TRK1", null));
        orders.given(PLACED, ACCEPTED, confirmed).when(confirm).then();
    }

    @Test
    void another_saga_cannot_confirm_the_order() {
        orders.given(PLACED, ACCEPTED)
                .when(new ConfirmOrder("42", "saga-2", "ch_9", "TRK9"))
                .thenRejectedWith(OrderRejectedException.class, "cannot ConfirmOrder");
    }

    @Test
    void the_accepting_saga_cancels_the_order_with_its_reason() {
        orders.given(PLACED, ACCEPTED)
                .when(new CancelOrder("42", "saga-1", "step 'charge-payment' failed"))
                .then(new OrderCancelled("42", "step 'charge-payment' failed"));
    }

    @Test
    void a_saga_whose_accept_step_never_ran_may_cancel_the_placed_order() {
        orders.given(PLACED).when(new CancelOrder("42", "saga-1", "saga timed out"))
                .then(new OrderCancelled("42", "saga timed out"));
    }

    @Test
    void a_cancellation_by_a_saga_that_does_not_own_the_order_changes_nothing() {
        orders.given(PLACED, ACCEPTED).when(new CancelOrder("42", "saga-2", "duplicate saga")).then();
    }

    @Test
    void cancelling_twice_is_harmless_but_a_confirmed_order_cannot_be_cancelled() {
        OrderCancelled cancelled = new OrderCancelled("42", "gave up");
        orders.given(PLACED, ACCEPTED, cancelled).when(new CancelOrder("42", "saga-1", "gave up")).then();
        orders.given(PLACED, ACCEPTED, new OrderConfirmed("42", "ch_1", "TRK1"))
                .when(new CancelOrder("42", "saga-1", "too late"))
                .thenRejectedWith(OrderRejectedException.class, "order 42 is CONFIRMED by saga saga-1: cannot CancelOrder");
    }

    @Test
    void an_order_that_does_not_exist_cannot_be_accepted() {
        orders.given().when(new AcceptOrder("42", "saga-1"))
                .thenRejectedWith(OrderRejectedException.class, "order 42 is NEW: cannot AcceptOrder");
    }

    @Test
    void commands_reject_bad_values_when_built() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new PlaceOrder("42", "alice", "kettle", 0, 100, "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("quantity must be at least 1, was 0");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new AcceptOrder(" ", "saga-1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("orderId must not be blank, was \" \"");
        assertThat(Order.Status.CONFIRMED.isFinal()).isTrue();
        assertThat(Order.Status.ACCEPTED.isFinal()).isFalse();
    }
}
