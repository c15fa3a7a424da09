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
import dev.bulwark.saga.SagaOperator;
import dev.bulwark.saga.SagaSummary;
import dev.bulwark.saga.StepContext;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The saga that fulfils a placed order:
 *
 * <pre>
 * accept-order      the order is ours now               undo: cancel the order (with the saga's reason)
 * reserve-stock     local inventory                     undo: release the stock
 * prepare-payment   fix the payment's idempotency key   undo: refund whatever was charged under it
 * charge-payment    payment-service, over HTTP
 * prepare-shipment  fix the shipment's idempotency key  undo: cancel whatever was booked under it
 * arrange-shipping  shipping-service, over HTTP
 * confirm-order     the pivot: the order is confirmed, nothing is undone after it
 * </pre>
 *
 * <p><b>Why the undo of a remote call sits on the step before it.</b> The saga compensates the steps that completed
 * or timed out, not those that failed: a failed step is taken to have had no effect. A remote call breaks that
 * rule: a charge whose answer was lost, or that the timeout cut off while the service was still working on it, may
 * have charged the customer although the step failed. So each remote call is prepared by a local step that records
 * the idempotency key (in the saga's history, before the call is sent) and carries the compensation. If anything
 * after it fails, the saga refunds that key, whether the charge happened, is still on its way, or never will: the
 * payment service refunds it, or bars the key so that a late charge is refused.
 *
 * <p>Every step may run more than once (a retry, a recovery on another node); each is idempotent by its key, and
 * the order commands are idempotent in the {@link OrderDecider}.
 */
public final class FulfilmentSaga {

    /** The saga's data: the order to fulfil. */
    public record ShopOrder(String orderId, String sku, int quantity, long amountCents, String address) {}

    /** The idempotency key a remote call and its compensation share. */
    public record RemoteKey(String key) {}

    static final Duration SAGA_TIMEOUT = Duration.ofSeconds(30);
    static final Duration REMOTE_STEP_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);

    private final CommandBus commands;
    private final Inventory inventory;
    private final PaymentClient payments;
    private final ShippingClient shipping;
    private final RemotePolicies paymentPolicies;
    private final RemotePolicies shippingPolicies;
    private final Supplier<SagaOperator> operator;

    /**
     * @param operator the operator API of the orchestrator that will run the saga (built after the definition,
     *     hence a supplier), read by the compensation that cancels the order to say why
     */
    public FulfilmentSaga(CommandBus commands, Inventory inventory, PaymentClient payments, ShippingClient shipping,
            RemotePolicies paymentPolicies, RemotePolicies shippingPolicies, Supplier<SagaOperator> operator) {
        this.commands = Objects.requireNonNull(commands, "commands");
        this.inventory = Objects.requireNonNull(inventory, "inventory");
        this.payments = Objects.requireNonNull(payments, "payments");
        this.shipping = Objects.requireNonNull(shipping, "shipping");
        this.paymentPolicies = Objects.requireNonNull(paymentPolicies, "paymentPolicies");
        this.shippingPolicies = Objects.requireNonNull(shippingPolicies, "shippingPolicies");
        this.operator = Objects.requireNonNull(operator, "operator");
    }

    /** The definition, version 1, named {@code order-fulfilment}. */
    public SagaDefinition<ShopOrder> definition() {
        return Saga.define("order-fulfilment", ShopOrder.class)
                .timeout(SAGA_TIMEOUT)
                .step("accept-order")
                    .action(ctx -> send(new AcceptOrder(ctx.data().orderId(), ctx.sagaId())))
                    .compensation(ctx -> send(new CancelOrder(ctx.data().orderId(), ctx.sagaId(), reason(ctx))))
                .step("reserve-stock")
                    .action(ctx -> inventory.reserve(ctx.idempotencyKey(), ctx.data().sku(), ctx.data().quantity()))
                    .compensation(ctx -> inventory.release(ctx.idempotencyKey()))
                .step("prepare-payment")
                    .action(RemoteKey.class, ctx -> new RemoteKey(ctx.idempotencyKey()))
                    .compensation(ctx -> payments.refund(key(ctx, "prepare-payment")))
                    .compensationPolicy(paymentPolicies.compensations())
                .step("charge-payment")
                    .action(Charge.class, ctx -> payments.charge(key(ctx, "prepare-payment"), ctx.data().orderId(),
                            ctx.data().amountCents()))
                    .policy(paymentPolicies.calls())
                    .timeout(REMOTE_STEP_TIMEOUT)
                .step("prepare-shipment")
                    .action(RemoteKey.class, ctx -> new RemoteKey(ctx.idempotencyKey()))
                    .compensation(ctx -> shipping.cancel(key(ctx, "prepare-shipment")))
                    .compensationPolicy(shippingPolicies.compensations())
                .step("arrange-shipping")
                    .action(Shipment.class, ctx -> shipping.book(key(ctx, "prepare-shipment"), new ShipmentRequest(
                            ctx.data().orderId(), ctx.data().sku(), ctx.data().quantity(), ctx.data().address())))
                    .policy(shippingPolicies.calls())
                    .timeout(REMOTE_STEP_TIMEOUT)
                .pivot("confirm-order")
                    .action(ctx -> send(new ConfirmOrder(ctx.data().orderId(), ctx.sagaId(),
                            ctx.output("charge-payment", Charge.class).chargeId(),
                            ctx.output("arrange-shipping", Shipment.class).trackingId())))
                .build();
    }

    private void send(OrderCommand command) {
        commands.sendAndWait(command, COMMAND_TIMEOUT);
    }

    private static String key(StepContext<ShopOrder> ctx, String preparingStep) {
        return ctx.output(preparingStep, RemoteKey.class).key();
    }

    /** Why the saga is compensating, as recorded in its store: the failing step and its error, or a timeout. */
    private String reason(StepContext<ShopOrder> ctx) {
        return operator.get().find(ctx.sagaId()).map(SagaSummary::message)
                .filter(message -> !message.isBlank())
                .orElse("fulfilment gave up");
    }
}
