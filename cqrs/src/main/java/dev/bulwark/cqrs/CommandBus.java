package dev.bulwark.cqrs;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * Delivers each command to the one handler registered for its type and hands back the handler's result.
 *
 * <pre>{@code
 * CommandBus bus = CommandBus.create(CommandBusConfig.builder().addHandlerInterceptor(logging).build());
 * bus.register(OrderCommand.class, message -> orders.handle(message.command().orderId(), message.command()));
 * Decision<OrderEvent, Order> decision = bus.sendAndWait(new PlaceOrder("42"), Duration.ofSeconds(2));
 * }</pre>
 *
 * <p><b>Handler lookup.</b> A command goes to the handler registered for its class; if there is none, to the one
 * registered for its nearest supertype (so one handler may take every command of a sealed interface). A command
 * type that has no handler fails with {@link NoHandlerException}; one that matches two unrelated registered
 * supertypes fails with {@link IllegalStateException}.
 *
 * <p><b>Order of work for one send.</b>
 * <ol>
 *   <li>the dispatch interceptors, in the order configured, on the sender's thread;
 *   <li>the handler lookup;
 *   <li>deduplication, for a message with a command id: a resend of a command that is running joins it, a resend
 *       of one that succeeded within the window gets its result, in both cases without running anything;
 *   <li>on the configured executor: the handler interceptors, the first configured outermost, then the handler.
 * </ol>
 * A failure at any step completes the returned stage exceptionally with that failure, unchanged; {@code send}
 * itself throws only for a {@code null} argument. A command id is remembered only while its command runs and,
 * after a success, for the deduplication window: a failed command may be sent again with the same id.
 *
 * <p>Results are untyped: the {@code R} of a send is what the caller expects, and a handler that returns something
 * else shows up as a {@link ClassCastException} where the caller uses the result.
 *
 * <p>Thread-safe.
 */
public interface CommandBus {

    /** A bus with {@link CommandBusConfig#defaults()}. */
    static CommandBus create() {
        return create(CommandBusConfig.defaults());
    }

    /** A bus with the given settings. */
    static CommandBus create(CommandBusConfig config) {
        return new DefaultCommandBus(config);
    }

    /**
     * Registers the handler of a command type (a class, or an interface its commands implement).
     *
     * @throws IllegalStateException if a handler is already registered for exactly this type
     */
    <C> Registration register(Class<C> commandType, CommandHandler<C, ?> handler);

    /** Sends a command without id or metadata; see {@link #send(CommandMessage)}. */
    <R> CompletionStage<R> send(Object command);

    /** Sends a command; the stage completes with the handler's result or failure. */
    <R> CompletionStage<R> send(CommandMessage<?> message);

    /** Sends a command without id or metadata and waits; see {@link #sendAndWait(CommandMessage, Duration)}. */
    <R> R sendAndWait(Object command, Duration timeout);

    /**
     * Sends a command and waits for its result.
     *
     * @return the handler's result
     * @throws WaitTimeoutException if the command did not complete within {@code timeout} (it may still complete)
     * @throws RuntimeException what the handler or an interceptor threw, unchanged if unchecked, else wrapped in a
     *     {@link java.util.concurrent.CompletionException}
     * @throws java.util.concurrent.CancellationException if the thread is interrupted while waiting (its interrupt
     *     status is set again)
     */
    <R> R sendAndWait(CommandMessage<?> message, Duration timeout);
}
