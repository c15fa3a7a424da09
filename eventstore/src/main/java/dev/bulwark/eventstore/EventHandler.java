package dev.bulwark.eventstore;

/**
 * Receives the events of a {@link Subscription}, one at a time, in order, on the subscription's thread. The next
 * event is read only after this returns: a slow handler slows the reading, it never fills memory.
 *
 * <pre>{@code
 * EventHandler handler = event -> readModel.apply(event);
 * }</pre>
 */
@FunctionalInterface
public interface EventHandler {

    /**
     * Handles one event. Throwing stops the subscription: {@link Subscription#termination()} then completes with
     * the exception, and {@link Subscription#position()} is that of the last event handled without throwing.
     */
    void handle(RecordedEvent event) throws Exception;
}
