package dev.bulwark.cqrs;

/**
 * A command or query was sent for which no handler is registered. Nothing ran.
 *
 * <pre>{@code
 * try {
 *     commandBus.sendAndWait(new CancelOrder("42"), Duration.ofSeconds(1));
 * } catch (NoHandlerException e) {
 *     // e.getMessage(): "no handler for command type com.example.CancelOrder"
 * }
 * }</pre>
 */
public class NoHandlerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message names the command or query type (and, for queries, the response type) */
    public NoHandlerException(String message) {
        super(message);
    }
}
