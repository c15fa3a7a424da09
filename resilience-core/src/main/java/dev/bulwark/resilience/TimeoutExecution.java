package dev.bulwark.resilience;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * One asynchronous call through a {@link DefaultTimeout}: a race between the call's stage and a timer on
 * the scheduler, decided by whichever completes {@link #result} first. The timer, if it wins, cancels the
 * call's stage (read through a volatile field, set once the inner call returned it; if the timer fires
 * before that, {@link #follow} sees the result done and cancels the stage itself). A cancelled result
 * cancels both the timer and the call. Whoever wins the race sets {@link #decided} first and records the
 * outcome in the timeout's counts before completing the result, so the counts already include the call when
 * the caller sees it end.
 */
final class TimeoutExecution<T> implements BiConsumer<T, Throwable>, Runnable {
    final CompletableFuture<T> result = new CompletableFuture<>();
    private final AtomicBoolean decided = new AtomicBoolean();
    private final DefaultTimeout timeout;
    private final ContextSnapshot context;
    private volatile Scheduler.Task timer;
    private volatile CompletionStage<T> call;

    TimeoutExecution(DefaultTimeout timeout, ContextSnapshot context) {
        this.timeout = timeout;
        this.context = context;
    }

    void arm(long timeoutNanos) {
        timer = timeout.scheduler.schedule(this, timeoutNanos);
        result.whenComplete((value, failure) -> {
            if (result.isCancelled()) {
                decided.set(true);
                timer.cancel();
                PipelineFailures.cancel(call);
            }
        });
    }

    void follow(CompletionStage<T> stage) {
        call = stage;
        if (result.isDone()) {
            PipelineFailures.cancel(stage);
            return;
        }
        stage.whenComplete(this);
    }

    /** The timer fired: runs on the scheduler's thread, with the caller's context for whoever waits. */
    @Override
    public void run() {
        ContextSnapshot.Scope scope = context.apply();
        try {
            if (!result.isDone() && decided.compareAndSet(false, true)) {
                timeout.recordTimeout();
                result.completeExceptionally(new TimeoutException(timeout.timeoutMessage()));
                PipelineFailures.cancel(call);
            }
        } finally {
            scope.close();
        }
    }

    /** The call completed. */
    @Override
    public void accept(T value, Throwable failure) {
        if (result.isDone() || !decided.compareAndSet(false, true)) {
            return;
        }
        timer.cancel();
        timeout.recordCompletion(failure);
        if (failure == null) {
            result.complete(value);
        } else {
            result.completeExceptionally(PipelineFailures.unwrap(failure));
        }
    }
}
