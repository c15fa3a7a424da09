package dev.bulwark.resilience;

import java.util.function.Supplier;

/**
 * The user's supplier wrapped by a {@link Pipeline} that has a {@link ContextPropagator}: the snapshot
 * taken when the call entered the pipeline travels down with the supplier (the only per-call argument a
 * {@link Stage} receives), so every attempt runs with it, on whatever thread, and every stage that continues
 * work on another thread (a fallback, a timeout, a scheduled retry) can find and apply it.
 */
final class ContextCarrier<T> implements Supplier<T> {
    final ContextSnapshot snapshot;
    private final Supplier<? extends T> delegate;

    ContextCarrier(ContextSnapshot snapshot, Supplier<? extends T> delegate) {
        this.snapshot = snapshot;
        this.delegate = delegate;
    }

    @Override
    public T get() {
        ContextSnapshot.Scope scope = snapshot.apply();
        try {
            return delegate.get();
        } finally {
            scope.close();
        }
    }

    /**
     * The context a stage applies around work it continues on another thread: its own propagator's capture
     * (taken now, on the calling thread) and the pipeline's, if the supplier carries one. Allocates nothing
     * when neither is configured.
     */
    static ContextSnapshot snapshotFor(ContextPropagator own, Supplier<?> supplier) {
        ContextSnapshot fromPipeline = supplier instanceof ContextCarrier<?> carrier ? carrier.snapshot : null;
        if (own == ContextPropagator.none()) {
            return fromPipeline == null ? ContextSnapshot.empty() : fromPipeline;
        }
        ContextSnapshot mine = own.capture();
        return fromPipeline == null ? mine : ContextSnapshot.allOf(fromPipeline, mine);
    }
}
