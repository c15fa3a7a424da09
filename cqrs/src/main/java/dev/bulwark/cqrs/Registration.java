package dev.bulwark.cqrs;

/**
 * A handler's registration on a bus; closing it removes the handler. Idempotent.
 *
 * <pre>{@code
 * try (Registration registration = commandBus.register(PlaceOrder.class, message -> place(message.command()))) {
 *     commandBus.sendAndWait(new PlaceOrder("42"), Duration.ofSeconds(1));
 * }
 * }</pre>
 */
@FunctionalInterface
public interface Registration extends AutoCloseable {

    /** Removes the handler; commands or queries already dispatched to it still complete. */
    @Override
    void close();
}
