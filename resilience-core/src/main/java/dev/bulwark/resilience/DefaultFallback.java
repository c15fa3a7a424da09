package dev.bulwark.resilience;

import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** The {@link Fallback}: stateless but for its {@link LongAdder} counters, so it needs no lock. */
final class DefaultFallback extends AbstractPolicy<FallbackEvent> implements Fallback {
    private final FallbackConfig config;
    private final Function<? super Throwable, ?> handler;
    private final Predicate<? super Throwable> handleIf;
    private final ContextPropagator contextPropagator;
    private final Clock clock;

    private final LongAdder successful = new LongAdder();
    private final LongAdder fallbackApplied = new LongAdder();
    private final LongAdder failed = new LongAdder();

    DefaultFallback(String name, FallbackConfig config) {
        super("fallback", name);
        this.config = Objects.requireNonNull(config, "config");
        this.handler = config.handler();
        this.handleIf = config.handleIf();
        this.contextPropagator = config.contextPropagator();
        this.clock = config.clock();
    }

    @Override
    public FallbackConfig config() {
        return config;
    }

    @Override
    public <T> T call(Invoker inner, Supplier<? extends T> supplier) {
        Objects.requireNonNull(supplier, "supplier");
        T result;
        try {
            result = inner.call(supplier);
        } catch (Throwable failure) {
            if (!handleIf.test(failure)) {
                failed.increment();
                throw failure;
            }
            return replace(failure);
        }
        successful.increment();
        return result;
    }

    @Override
    public <T> CompletionStage<T> callAsync(Invoker inner, Supplier<? extends CompletionStage<T>> supplier) {
        Objects.requireNonNull(supplier, "supplier");
        ContextSnapshot context = ContextCarrier.snapshotFor(contextPropagator, supplier);
        CompletionStage<T> stage = inner.callAsync(supplier);
        CompletableFuture<T> result = new CompletableFuture<>();
        result.whenComplete((value, failure) -> {
            if (result.isCancelled()) {
                PipelineFailures.cancel(stage);
            }
        });
        stage.whenComplete((value, error) -> {
            if (error == null) {
                successful.increment();
                result.complete(value);
                return;
            }
            Throwable failure = PipelineFailures.unwrap(error);
            ContextSnapshot.Scope scope = context.apply();
            try {
                if (!handleIf.test(failure)) {
                    failed.increment();
                    result.completeExceptionally(failure);
                    return;
                }
                result.complete(replace(failure));
            } catch (Throwable fallbackFailure) {
                result.completeExceptionally(fallbackFailure);
            } finally {
                scope.close();
            }
        });
        return result;
    }

    /** The unchecked cast is the documented contract: a value of the wrong type fails at the call site. */
    @SuppressWarnings("unchecked")
    private <T> T replace(Throwable failure) {
        T value;
        try {
            value = (T) handler.apply(failure);
        } catch (Throwable fallbackFailure) {
            failed.increment();
            if (fallbackFailure != failure) {
                fallbackFailure.addSuppressed(failure);
            }
            throw fallbackFailure;
        }
        fallbackApplied.increment();
        if (!listeners.isEmpty()) {
            listeners.publish(new FallbackEvent.Applied(name, Instant.ofEpochMilli(clock.currentTimeMillis()), failure));
        }
        return value;
    }

    @Override
    public Metrics metrics() {
        return new Metrics(successful.sum(), fallbackApplied.sum(), failed.sum());
    }

    @Override
    public String toString() {
        return "Fallback[" + name + "]";
    }
}
