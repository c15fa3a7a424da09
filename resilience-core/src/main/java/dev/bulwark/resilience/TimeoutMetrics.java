package dev.bulwark.resilience;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;

/**
 * Publishes a {@link Timeout}'s counts to Micrometer: {@code bulwark.timeout.calls{name, kind}} with
 * {@code kind} one of {@code successful}, {@code failed}, {@code timed_out}.
 *
 * <pre>{@code
 * AutoCloseable meters = TimeoutMetrics.bind(timeout, registry);
 * }</pre>
 */
public final class TimeoutMetrics {
    private TimeoutMetrics() {}

    /** Registers the timeout's meters; closing the result removes them. */
    public static AutoCloseable bind(Timeout timeout, MeterRegistry registry) {
        Objects.requireNonNull(timeout, "timeout");
        String calls = "bulwark.timeout.calls";
        String description = "Calls through the timeout, by how they ended";
        return new PipelineMeters(registry, timeout.name())
                .counter(calls, "successful", description, timeout, t -> t.metrics().successful())
                .counter(calls, "failed", description, timeout, t -> t.metrics().failed())
                .counter(calls, "timed_out", description, timeout, t -> t.metrics().timedOut());
    }
}
