package dev.bulwark.eventstore;

/**
 * A failure of an event store operation. Subclasses say what went wrong; {@link TransientEventStoreException}
 * marks the failures worth retrying.
 */
public class EventStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A failure with a message that says what failed and why. */
    public EventStoreException(String message) {
        super(message);
    }

    /** A failure with a message and its cause. */
    public EventStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
