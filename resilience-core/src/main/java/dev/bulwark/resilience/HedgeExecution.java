package dev.bulwark.resilience;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One call through a {@link DefaultHedge}: the primary attempt, a timer that starts a hedge every delay
 * while no attempt has answered, and {@link #result}, which the first success completes.
 *
 * <p>Why it is correct: {@link #result} is the only arbiter of the outcome (first completion wins). The
 * counts {@code started}/{@code failed} and the timer handle are guarded by {@link #lock}, held only for a
 * few assignments and never while an attempt starts, so that an attempt completing on the starting thread
 * cannot deadlock. An attempt's slot is assigned under the lock before it starts, which makes "every started
 * attempt failed" exact: a hedge that is being started already counts. Losers are cancelled when the
 * result completes, from the attempts array; an attempt stored after that sees the result done and cancels
 * itself, so none is missed.
 */
final class HedgeExecution<T> implements Runnable {
    final CompletableFuture<T> result = new CompletableFuture<>();
    /** Set by whoever decides the call (a win, or the last failure), before it completes {@link #result}, so
     * the hedge's counts already include the call when the caller sees it end. */
    private final AtomicBoolean decided = new AtomicBoolean();
    private final DefaultHedge hedge;
    private final Supplier<? extends CompletionStage<T>> starter;
    private final ContextSnapshot context;
    private final Deadline deadline;

    private final ReentrantLock lock = new ReentrantLock();
    private AtomicReferenceArray<CompletionStage<T>> attempts;
    private int maxAttempts;
    private long delayNanos;
    /** Guarded by {@link #lock}. */
    private int started;
    /** Guarded by {@link #lock}. */
    private int failed;
    /** Guarded by {@link #lock}: the pending timer, or null. */
    private Scheduler.Task timer;

    HedgeExecution(DefaultHedge hedge, Supplier<? extends CompletionStage<T>> starter, ContextSnapshot context,
            Deadline deadline) {
        this.hedge = hedge;
        this.starter = starter;
        this.context = context;
        this.deadline = deadline;
    }

    void start(int maxAttempts, long delayNanos) {
        this.maxAttempts = maxAttempts;
        this.delayNanos = delayNanos;
        this.attempts = new AtomicReferenceArray<>(maxAttempts);
        result.whenComplete((value, failure) -> cancelTheRest());
        lock.lock();
        try {
            started = 1;
            timer = hedge.scheduler.schedule(this, delayNanos);
        } finally {
            lock.unlock();
        }
        launch(0);
    }

    /** The hedge timer fired: start another attempt unless the call is over. */
    @Override
    public void run() {
        int attempt;
        lock.lock();
        try {
            timer = null;
            if (result.isDone() || started == maxAttempts || Deadline.remainingNanos(deadline) <= 0) {
                return;
            }
            attempt = started + 1;
        } finally {
            lock.unlock();
        }
        // the budget and the listeners are called outside the lock; a token taken for a call that a
        // concurrent success just ended is the only cost of that
        if (!hedge.tryStartHedge(attempt, delayNanos)) {
            return;
        }
        int index;
        lock.lock();
        try {
            if (result.isDone()) {
                return;
            }
            index = started++;
            if (started < maxAttempts) {
                timer = hedge.scheduler.schedule(this, delayNanos);
            }
        } finally {
            lock.unlock();
        }
        Deadline.Holder holder = Deadline.holder();
        Clock savedClock = holder.clock;
        long savedAt = holder.atNanos;
        ContextSnapshot.Scope scope = context.apply();
        try {
            holder.installIfEarlier(deadline);
            launch(index);
        } finally {
            scope.close();
            holder.restore(savedClock, savedAt);
        }
    }

    private void launch(int index) {
        long startNanos = hedge.clock.nanoTime();
        CompletionStage<T> stage;
        try {
            stage = starter.get();
        } catch (Throwable failure) {
            stage = CompletableFuture.failedFuture(failure);
        }
        attempts.set(index, stage);
        if (result.isDone()) {
            PipelineFailures.cancel(stage);
            return;
        }
        stage.whenComplete((value, failure) -> {
            if (failure == null) {
                if (!result.isDone() && decided.compareAndSet(false, true)) {
                    hedge.recordWin(index, hedge.clock.nanoTime() - startNanos);
                    result.complete(value);
                }
            } else {
                attemptFailed(failure);
            }
        });
    }

    private void attemptFailed(Throwable failure) {
        boolean allFailed;
        lock.lock();
        try {
            failed++;
            allFailed = failed == started;
        } finally {
            lock.unlock();
        }
        if (allFailed && !result.isDone() && decided.compareAndSet(false, true)) {
            hedge.recordFailure();
            result.completeExceptionally(PipelineFailures.unwrap(failure));
        }
    }

    private void cancelTheRest() {
        Scheduler.Task pending;
        lock.lock();
        try {
            pending = timer;
            timer = null;
        } finally {
            lock.unlock();
        }
        if (pending != null) {
            pending.cancel();
        }
        for (int i = 0; i < attempts.length(); i++) {
            CompletionStage<T> stage = attempts.get(i);
            PipelineFailures.cancel(stage); // a completed stage ignores it
        }
    }
}
