package dev.bulwark.resilience;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;

/**
 * Exports a {@link RateLimiter}'s state to Micrometer. Every meter is tagged {@code name} with the limiter's
 * name:
 *
 * <ul>
 *   <li>{@code bulwark.ratelimiter.available}: permits of the current period still free (gauge);
 *   <li>{@code bulwark.ratelimiter.waiting}: permitted calls waiting for their period (gauge);
 *   <li>{@code bulwark.ratelimiter.limit}: the permits each period holds (gauge);
 *   <li>{@code bulwark.ratelimiter.calls}: calls by {@code outcome}, {@code permitted} or {@code rejected}
 *       (counter).
 * </ul>
 *
 * <pre>{@code
 * try (RateLimiterMetrics metrics = RateLimiterMetrics.bind(limiter, registry)) {
 *     // the meters exist until the binding is closed
 * }
 * }</pre>
 *
 * <p>Micrometer is an optional dependency of Bulwark; only this class needs it.
 */
public final class RateLimiterMetrics implements AutoCloseable {
    private final BoundMeters meters;

    private RateLimiterMetrics(BoundMeters meters) {
        this.meters = meters;
    }

    /** Registers the limiter's meters in {@code registry}; close the result to remove them. */
    @SuppressWarnings("exports") // Micrometer is optional: its types appear only in this class
    public static RateLimiterMetrics bind(RateLimiter limiter, MeterRegistry registry) {
        Objects.requireNonNull(limiter, "limiter");
        BoundMeters meters = new BoundMeters(registry, limiter.name())
                .gauge("bulwark.ratelimiter.available", "Permits of the current period still free", limiter,
                        RateLimiter::availablePermits)
                .gauge("bulwark.ratelimiter.waiting", "Permitted calls waiting for their period", limiter,
                        RateLimiter::waitingCalls)
                .gauge("bulwark.ratelimiter.limit", "Permits per period", limiter,
                        l -> l.config().limitForPeriod())
                .counter("bulwark.ratelimiter.calls", "Calls by outcome", "outcome", "permitted", limiter,
                        RateLimiter::permittedCalls)
                .counter("bulwark.ratelimiter.calls", "Calls by outcome", "outcome", "rejected", limiter,
                        RateLimiter::rejectedCalls);
        return new RateLimiterMetrics(meters);
    }

    /** Removes the meters this binding registered. */
    @Override
    public void close() {
        meters.removeAll();
    }
}
