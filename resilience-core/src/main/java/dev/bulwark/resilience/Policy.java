package dev.bulwark.resilience;

import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A resilience policy: something that wraps calls to protect the caller from a misbehaving dependency.
 * Every policy (and a pipeline of them) offers the same call shapes:
 *
 * <ul>
 *   <li>{@link #call(Supplier)} and {@link #run(Runnable)}: run now, return the value or throw;
 *   <li>{@link #attempt(Supplier)}: run now, never throw, return an {@link Outcome} (a rejection costs no
 *       exception);
 *   <li>{@link #callAsync(Supplier)}: for calls that return a {@link CompletionStage};
 *   <li>{@code decorate(...)}: wrap a function once, call the wrapper many times.
 * </ul>
 *
 * <pre>{@code
 * Supplier<Quote> quotes = policy.decorate(() -> pricing.quote(sku));
 * Quote q = quotes.get();
 * }</pre>
 *
 * <p>Policies are thread-safe; one instance protects one dependency and is shared by all its callers.
 */
public interface Policy {

    /** The name of this policy instance, used in metrics, logs and rejection messages. */
    String name();

    /**
     * Runs {@code supplier} under this policy and returns its value.
     *
     * @throws RejectedException if the policy refused to run the call
     * @throws RuntimeException whatever the supplier threw, unchanged, when the policy gave up on it
     */
    <T> T call(Supplier<? extends T> supplier);

    /**
     * Runs {@code supplier} under this policy and reports what happened, without throwing.
     *
     * @return a success with the value, a failure with what the supplier threw, or a rejection
     */
    <T> Outcome<T> attempt(Supplier<? extends T> supplier);

    /**
     * Starts an asynchronous call under this policy. The returned stage completes with the call's value,
     * or exceptionally with what went wrong (a {@link RejectedException} if the policy refused the call).
     * A supplier that throws instead of returning a stage counts as a failed call.
     */
    <T> CompletionStage<T> callAsync(Supplier<? extends CompletionStage<T>> supplier);

    /** Runs {@code runnable} under this policy, as {@link #call(Supplier)} does. */
    default void run(Runnable runnable) {
        Objects.requireNonNull(runnable, "runnable");
        call(() -> {
            runnable.run();
            return null;
        });
    }

    /** Wraps {@code supplier} so that each {@code get()} is a {@link #call(Supplier)}. */
    default <T> Supplier<T> decorate(Supplier<? extends T> supplier) {
        Objects.requireNonNull(supplier, "supplier");
        return () -> call(supplier);
    }

    /** Wraps {@code runnable} so that each {@code run()} is a {@link #run(Runnable)}. */
    default Runnable decorate(Runnable runnable) {
        Objects.requireNonNull(runnable, "runnable");
        return () -> run(runnable);
    }

    /** Wraps {@code function} so that each {@code apply(a)} is a {@link #call(Supplier)}. */
    default <A, R> Function<A, R> decorate(Function<? super A, ? extends R> function) {
        Objects.requireNonNull(function, "function");
        return argument -> call(() -> function.apply(argument));
    }

    /** Wraps an asynchronous {@code supplier} so that each {@code get()} is a {@link #callAsync(Supplier)}. */
    default <T> Supplier<CompletionStage<T>> decorateAsync(Supplier<? extends CompletionStage<T>> supplier) {
        Objects.requireNonNull(supplier, "supplier");
        return () -> callAsync(supplier);
    }
}
