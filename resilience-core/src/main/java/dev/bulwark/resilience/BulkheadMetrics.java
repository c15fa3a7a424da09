package dev.bulwark.resilience;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;

/**
 * Exports a {@link Bulkhead}'s state to Micrometer. Every meter is tagged {@code name} with the bulkhead's
 * name:
 *
 * <ul>
 *   <li>{@code bulwark.bulkhead.available}: free permits (gauge);
 *   <li>{@code bulwark.bulkhead.waiting}: calls queued for a permit (gauge);
 *   <li>{@code bulwark.bulkhead.max}: the limit of concurrent calls (gauge);
 *   <li>{@code bulwark.bulkhead.calls}: calls by {@code outcome}, {@code permitted} or {@code rejected}
 *       (counter).
 * </ul>
 *
 * <pre>{@code
 * try (BulkheadMetrics metrics = BulkheadMetrics.bind(bulkhead, registry)) {
 *     // the meters exist until the binding is closed
 * }
 * }</pre>
 *
 * <p>Micrometer is an optional dependency of Bulwark; only this class needs it.
 */
public final class BulkheadMetrics implements AutoCloseable {
    private final BoundMeters meters;

    private BulkheadMetrics(BoundMeters meters) {
        this.meters = meters;
    }

    /** Registers the bulkhead's meters in {@code registry}; close the result to remove them. */
    @SuppressWarnings("exports") // Micrometer is optional: its types appear only in this class
    public static BulkheadMetrics bind(Bulkhead bulkhead, MeterRegistry registry) {
        Objects.requireNonNull(bulkhead, "bulkhead");
        BoundMeters meters = new BoundMeters(registry, bulkhead.name())
                .gauge("bulwark.bulkhead.available", "Free permits", bulkhead, Bulkhead::availablePermits)
                .gauge("bulwark.bulkhead.waiting", "Calls queued for a permit", bulkhead, Bulkhead::waitingCalls)
                .gauge("bulwark.bulkhead.max", "The limit of concurrent calls", bulkhead,
                        b -> b.config().maxConcurrentCalls())
                .counter("bulwark.bulkhead.calls", "Calls by outcome", "outcome", "permitted", bulkhead,
                        Bulkhead::permittedCalls)
                .counter("bulwark.bulkhead.calls", "Calls by outcome", "outcome", "rejected", bulkhead,
                        Bulkhead::rejectedCalls);
        return new BulkheadMetrics(meters);
    }

    /** Removes the meters this binding registered. */
    @Override
    public void close() {
        meters.removeAll();
    }
}
