package dev.bulwark.resilience;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;

/**
 * Publishes a {@link Fallback}'s counts to Micrometer: {@code bulwark.fallback.calls{name, kind}} with
 * {@code kind} one of {@code successful}, {@code fallback_applied}, {@code failed}.
 *
 * <pre>{@code
 * AutoCloseable meters = FallbackMetrics.bind(fallback, registry);
 * }</pre>
 */
public final class FallbackMetrics {
    private FallbackMetrics() {}

    /** Registers the fallback's meters; closing the result removes them. */
    public static AutoCloseable bind(Fallback fallback, MeterRegistry registry) {
        Objects.requireNonNull(fallback, "fallback");
        String calls = "bulwark.fallback.calls";
        String description = "Calls through the fallback, by how they ended";
        return new PipelineMeters(registry, fallback.name())
                .counter(calls, "successful", description, fallback, f -> f.metrics().successful())
                .counter(calls, "fallback_applied", description, fallback, f -> f.metrics().fallbackApplied())
                .counter(calls, "failed", description, fallback, f -> f.metrics().failed());
    }
}
