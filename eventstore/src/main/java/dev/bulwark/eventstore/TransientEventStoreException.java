package dev.bulwark.eventstore;

/**
 * A failure that may go away when the operation is tried again: a lost or refused connection, a serialization
 * failure or deadlock, a server restarting.
 *
 * <p>When {@link #outcomeUnknown()} is true, the connection broke after the write was sent, so the append may have
 * committed or not. Retrying with the same event ids is safe either way: an append whose events are already
 * stored at the same place succeeds without storing them twice.
 *
 * <pre>{@code
 * try {
 *     store.append(streamId, expected, events);
 * } catch (TransientEventStoreException e) {
 *     store.append(streamId, expected, events); // same ids: harmless if the first one committed
 * }
 * }</pre>
 */
public class TransientEventStoreException extends EventStoreException {
    private static final long serialVersionUID = 1L;

    private final boolean outcomeUnknown;

    /**
     * @param message what failed
     * @param outcomeUnknown whether the write may have committed
     * @param cause the underlying failure
     */
    public TransientEventStoreException(String message, boolean outcomeUnknown, Throwable cause) {
        super(message, cause);
        this.outcomeUnknown = outcomeUnknown;
    }

    /** Whether the operation may have taken effect although it reported failure. */
    public boolean outcomeUnknown() {
        return outcomeUnknown;
    }
}
