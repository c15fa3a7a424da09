package dev.bulwark.examples;

import dev.bulwark.cqrs.CommandBus;
import dev.bulwark.examples.OrderCommand.AcceptOrder;
import dev.bulwark.examples.OrderCommand.CancelOrder;
import dev.bulwark.examples.OrderCommand.ConfirmOrder;
import dev.bulwark.examples.PaymentService.Charge;
import dev.bulwark.examples.ShippingService.Shipment;
import dev.bulwark.examples.ShippingService.ShipmentRequest;
import dev.bulwark.saga.Saga;
import dev.bulwark.saga.SagaDefinition;
import java.time.Duration;
import java.util.Objects;

/**
 * The saga that fulfils a placed order:
 *
 * <pre>
 * accept-order      the order is ours now               undo: cancel the order, saying why the saga gave up
 * reserve-stock     local inventory                     undo: release the stock
 * charge-payment    payment-service, over HTTP          undo: refund whatever was charged under the key
 * arrange-shipping  shipping-service, over HTTP         undo: cancel whatever was booked under the key
 * confirm-order     the pivot: the order is confirmed, nothing is undone after it
 * </pre>
 *
 * <p><b>Why the remote steps are compensated on failure.</b> A failed step is normally taken to have had no
 * effect, and is not compensated. A remote call breaks that rule: a charge whose answer was lost, or that the
 * timeout cut off while the service was still working on it, may have charged the customer although the step
 * failed. So the two remote steps are marked {@code compensateOnFailure()}: if the call failed after it was sent,
 * the saga refunds (or cancels) its idempotency key all the same, whether the charge happened, is still on its
 * way, or never will. The services make that safe: undoing a key that has no effect bars it, so a request that
 * arrives late is refused. A call the breaker refused was never sent, and is not undone.
 *
 * <p>Every step may run more than once (a retry, a recovery on another node); each is idempotent by its key, and
 * the order commands are idempotent in the {@link OrderDecider}.
 */
public final class FulfilmentSaga {

    /** The saga's data: the order to fulfil. */
    public record ShopOrder(String orderId, String sku, int quantity, long amountCents, String address) {}

    static final Duration SAGA_TIMEOUT = Duration.ofSeconds(30);
    static final Duration REMOTE_STEP_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);

    private final CommandBus commands;
    private final Inventory inventory;
    private final PaymentClient payments;
    private final ShippingClient shipping;
    private final RemotePolicies paymentPolicies;
    private final RemotePolicies shippingPolicies;

    /** The saga over the shop's command bus, stock, service clients and the policies guarding each service. */
    public FulfilmentSaga(CommandBus commands, Inventory inventory, PaymentClient payments, ShippingClient shipping,
            RemotePolicies paymentPolicies, RemotePolicies shippingPolicies) {
        this.commands = Objects.requireNonNull(commands, "commands");
        this.inventory = Objects.requireNonNull(inventory, "inventory");
        this.payments = Objects.requireNonNull(payments, "payments");
        this.shipping = Objects.requireNonNull(shipping, "shipping");
        this.paymentPolicies = Objects.requireNonNull(paymentPolicies, "paymentPolicies");
        this.shippingPolicies = Objects.requireNonNull(shippingPolicies, "shippingPolicies");
    }

    /** The definition, version 1, named {@code order-fulfilment}. */
    public SagaDefinition<ShopOrder> definition() {
        return Saga.define("order-fulfilment", ShopOrder.class)
                .timeout(SAGA_TIMEOUT)
                .step("accept-order")
                    .action(ctx -> send(new AcceptOrder(ctx.data().orderId(), ctx.sagaId())))
                    .compensation(ctx -> send(new CancelOrder(ctx.data().orderId(), ctx.sagaId(),
                            ctx.compensationReason().orElseThrow().description())))
                .step("reserve-stock")
                    .action(ctx -> inventory.reserve(ctx.idempotencyKey(), ctx.data().sku(), ctx.data().quantity()))
                    .compensation(ctx -> inventory.release(ctx.idempotencyKey()))
                .step("charge-payment")
                    .action(Charge.class, ctx -> payments.charge(ctx.idempotencyKey(), ctx.data().orderId(),
                            ctx.data().amountCents()))
                    .compensation(ctx -> payments.refund(ctx.idempotencyKey()))
                    .policy(paymentPolicies.calls())
                    .compensationPolicy(paymentPolicies.compensations())
                    .timeout(REMOTE_STEP_TIMEOUT)
                    .compensateOnFailure()
                .step("arrange-shipping")
                    .action(Shipment.class, ctx -> shipping.book(ctx.idempotencyKey(), new ShipmentRequest(
                            ctx.data().orderId(), ctx.data().sku(), ctx.data().quantity(), ctx.data().address())))
                    .compensation(ctx -> shipping.cancel(ctx.idempotencyKey()))
                    .policy(shippingPolicies.calls())
                    .compensationPolicy(shippingPolicies.compensations())
                    .timeout(REMOTE_STEP_TIMEOUT)
                    .compensateOnFailure()
                .pivot("confirm-order")
                    .action(ctx -> send(new ConfirmOrder(ctx.data().orderId(), ctx.sagaId(),
                            ctx.output("charge-payment", Charge.class).chargeId(),
                            ctx.output("arrange-shipping", Shipment.class).trackingId())))
                .build();
    }

    private void send(OrderCommand command) {
        commands.sendAndWait(command, COMMAND_TIMEOUT);
    }
}
