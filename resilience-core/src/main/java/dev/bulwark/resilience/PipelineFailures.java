package dev.bulwark.resilience;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/** How the policies of this package pass failures between synchronous and asynchronous forms. */
final class PipelineFailures {
    private PipelineFailures() {}

    /** The failure itself, without the {@link CompletionException} / {@link ExecutionException} wrapping. */
    static Throwable unwrap(Throwable failure) {
        Throwable current = failure;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    /**
     * Throws {@code failure} as it is, checked or not. Used where a failure saved earlier (the last attempt's)
     * must surface from a method that cannot declare it; a supplier can only throw a checked exception by
     * the same trick, so this changes nothing the caller could catch.
     */
    static RuntimeException rethrow(Throwable failure) {
        throw PipelineFailures.<RuntimeException>sneaky(failure);
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneaky(Throwable failure) throws E {
        throw (E) failure;
    }

    /** Cancels {@code stage} with interruption, if it is cancellable at all. */
    static void cancel(CompletionStage<?> stage) {
        if (stage == null) {
            return;
        }
        try {
            stage.toCompletableFuture().cancel(true);
        } catch (UnsupportedOperationException notCancellable) {
            // a stage that cannot be turned into a future cannot be cancelled either
        }
    }

    /**
     * Waits for {@code future} on the calling thread and returns its value or throws its failure unwrapped.
     * If the waiting thread is interrupted, {@code future} is cancelled, the interrupt flag is restored and a
     * {@link CancellationException} (caused by the interruption) is thrown.
     */
    static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException interrupted) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            CancellationException cancelled = new CancellationException("interrupted while waiting for the call");
            cancelled.initCause(interrupted);
            throw cancelled;
        } catch (ExecutionException failed) {
            throw rethrow(unwrap(failed));
        }
    }

    /** Completes {@code target} as {@code value}/{@code failure} say. */
    static <T> void complete(CompletableFuture<T> target, T value, Throwable failure) {
        if (failure == null) {
            target.complete(value);
        } else {
            target.completeExceptionally(unwrap(failure));
        }
    }
}
