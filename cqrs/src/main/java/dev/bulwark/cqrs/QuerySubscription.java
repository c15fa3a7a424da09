package dev.bulwark.cqrs;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SubscriptionQuery}. Updates are delivered while holding {@link #lock}, so that concurrent emitters cannot
 * reorder them and none slips between the held-back updates and the live ones: until the initial result is ready,
 * {@link #offer} queues; {@link #initialResult(Object, Throwable)} then drains the queue and switches to direct
 * delivery under the same lock.
 */
final class QuerySubscription<I, U> implements SubscriptionQuery<I> {
    private static final Logger LOG = LoggerFactory.getLogger(QuerySubscription.class);

    private final Object query;
    private final Class<U> updateType;
    private final Consumer<? super U> consumer;
    private final int bufferSize;
    private final Runnable onClose;
    private final CompletableFuture<I> initial = new CompletableFuture<>();
    private final CompletableFuture<Void> termination = new CompletableFuture<>();
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by {@link #lock}. */
    private final ArrayDeque<U> held = new ArrayDeque<>();
    /** Guarded by {@link #lock}. */
    private boolean ready;
    /** Guarded by {@link #lock}. */
    private boolean closed;

    QuerySubscription(Object query, Class<U> updateType, Consumer<? super U> consumer, int bufferSize,
            Runnable onClose) {
        this.query = query;
        this.updateType = updateType;
        this.consumer = consumer;
        this.bufferSize = bufferSize;
        this.onClose = onClose;
    }

    /** Whether an update of this kind, emitted for this query type and filter, is for this subscription. */
    <Q> boolean wants(Class<Q> queryType, Predicate<? super Q> filter, Object update) {
        return queryType.isInstance(query) && updateType.isInstance(update) && filter.test(queryType.cast(query));
    }

    /** Delivers an update, or holds it back until the initial result is ready; returns whether it was taken. */
    boolean offer(Object update) {
        U typed = updateType.cast(update);
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            if (!ready) {
                if (held.size() >= bufferSize) {
                    end(new IllegalStateException("subscription query " + query + " received more than " + bufferSize
                            + " updates before its initial result was ready"));
                    return false;
                }
                held.add(typed);
                return true;
            }
            deliver(typed);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The initial query finished: complete the initial result, then release the held updates. */
    void initialResult(I value, Throwable failure) {
        if (failure != null) {
            initial.completeExceptionally(failure);
            end(failure);
            return;
        }
        initial.complete(value);
        lock.lock();
        try {
            ready = true;
            while (!closed && !held.isEmpty()) {
                deliver(held.poll());
            }
        } finally {
            lock.unlock();
        }
    }

    private void deliver(U update) {
        try {
            consumer.accept(update);
        } catch (RuntimeException e) {
            LOG.warn("the update consumer of subscription query {} failed; closing the subscription", query, e);
            end(e);
        }
    }

    @Override
    public CompletionStage<I> initialResult() {
        return initial.minimalCompletionStage();
    }

    @Override
    public CompletionStage<Void> termination() {
        return termination.minimalCompletionStage();
    }

    @Override
    public void close() {
        end(null);
    }

    private void end(Throwable failure) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            held.clear();
        } finally {
            lock.unlock();
        }
        onClose.run();
        if (failure == null) {
            termination.complete(null);
        } else {
            termination.completeExceptionally(failure);
        }
    }

    @Override
    public String toString() {
        return "SubscriptionQuery[" + query + "]";
    }
}
