/**
 * Resilience policies for remote calls: circuit breaker, retry, timeout, bulkhead, rate limiter, hedging,
 * fallback and fault injection, composed in a pipeline. The API is the package
 * {@code dev.bulwark.resilience}; Micrometer is optional and only needed to bind metrics.
 */
module dev.bulwark.resilience {
    requires org.slf4j;
    requires static micrometer.core;

    exports dev.bulwark.resilience;
}
