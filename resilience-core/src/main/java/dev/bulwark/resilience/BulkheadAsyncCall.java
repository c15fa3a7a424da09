package dev.bulwark.resilience;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * One asynchronous call under a bulkhead (fixed or adaptive): the stage returned to the caller, and the
 * bookkeeping that gives the call's permit back exactly once.
 *
 * <p>The permit moves {@code NONE -> HELD -> RELEASED}. It is released by a CAS from {@code HELD}, so only
 * one of the three ways a call can end releases it: the inner stage completes ({@link #accept}), the caller
 * cancels this stage ({@link #cancel}), or the call is found cancelled when its turn comes ({@link #run}).
 * A queued call that is cancelled before it got a permit leaves the queue through its owner instead and has
 * nothing to release.
 *
 * <p>One object serves as the returned stage, the completion callback and the task that starts a queued
 * call, so an asynchronous call costs one allocation here besides what the inner stage costs.
 */
final class BulkheadAsyncCall<T> extends CompletableFuture<T> implements BiConsumer<T, Throwable>, Runnable {

    /** The policy whose permit the call holds. */
    interface Owner {
        /** The call ended with {@code failure} ({@code null} after a value); give its permit back. */
        void release(BulkheadAsyncCall<?> call, Throwable failure);

        /** Takes the call's queue entry out of the queue; false if it has been granted meanwhile. */
        default boolean withdraw(BulkheadPermits.Waiter waiter) {
            return false;
        }
    }

    private static final int NONE = 0;
    private static final int HELD = 1;
    private static final int RELEASED = 2;
    @SuppressWarnings("rawtypes")
    private static final AtomicIntegerFieldUpdater<BulkheadAsyncCall> PERMIT =
            AtomicIntegerFieldUpdater.newUpdater(BulkheadAsyncCall.class, "permit");

    private final Owner owner;
    private final Invoker inner;
    private final Supplier<? extends CompletionStage<T>> supplier;
    private volatile int permit;
    /** The inner stage once started, so that cancelling this stage cancels it. */
    private volatile CompletionStage<T> running;
    /** The queue entry while the call waits for a permit. */
    private volatile BulkheadPermits.Waiter waiter;
    /** When the call started and how many calls were in flight then; read by the adaptive bulkhead. */
    long startNanos;
    int inFlight;

    BulkheadAsyncCall(Owner owner, Invoker inner, Supplier<? extends CompletionStage<T>> supplier) {
        this.owner = owner;
        this.inner = inner;
        this.supplier = supplier;
    }

    /** Records that the call now holds a permit; it must then be {@link #run() run}. */
    void permitted() {
        waiter = null;
        permit = HELD;
    }

    /** Records the queue entry of a call that waits for a permit. */
    void queuedAs(BulkheadPermits.Waiter entry) {
        waiter = entry;
    }

    /** Starts the call, which holds a permit; if the caller has cancelled meanwhile, gives the permit back. */
    @Override
    public void run() {
        if (isDone()) {
            releaseOnce(new CancellationException());
            return;
        }
        CompletionStage<T> stage = inner.callAsync(supplier);
        running = stage;
        stage.whenComplete(this);
        if (isCancelled()) {
            CallOutcomes.cancel(stage);
        }
    }

    /** The inner stage completed: give the permit back, then complete the caller's stage the same way. */
    @Override
    public void accept(T value, Throwable failure) {
        releaseOnce(failure);
        if (failure == null) {
            complete(value);
        } else {
            completeExceptionally(failure);
        }
    }

    /**
     * Cancels the call: a queued call leaves the queue; a running call's inner stage is cancelled and its
     * permit is given back at once.
     */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        if (cancelled) {
            BulkheadPermits.Waiter entry = waiter;
            if (entry != null && owner.withdraw(entry)) {
                return true;
            }
            CompletionStage<T> stage = running;
            if (stage != null) {
                CallOutcomes.cancel(stage);
            }
            releaseOnce(new CancellationException());
        }
        return cancelled;
    }

    private void releaseOnce(Throwable failure) {
        if (PERMIT.compareAndSet(this, HELD, RELEASED)) {
            owner.release(this, failure);
        }
    }
}
