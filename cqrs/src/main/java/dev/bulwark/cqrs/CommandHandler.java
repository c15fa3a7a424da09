package dev.bulwark.cqrs;

/**
 * Handles the commands of one type and returns a result (or {@code null}). What it throws reaches the sender
 * unchanged: domain rejections are exceptions.
 *
 * <pre>{@code
 * CommandHandler<PlaceOrder, Decision<OrderEvent, Order>> handler =
 *         message -> orders.handle(message.command().orderId(), message.command(), message.eventMetadata());
 * }</pre>
 *
 * @param <C> the command type
 * @param <R> the result type
 */
@FunctionalInterface
public interface CommandHandler<C, R> {

    /** Handles one command. */
    R handle(CommandMessage<C> message) throws Exception;
}
