package dev.bulwark.resilience;

import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/** Turning what a call did into an {@link Outcome}, and reading the cause out of an asynchronous failure. */
final class CallOutcomes {
    private CallOutcomes() {}

    /**
     * Runs {@code inner} with {@code supplier} and captures what happened. A {@link RejectedException} from
     * further in is a rejection; anything else thrown is a failure, except errors the JVM cannot recover from.
     */
    static <T> Outcome<T> capture(Invoker inner, Supplier<? extends T> supplier) {
        try {
            return Outcome.success(inner.call(supplier));
        } catch (RejectedException rejected) {
            return Outcome.rejected(rejected);
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (Throwable failure) {
            return Outcome.failure(failure);
        }
    }

    /** The failure itself, without the {@link CompletionException} wrappers that dependent stages add. */
    static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** Cancels {@code stage} if it can be seen as a future; a stage that cannot is left to run. */
    static void cancel(CompletionStage<?> stage) {
        try {
            stage.toCompletableFuture().cancel(true);
        } catch (UnsupportedOperationException notCancellable) {
            // Some stages refuse toCompletableFuture(); there is nothing to cancel then.
        }
    }
}
