package dev.bulwark.examples;

/**
 * The {@link OrderDecider} refused a command: the order is not in a state where the command makes sense. The
 * command bus hands it to the sender unchanged, and the repository never retries it.
 */
public final class OrderRejectedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A rejection with a message that names the order, its state and the command. */
    public OrderRejectedException(String message) {
        super(message);
    }
}
