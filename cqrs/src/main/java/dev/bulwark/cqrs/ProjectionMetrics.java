package dev.bulwark.cqrs;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * Publishes a {@link ProjectionRunner}'s progress to Micrometer (an optional dependency: only this class needs it).
 * Every meter has the tag {@code name} (the projection's name):
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>meter</th><th>type</th><th>value</th></tr>
 *   <tr><td>{@code bulwark.projection.lag.events}</td><td>gauge</td><td>events still to process, counted up to
 *       {@link ProjectionLag#COUNT_LIMIT}</td></tr>
 *   <tr><td>{@code bulwark.projection.lag.seconds}</td><td>gauge</td><td>age of the oldest event still to
 *       process</td></tr>
 *   <tr><td>{@code bulwark.projection.position}</td><td>gauge</td><td>the position processed up to</td></tr>
 *   <tr><td>{@code bulwark.projection.parked}</td><td>gauge</td><td>parked events</td></tr>
 *   <tr><td>{@code bulwark.projection.active}</td><td>gauge</td><td>1 while this node's runner is the active one
 *       (catching up or live), 0 otherwise</td></tr>
 * </table>
 *
 * <pre>{@code
 * try (ProjectionMetrics metrics = ProjectionMetrics.bind(runner, meterRegistry)) {
 *     // meters are published while bound
 * }
 * }</pre>
 *
 * <p>The gauges read the runner when the registry samples them; the lag gauges read the log (the events after the
 * checkpoint) and, for a JDBC projection, the checkpoint table, so sample them at a sensible rate.
 */
@SuppressWarnings("exports") // Micrometer is an optional dependency on purpose: only users of this class need it.
public final class ProjectionMetrics implements AutoCloseable {
    private final MeterRegistry registry;
    private final List<Meter> meters;

    private ProjectionMetrics(MeterRegistry registry, List<Meter> meters) {
        this.registry = registry;
        this.meters = meters;
    }

    /** Registers the meters of {@code runner} in {@code registry}; {@link #close()} removes them. */
    public static ProjectionMetrics bind(ProjectionRunner runner, MeterRegistry registry) {
        Objects.requireNonNull(runner, "runner");
        Objects.requireNonNull(registry, "registry");
        return new ProjectionMetrics(registry, List.of(
                gauge(registry, runner, "bulwark.projection.lag.events", "events the projection has still to process",
                        r -> r.lag().events()),
                gauge(registry, runner, "bulwark.projection.lag.seconds",
                        "age of the oldest event the projection has still to process",
                        r -> r.lag().time().toMillis() / 1000.0),
                gauge(registry, runner, "bulwark.projection.position", "the global position processed up to",
                        ProjectionRunner::position),
                gauge(registry, runner, "bulwark.projection.parked", "parked events", r -> r.parkedEvents().size()),
                gauge(registry, runner, "bulwark.projection.active", "1 while this runner is the active one",
                        r -> r.status() == ProjectionRunner.Status.LIVE
                                || r.status() == ProjectionRunner.Status.CATCHING_UP ? 1 : 0)));
    }

    /** Removes the meters this binding registered. */
    @Override
    public void close() {
        for (Meter meter : meters) {
            registry.remove(meter);
        }
    }

    private static Gauge gauge(MeterRegistry registry, ProjectionRunner runner, String name, String description,
            ToDoubleFunction<ProjectionRunner> value) {
        return Gauge.builder(name, runner, value)
                .tags(Tags.of("name", runner.name()))
                .description(description)
                .strongReference(true)
                .register(registry);
    }
}
