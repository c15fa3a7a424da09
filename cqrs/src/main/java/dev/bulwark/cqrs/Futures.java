package dev.bulwark.cqrs;

import dev.bulwark.resilience.Scheduler;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/** Waiting on futures with a scheduler-timed timeout, and unwrapping their failures. */
final class Futures {

    private Futures() {}

    static void requireTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
    }

    /**
     * A copy of {@code future} that fails with the supplied {@link WaitTimeoutException} if {@code future} has not
     * completed when the scheduler fires after {@code timeout}. The original future is left alone.
     */
    static <T> CompletableFuture<T> withTimeout(CompletableFuture<T> future, Duration timeout, Scheduler scheduler,
            Supplier<WaitTimeoutException> timedOut) {
        if (future.isDone()) {
            return future;
        }
        CompletableFuture<T> bounded = new CompletableFuture<>();
        Scheduler.Task task = scheduler.schedule(() -> bounded.completeExceptionally(timedOut.get()), timeout.toNanos());
        future.whenComplete((value, failure) -> {
            task.cancel();
            if (failure == null) {
                bounded.complete(value);
            } else {
                bounded.completeExceptionally(unwrap(failure));
            }
        });
        return bounded;
    }

    /** Blocks until {@code future} completes; returns its value or throws its failure as {@link #rethrow} does. */
    static <T> T await(CompletableFuture<T> future, Object what) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            CancellationException cancelled = new CancellationException("interrupted while waiting for " + what);
            cancelled.initCause(e);
            throw cancelled;
        }
    }

    /** The failure itself, without the CompletionException a CompletableFuture may have wrapped it in. */
    static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** Unchecked failures as they are, checked ones wrapped in a {@link CompletionException}. */
    static RuntimeException rethrow(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new CompletionException(cause);
    }
}
