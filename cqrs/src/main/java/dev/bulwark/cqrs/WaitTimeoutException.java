package dev.bulwark.cqrs;

/**
 * A wait ended before what it waited for: a command's result ({@link CommandBus#sendAndWait}) or a projection
 * reaching a position ({@link ProjectionRunner#awaitPosition}). The awaited work itself is not cancelled: a
 * command may still complete, a projection still catches up.
 *
 * <pre>{@code
 * try {
 *     Decision<OrderEvent, Order> decision = commandBus.sendAndWait(command, Duration.ofSeconds(2));
 * } catch (WaitTimeoutException e) {
 *     // resend with the same command id to learn the result
 * }
 * }</pre>
 */
public class WaitTimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what was awaited and for how long */
    public WaitTimeoutException(String message) {
        super(message);
    }
}
