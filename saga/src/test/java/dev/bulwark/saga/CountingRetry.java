package dev.bulwark.saga;

import dev.bulwark.resilience.Outcome;
import dev.bulwark.resilience.Policy;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A minimal retry policy for the tests that need one without resilience-core's Retry: runs the call up to
 * {@code maxAttempts} times and counts how often it was invoked.
 */
final class CountingRetry implements Policy {
    private final String name;
    private final int maxAttempts;
    final AtomicInteger calls = new AtomicInteger();

    CountingRetry(String name, int maxAttempts) {
        this.name = name;
        this.maxAttempts = maxAttempts;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public <T> T call(Supplier<? extends T> supplier) {
        calls.incrementAndGet();
        RuntimeException last = null;
        for (int i = 0; i < maxAttempts; i++) {
            try {
                return supplier.get();
            } catch (RuntimeException e) {
                last = e;
            }
        }
        throw last;
    }

    @Override
    public <T> Outcome<T> attempt(Supplier<? extends T> supplier) {
        try {
            return Outcome.success(call(supplier));
        } catch (RuntimeException e) {
            return Outcome.failure(e);
        }
    }

    @Override
    public <T> CompletionStage<T> callAsync(Supplier<? extends CompletionStage<T>> supplier) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("sagas call policies synchronously"));
    }
}
