package dev.bulwark.resilience;

import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Replaces a failure by a value: a constant, or a function of the failure. Which failures it handles is a
 * predicate of the config; by default every {@link Exception}, including the rejections of other policies
 * (an open circuit breaker, a full bulkhead), so a fallback as the outermost policy of a {@link Pipeline}
 * answers whatever the policies inside it refuse.
 *
 * <pre>{@code
 * Fallback fallback = Fallback.of("prices", FallbackConfig.builder().function(failure -> Price.unknown()).build());
 * Price price = fallback.call(() -> pricing.price(sku));
 * }</pre>
 *
 * <p><b>Types.</b> A policy is not typed: {@code call} is generic per call. The fallback's value is
 * returned as the type of the call it replaces, unchecked; if it is not of that type, a
 * {@link ClassCastException} is thrown where the caller uses the result. Use one fallback per result type.
 *
 * <p>Thread-safe. Asynchronous fallbacks run on the thread that completed the failed stage, with the
 * context from the config's (or the pipeline's) {@link ContextPropagator}.
 */
public interface Fallback extends Policy {

    /** A fallback with the given settings. */
    static Fallback of(String name, FallbackConfig config) {
        return new DefaultFallback(name, config);
    }

    /** A fallback that returns {@code value} instead of any {@link Exception}. */
    static Fallback ofValue(String name, Object value) {
        return of(name, FallbackConfig.builder().value(value).build());
    }

    /** A fallback that returns {@code function.apply(failure)} instead of any {@link Exception}. */
    static Fallback ofFunction(String name, Function<? super Throwable, ?> function) {
        return of(name, FallbackConfig.builder().function(function).build());
    }

    /** The settings of this fallback. */
    FallbackConfig config();

    /** Counts since this fallback was created. */
    Metrics metrics();

    /** Registers a listener for this fallback's events. */
    void onEvent(Consumer<? super FallbackEvent> listener);

    /** Removes a listener; returns whether it was registered. */
    boolean removeListener(Consumer<? super FallbackEvent> listener);

    /**
     * Calls by how they ended.
     *
     * @param successful calls that succeeded without the fallback
     * @param fallbackApplied calls whose failure the fallback replaced
     * @param failed calls whose failure the fallback did not handle, or whose fallback function threw
     */
    record Metrics(long successful, long fallbackApplied, long failed) {}
}
