package dev.bulwark.resilience;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * Context captured on one thread by a {@link ContextPropagator}, to be applied on another.
 *
 * <pre>{@code
 * ContextSnapshot snapshot = ContextPropagator.mdc().capture();
 * executor.execute(snapshot.wrap(() -> log.info("runs with the caller's MDC")));
 * }</pre>
 *
 * <p>A snapshot is immutable and may be applied any number of times, on any threads, also concurrently.
 */
@FunctionalInterface
public interface ContextSnapshot {

    /**
     * Installs the captured context on the current thread.
     *
     * @return a scope whose {@link Scope#close()} restores what the thread had before; close it on the same
     *     thread, in a {@code finally} block or try-with-resources
     */
    Scope apply();

    /** What {@link #apply()} changed, to be undone. */
    @FunctionalInterface
    interface Scope extends AutoCloseable {
        /** Restores the thread's previous context. Never throws. */
        @Override
        void close();
    }

    /** Wraps {@code task} so that it runs with this context applied. */
    default Runnable wrap(Runnable task) {
        Objects.requireNonNull(task, "task");
        return () -> {
            Scope scope = apply();
            try {
                task.run();
            } finally {
                scope.close();
            }
        };
    }

    /** Wraps {@code supplier} so that it runs with this context applied. */
    default <T> Supplier<T> wrap(Supplier<T> supplier) {
        Objects.requireNonNull(supplier, "supplier");
        return () -> {
            Scope scope = apply();
            try {
                return supplier.get();
            } finally {
                scope.close();
            }
        };
    }

    /** The snapshot that changes nothing. */
    static ContextSnapshot empty() {
        return EmptyContextSnapshot.INSTANCE;
    }

    /** A snapshot applying {@code snapshots} in order and restoring them in reverse order. */
    static ContextSnapshot allOf(ContextSnapshot... snapshots) {
        ContextSnapshot[] copy = snapshots.clone();
        for (ContextSnapshot snapshot : copy) {
            Objects.requireNonNull(snapshot, "snapshot");
        }
        return () -> {
            Scope[] scopes = new Scope[copy.length];
            int applied = 0;
            try {
                for (; applied < copy.length; applied++) {
                    scopes[applied] = copy[applied].apply();
                }
            } catch (RuntimeException | Error e) {
                closeReversed(scopes, applied);
                throw e;
            }
            return () -> closeReversed(scopes, copy.length);
        };
    }

    private static void closeReversed(Scope[] scopes, int count) {
        for (int i = count - 1; i >= 0; i--) {
            scopes[i].close();
        }
    }
}

/** See {@link ContextSnapshot#empty()}. */
enum EmptyContextSnapshot implements ContextSnapshot, ContextSnapshot.Scope {
    INSTANCE;

    @Override
    public Scope apply() {
        return this;
    }

    @Override
    public void close() {
        // nothing was applied
    }

    @Override
    public String toString() {
        return "ContextSnapshot.empty()";
    }
}
