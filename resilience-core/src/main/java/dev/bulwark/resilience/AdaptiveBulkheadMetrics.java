package dev.bulwark.resilience;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;

/**
 * Exports an {@link AdaptiveBulkhead}'s state to Micrometer. Every meter is tagged {@code name} with the
 * bulkhead's name:
 *
 * <ul>
 *   <li>{@code bulwark.adaptivebulkhead.limit}: the current limit of calls in flight (gauge);
 *   <li>{@code bulwark.adaptivebulkhead.inflight}: the calls in flight (gauge);
 *   <li>{@code bulwark.adaptivebulkhead.noload.latency}: the no-load latency, in seconds (gauge);
 *   <li>{@code bulwark.adaptivebulkhead.calls}: calls by {@code outcome}, {@code permitted} or
 *       {@code rejected} (counter).
 * </ul>
 *
 * <pre>{@code
 * try (AdaptiveBulkheadMetrics metrics = AdaptiveBulkheadMetrics.bind(bulkhead, registry)) {
 *     // the meters exist until the binding is closed
 * }
 * }</pre>
 *
 * <p>Micrometer is an optional dependency of Bulwark; only this class needs it.
 */
public final class AdaptiveBulkheadMetrics implements AutoCloseable {
    private final BoundMeters meters;

    private AdaptiveBulkheadMetrics(BoundMeters meters) {
        this.meters = meters;
    }

    /** Registers the bulkhead's meters in {@code registry}; close the result to remove them. */
    @SuppressWarnings("exports") // Micrometer is optional: its types appear only in this class
    public static AdaptiveBulkheadMetrics bind(AdaptiveBulkhead bulkhead, MeterRegistry registry) {
        Objects.requireNonNull(bulkhead, "bulkhead");
        BoundMeters meters = new BoundMeters(registry, bulkhead.name())
                .gauge("bulwark.adaptivebulkhead.limit", "The current limit of calls in flight", bulkhead,
                        AdaptiveBulkhead::limit)
                .gauge("bulwark.adaptivebulkhead.inflight", "Calls in flight", bulkhead, AdaptiveBulkhead::inFlight)
                .gauge("bulwark.adaptivebulkhead.noload.latency", "The no-load latency, in seconds", bulkhead,
                        b -> b.noLoadLatency().toNanos() / 1e9)
                .counter("bulwark.adaptivebulkhead.calls", "Calls by outcome", "outcome", "permitted", bulkhead,
                        AdaptiveBulkhead::permittedCalls)
                .counter("bulwark.adaptivebulkhead.calls", "Calls by outcome", "outcome", "rejected", bulkhead,
                        AdaptiveBulkhead::rejectedCalls);
        return new AdaptiveBulkheadMetrics(meters);
    }

    /** Removes the meters this binding registered. */
    @Override
    public void close() {
        meters.removeAll();
    }
}
