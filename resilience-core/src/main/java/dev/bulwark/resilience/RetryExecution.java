package dev.bulwark.resilience;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * One asynchronous call through a {@link DefaultRetry}: starts an attempt, and when it fails schedules
 * the next one on the retry's scheduler.
 *
 * <p>Attempts never overlap: the next is scheduled only from the completion of the previous, so
 * {@link #attempts} and {@link #lastDelay} are handed from one thread to the next through the
 * happens-before edges of future completion and of the scheduler, and need no lock. Cancellation can come
 * from any thread (a Timeout around the retry cancels {@link #result}); it reads the volatile handles of
 * the pending backoff and the attempt in flight and cancels both, and every step checks {@code result}
 * first, so an attempt that completes after cancellation changes nothing.
 *
 * <p>Later attempts run on the scheduler's thread: the context captured when the call started and the
 * enclosing deadline are installed around each of them.
 */
final class RetryExecution<T> implements BiConsumer<T, Throwable>, Runnable {
    final CompletableFuture<T> result = new CompletableFuture<>();
    private final DefaultRetry retry;
    private final Invoker inner;
    private final Supplier<? extends CompletionStage<T>> supplier;
    private final ContextSnapshot context;
    private final Deadline deadline;
    private final long startNanos;

    private int attempts;
    private long lastDelay;
    private volatile Scheduler.Task pendingBackoff;
    private volatile CompletionStage<T> inFlight;

    RetryExecution(DefaultRetry retry, Invoker inner, Supplier<? extends CompletionStage<T>> supplier,
            ContextSnapshot context, Deadline deadline, long startNanos) {
        this.retry = retry;
        this.inner = inner;
        this.supplier = supplier;
        this.context = context;
        this.deadline = deadline;
        this.startNanos = startNanos;
    }

    void start() {
        result.whenComplete((value, failure) -> {
            if (result.isCancelled()) {
                Scheduler.Task backoff = pendingBackoff;
                if (backoff != null) {
                    backoff.cancel();
                }
                PipelineFailures.cancel(inFlight);
            }
        });
        attempt();
    }

    /** The scheduled retry: runs on the scheduler's thread. */
    @Override
    public void run() {
        if (result.isDone()) {
            return;
        }
        Deadline.Holder holder = Deadline.holder();
        Clock savedClock = holder.clock;
        long savedAt = holder.atNanos;
        ContextSnapshot.Scope scope = context.apply();
        try {
            holder.installIfEarlier(deadline);
            attempt();
        } catch (Throwable failure) {
            result.completeExceptionally(failure);
        } finally {
            scope.close();
            holder.restore(savedClock, savedAt);
        }
    }

    private void attempt() {
        attempts++;
        CompletionStage<T> stage = inner.callAsync(supplier);
        inFlight = stage;
        if (result.isDone()) {
            PipelineFailures.cancel(stage);
            return;
        }
        stage.whenComplete(this);
    }

    /** An attempt completed. */
    @Override
    public void accept(T value, Throwable error) {
        if (result.isDone()) {
            return;
        }
        Throwable failure = error == null ? null : PipelineFailures.unwrap(error);
        try {
            if (failure == null && !retry.retriesResult(value)) {
                retry.recordSuccess(attempts);
                result.complete(value);
                return;
            }
            long delay = retry.nextDelay(attempts, lastDelay, failure, startNanos, Deadline.remainingNanos(deadline));
            if (delay < 0) {
                PipelineFailures.complete(result, value, failure);
                return;
            }
            lastDelay = delay;
            pendingBackoff = retry.scheduler.schedule(this, delay);
            if (result.isDone()) {
                pendingBackoff.cancel();
            }
        } catch (Throwable unexpected) {
            // a predicate, backoff or listener-independent part of the retry threw: end the call with it
            result.completeExceptionally(unexpected);
        }
    }
}
