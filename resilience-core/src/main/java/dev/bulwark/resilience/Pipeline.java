package dev.bulwark.resilience;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Policies composed into one, listed outermost first and run exactly in that order, for synchronous and
 * asynchronous calls alike:
 *
 * <pre>{@code
 * Pipeline pipeline = Pipeline.of(fallback, retry, breaker);
 * // pipeline.call(call) runs fallback(retry(breaker(call))):
 * //   the fallback sees what the retry finally gave up with,
 * //   the retry retries what the breaker let through or rejected,
 * //   the breaker counts every single attempt.
 * Quote quote = pipeline.call(() -> pricing.quote(sku));
 * }</pre>
 *
 * <p>A pipeline is itself a {@link Policy} with the same call shapes ({@code call}, {@code run},
 * {@code attempt}, {@code callAsync}, {@code decorate}), and a pipeline listed inside another is flattened
 * into it. The policies are linked once, when the pipeline is built, so a call through the whole pipeline
 * allocates nothing beyond what its policies allocate (nothing, on the success path of the synchronous
 * forms of Bulwark's policies, unless a context propagator is set).
 *
 * <p>Compositions that are certainly wrong are refused when the pipeline is built: the same policy instance
 * twice, or a {@link Timeout} inside a shorter one (it could never fire).
 *
 * <p>With {@link Builder#contextPropagator}, the caller's context is captured once per call and applied
 * around every attempt of the call and every piece of work a policy of the pipeline continues on another
 * thread (retries, hedges, timeouts, fallbacks).
 */
public interface Pipeline extends Policy {

    /**
     * A pipeline of {@code policies}, outermost first.
     *
     * @throws IllegalArgumentException if there is no policy, or the composition is certainly wrong
     */
    static Pipeline of(Policy... policies) {
        Objects.requireNonNull(policies, "policies");
        Builder builder = builder();
        for (int i = 0; i < policies.length; i++) {
            builder.add(Objects.requireNonNull(policies[i], "policies[" + i + "]"));
        }
        return builder.build();
    }

    /** A builder: add policies outermost first. */
    static Builder builder() {
        return new Builder();
    }

    /** The policies of this pipeline, outermost first (nested pipelines flattened). */
    List<Policy> policies();

    /** Builds a {@link Pipeline}. */
    final class Builder {
        private final List<Policy> policies = new ArrayList<>();
        private String name;
        private ContextPropagator contextPropagator;

        private Builder() {}

        /** Adds {@code policy} inside the ones added before it. */
        public Builder add(Policy policy) {
            policies.add(Objects.requireNonNull(policy, "policy"));
            return this;
        }

        /** The pipeline's name (default: its policies' names, as in {@code "pipeline[fallback,retry,breaker]"}). */
        public Builder name(String name) {
            Objects.requireNonNull(name, "name");
            if (this.name != null) {
                throw new IllegalStateException("name was already set to '" + this.name + "'");
            }
            this.name = name;
            return this;
        }

        /** Carries the caller's context into every asynchronous hop of every policy of the pipeline. */
        public Builder contextPropagator(ContextPropagator contextPropagator) {
            Objects.requireNonNull(contextPropagator, "contextPropagator");
            if (this.contextPropagator != null) {
                throw new IllegalStateException("contextPropagator was already set to " + this.contextPropagator);
            }
            this.contextPropagator = contextPropagator;
            return this;
        }

        /**
         * @throws IllegalArgumentException if there is no policy, or the composition is certainly wrong
         */
        public Pipeline build() {
            return new DefaultPipeline(name, new ArrayList<>(policies),
                    contextPropagator == null ? ContextPropagator.none() : contextPropagator);
        }
    }
}
