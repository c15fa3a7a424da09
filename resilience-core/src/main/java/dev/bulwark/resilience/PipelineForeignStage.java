package dev.bulwark.resilience;

import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * A {@link Policy} implemented outside this package, as a layer of a {@link Pipeline}: it only knows the
 * public call shapes, so the rest of the pipeline is handed to it as a supplier built per call. Bulwark's own
 * policies are {@link Stage}s and never go through this.
 */
final class PipelineForeignStage implements Stage {
    private final Policy policy;

    PipelineForeignStage(Policy policy) {
        this.policy = policy;
    }

    @Override
    public <T> T call(Invoker inner, Supplier<? extends T> supplier) {
        return policy.call(() -> inner.call(supplier));
    }

    @Override
    public <T> CompletionStage<T> callAsync(Invoker inner, Supplier<? extends CompletionStage<T>> supplier) {
        return policy.callAsync(() -> inner.callAsync(supplier));
    }

    @Override
    public String toString() {
        return policy.toString();
    }
}
