package dev.bulwark.resilience;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * An asynchronous call that starts later, on a {@link Scheduler}: a rate-limited call waiting for its
 * permit's cycle, or a call that chaos delays. The object is the stage returned to the caller, the task the
 * scheduler runs and the callback of the inner stage, all at once.
 *
 * <p>Cancelling it before it starts cancels the scheduled task, so the call never runs; cancelling it after
 * it started cancels the inner stage. {@link #onSettled} runs exactly once, when the call leaves the waiting
 * state by starting or by being cancelled first: it is what keeps a count of waiting calls honest.
 */
final class DelayedAsyncCall<T> extends CompletableFuture<T> implements Runnable, BiConsumer<T, Throwable> {
    private final Invoker inner;
    private final Supplier<? extends CompletionStage<T>> supplier;
    private final Runnable onSettled;
    private volatile Scheduler.Task task;
    private volatile CompletionStage<T> running;
    private final AtomicBoolean settled = new AtomicBoolean();

    private DelayedAsyncCall(Invoker inner, Supplier<? extends CompletionStage<T>> supplier, Runnable onSettled) {
        this.inner = inner;
        this.supplier = supplier;
        this.onSettled = onSettled;
    }

    /**
     * Schedules {@code inner.callAsync(supplier)} to start after {@code delayNanos}.
     *
     * @param onSettled runs once when the call starts or is cancelled before it started
     */
    static <T> DelayedAsyncCall<T> schedule(Scheduler scheduler, long delayNanos, Invoker inner,
            Supplier<? extends CompletionStage<T>> supplier, Runnable onSettled) {
        DelayedAsyncCall<T> call = new DelayedAsyncCall<>(inner, supplier, onSettled);
        call.task = scheduler.schedule(call, delayNanos);
        return call;
    }

    @Override
    public void run() {
        settle();
        if (isDone()) {
            return;
        }
        CompletionStage<T> stage = inner.callAsync(supplier);
        running = stage;
        stage.whenComplete(this);
        if (isCancelled()) {
            CallOutcomes.cancel(stage);
        }
    }

    @Override
    public void accept(T value, Throwable failure) {
        if (failure == null) {
            complete(value);
        } else {
            completeExceptionally(failure);
        }
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        if (cancelled) {
            Scheduler.Task scheduled = task;
            if (scheduled != null && scheduled.cancel()) {
                settle();
            }
            CompletionStage<T> stage = running;
            if (stage != null) {
                CallOutcomes.cancel(stage);
            }
        }
        return cancelled;
    }

    private void settle() {
        if (settled.compareAndSet(false, true)) {
            onSettled.run();
        }
    }
}
