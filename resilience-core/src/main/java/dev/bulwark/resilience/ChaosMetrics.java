package dev.bulwark.resilience;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;

/**
 * Exports a {@link Chaos} policy's state to Micrometer. Every meter is tagged {@code name} with the
 * policy's name:
 *
 * <ul>
 *   <li>{@code bulwark.chaos.enabled}: 1 while the policy injects, 0 while it is switched off (gauge);
 *   <li>{@code bulwark.chaos.injections}: injections by {@code kind}, {@code fault}, {@code latency} or
 *       {@code result} (counter).
 * </ul>
 *
 * <pre>{@code
 * try (ChaosMetrics metrics = ChaosMetrics.bind(chaos, registry)) {
 *     // the meters exist until the binding is closed
 * }
 * }</pre>
 *
 * <p>Micrometer is an optional dependency of Bulwark; only this class needs it.
 */
public final class ChaosMetrics implements AutoCloseable {
    private final BoundMeters meters;

    private ChaosMetrics(BoundMeters meters) {
        this.meters = meters;
    }

    /** Registers the policy's meters in {@code registry}; close the result to remove them. */
    @SuppressWarnings("exports") // Micrometer is optional: its types appear only in this class
    public static ChaosMetrics bind(Chaos chaos, MeterRegistry registry) {
        Objects.requireNonNull(chaos, "chaos");
        BoundMeters meters = new BoundMeters(registry, chaos.name())
                .gauge("bulwark.chaos.enabled", "1 while the policy injects, 0 while it is off", chaos,
                        c -> c.isEnabled() ? 1 : 0)
                .counter("bulwark.chaos.injections", "Injections by kind", "kind", "fault", chaos,
                        Chaos::injectedFaults)
                .counter("bulwark.chaos.injections", "Injections by kind", "kind", "latency", chaos,
                        Chaos::injectedLatencies)
                .counter("bulwark.chaos.injections", "Injections by kind", "kind", "result", chaos,
                        Chaos::injectedResults);
        return new ChaosMetrics(meters);
    }

    /** Removes the meters this binding registered. */
    @Override
    public void close() {
        meters.removeAll();
    }
}
