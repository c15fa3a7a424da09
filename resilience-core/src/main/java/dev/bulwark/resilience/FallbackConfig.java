package dev.bulwark.resilience;

import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The settings of a {@link Fallback}.
 *
 * <pre>{@code
 * FallbackConfig config = FallbackConfig.builder()
 *         .function(failure -> Price.unknown())
 *         .handleIf(failure -> failure instanceof RejectedException || failure instanceof java.io.UncheckedIOException)
 *         .build();
 * }</pre>
 *
 * @param handler computes the value to return instead, from the failure
 * @param handleIf which failures the fallback replaces; the others pass through unchanged
 * @param contextPropagator carries thread-bound context to the thread where an asynchronous fallback runs
 * @param clock stamps the fallback's events
 */
public record FallbackConfig(Function<? super Throwable, ?> handler, Predicate<? super Throwable> handleIf,
        ContextPropagator contextPropagator, Clock clock) {

    private static final Predicate<Throwable> ANY_EXCEPTION = failure -> failure instanceof Exception;

    public FallbackConfig {
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(handleIf, "handleIf");
        Objects.requireNonNull(contextPropagator, "contextPropagator");
        Objects.requireNonNull(clock, "clock");
    }

    /** A builder; {@link Builder#value} or {@link Builder#function} must be called before {@code build()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link FallbackConfig}; each setter rejects a bad value at once. */
    public static final class Builder {
        private Function<? super Throwable, ?> handler;
        private Predicate<? super Throwable> handleIf = ANY_EXCEPTION;
        private ContextPropagator contextPropagator = ContextPropagator.none();
        private Clock clock = Clock.system();

        private Builder() {}

        /** Returns {@code value} (which may be null) instead of a handled failure. */
        public Builder value(Object value) {
            requireNoHandler();
            this.handler = failure -> value;
            return this;
        }

        /** Returns {@code function.apply(failure)} instead of a handled failure; what it throws is the call's failure. */
        public Builder function(Function<? super Throwable, ?> function) {
            Objects.requireNonNull(function, "function");
            requireNoHandler();
            this.handler = function;
            return this;
        }

        /**
         * Which failures are replaced (default: every {@link Exception}, including the
         * {@link RejectedException}s of other policies; no {@link Error}).
         */
        public Builder handleIf(Predicate<? super Throwable> handleIf) {
            this.handleIf = Objects.requireNonNull(handleIf, "handleIf");
            return this;
        }

        /** Carries thread-bound context to where an asynchronous fallback runs. */
        public Builder contextPropagator(ContextPropagator contextPropagator) {
            this.contextPropagator = Objects.requireNonNull(contextPropagator, "contextPropagator");
            return this;
        }

        /** The clock that stamps events. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** @throws IllegalStateException if neither a value nor a function was given */
        public FallbackConfig build() {
            if (handler == null) {
                throw new IllegalStateException("a fallback needs a value or a function: call value(...) or function(...)");
            }
            return new FallbackConfig(handler, handleIf, contextPropagator, clock);
        }

        private void requireNoHandler() {
            if (handler != null) {
                throw new IllegalStateException("the fallback's value or function was already set");
            }
        }
    }
}
