package dev.bulwark.resilience;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The rest of a pipeline, as one {@link Stage} sees it: whatever runs inside this policy. For a policy used
 * on its own, that is {@link #DIRECT}, the user's call itself.
 *
 * <p>Invokers are built once, when a pipeline is built, and receive the user's supplier as an argument, so
 * a call through a whole pipeline allocates nothing on the success path.
 */
interface Invoker {

    /** Runs the rest of the pipeline, ending in {@code supplier.get()}. */
    <T> T call(Supplier<? extends T> supplier);

    /**
     * Runs the rest of the pipeline asynchronously, ending in {@code supplier.get()}. Never throws: a failure
     * to start the call completes the returned stage exceptionally.
     */
    <T> CompletionStage<T> callAsync(Supplier<? extends CompletionStage<T>> supplier);

    /** Calls the user's supplier directly: the innermost invoker. */
    Invoker DIRECT = new Invoker() {
        @Override
        public <T> T call(Supplier<? extends T> supplier) {
            return supplier.get();
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> CompletionStage<T> callAsync(Supplier<? extends CompletionStage<T>> supplier) {
            try {
                CompletionStage<T> stage = supplier.get();
                if (stage == null) {
                    return CompletableFuture.failedFuture(
                            new NullPointerException("the asynchronous call returned null instead of a CompletionStage"));
                }
                return stage;
            } catch (Throwable t) {
                return CompletableFuture.failedFuture(t);
            }
        }

        @Override
        public String toString() {
            return "Invoker.DIRECT";
        }
    };
}
