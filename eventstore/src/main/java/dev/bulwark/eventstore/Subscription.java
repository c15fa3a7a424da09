package dev.bulwark.eventstore;

import java.util.concurrent.CompletionStage;

/**
 * A running subscription: it reads from its checkpoint to the end of the log (or stream), then follows new events
 * as they commit, handing each to its {@link EventHandler} exactly once, in order.
 *
 * <p>Threads: the subscription runs as one long task on the {@link java.util.concurrent.Executor} the caller gave
 * to {@code subscribeToAll} or {@code subscribeToStream}, and occupies one of its threads until it stops (a
 * virtual-thread executor suits it well). The store starts no thread of its own. When it has caught up it waits
 * for a signal that new events committed (in memory: a condition; PostgreSQL: LISTEN/NOTIFY, with a slow safety
 * poll), not for a tight poll.
 *
 * <pre>{@code
 * ExecutorService executor = Executors.newSingleThreadExecutor();
 * try (Subscription subscription = store.subscribeToAll(checkpoint, EventFilter.ALL, projection::apply, executor)) {
 *     ...
 * }
 * executor.shutdown();
 * }</pre>
 */
public interface Subscription extends AutoCloseable {

    /**
     * The checkpoint: the global position (for a subscription to the global log) or the stream version (for a
     * subscription to one stream) of the last event handled, or further once the log was read past it (events a
     * filter skipped, or positions no event can take any more). Store it with what the handler did, and subscribe
     * from it after a restart.
     */
    long position();

    /** Whether the subscription has caught up with the log at least once and now follows new events. */
    boolean isLive();

    /**
     * Completes when the subscription stops: normally after {@link #close()}, exceptionally with the handler's
     * exception or a store failure that is not transient (transient ones are retried).
     */
    CompletionStage<Void> termination();

    /**
     * Stops the subscription. When called from another thread than the subscription's, waits until the handler
     * call in progress, if any, has returned, so that no event is handled after this returns. Idempotent.
     */
    @Override
    void close();
}
