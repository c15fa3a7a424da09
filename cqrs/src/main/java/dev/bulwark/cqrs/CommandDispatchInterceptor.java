package dev.bulwark.cqrs;

/**
 * Sees every command on the sender's side, before the bus looks for a handler or checks the command id: the place
 * for validation, for adding metadata (user, correlation id) and for refusing a command early.
 *
 * <pre>{@code
 * CommandDispatchInterceptor validation = message -> {
 *     if (message.command() instanceof PlaceOrder order && order.lines().isEmpty()) {
 *         throw new IllegalArgumentException("an order needs at least one line");
 *     }
 *     return message.withMetadata("user", currentUser());
 * };
 * }</pre>
 */
@FunctionalInterface
public interface CommandDispatchInterceptor {

    /**
     * Returns the message to dispatch: the same one or a changed copy. Throwing refuses the command: the send
     * then fails with that exception and no handler runs.
     */
    CommandMessage<?> onDispatch(CommandMessage<?> message);
}
