package dev.bulwark.resilience;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * Publishes a {@link CircuitBreaker}'s numbers to Micrometer (an optional dependency: only this class needs
 * it). Every meter has the tags {@code name} (the breaker's name) and {@code kind}:
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>meter</th><th>type</th><th>kind</th><th>value</th></tr>
 *   <tr><td>{@code bulwark.circuitbreaker.state}</td><td>gauge</td><td>closed, open, half_open, forced_open,
 *       disabled, metrics_only</td><td>1 for the current state, 0 for the others</td></tr>
 *   <tr><td>{@code bulwark.circuitbreaker.rate}</td><td>gauge</td><td>failure, slow</td><td>percentage in the
 *       window, -1 while it holds fewer than the minimum number of calls</td></tr>
 *   <tr><td>{@code bulwark.circuitbreaker.window.calls}</td><td>gauge</td><td>all, failed, slow</td><td>outcomes
 *       in the window</td></tr>
 *   <tr><td>{@code bulwark.circuitbreaker.calls}</td><td>counter</td><td>successful, slow_successful, failed,
 *       slow_failed, ignored, not_permitted</td><td>calls since the breaker was built; each call counts in
 *       exactly one kind</td></tr>
 * </table>
 *
 * <pre>{@code
 * try (CircuitBreakerMetrics metrics = CircuitBreakerMetrics.bind(breaker, meterRegistry)) {
 *     // meters are published while bound
 * }
 * }</pre>
 *
 * <p>The meters read the breaker when the registry samples them; binding adds nothing to the call path.
 */
public final class CircuitBreakerMetrics implements AutoCloseable {
    private final MeterRegistry registry;
    private final List<Meter> meters;

    private CircuitBreakerMetrics(MeterRegistry registry, List<Meter> meters) {
        this.registry = registry;
        this.meters = meters;
    }

    /** Registers the meters of {@code breaker} in {@code registry}; {@link #close()} removes them. */
    public static CircuitBreakerMetrics bind(CircuitBreaker breaker, MeterRegistry registry) {
        Objects.requireNonNull(breaker, "breaker");
        Objects.requireNonNull(registry, "registry");
        List<Meter> meters = new ArrayList<>();
        for (CircuitBreaker.State state : CircuitBreaker.State.values()) {
            meters.add(gauge(registry, breaker, "bulwark.circuitbreaker.state", kind(state.name()),
                    "1 if the circuit breaker is in this state, 0 otherwise", b -> b.state() == state ? 1 : 0));
        }
        meters.add(gauge(registry, breaker, "bulwark.circuitbreaker.rate", "failure",
                "percentage of failed calls in the window, -1 below the minimum number of calls",
                b -> b.snapshot().failureRate()));
        meters.add(gauge(registry, breaker, "bulwark.circuitbreaker.rate", "slow",
                "percentage of slow calls in the window, -1 below the minimum number of calls",
                b -> b.snapshot().slowCallRate()));
        meters.add(gauge(registry, breaker, "bulwark.circuitbreaker.window.calls", "all",
                "outcomes in the window", b -> b.snapshot().windowCalls()));
        meters.add(gauge(registry, breaker, "bulwark.circuitbreaker.window.calls", "failed",
                "failed outcomes in the window", b -> b.snapshot().windowFailedCalls()));
        meters.add(gauge(registry, breaker, "bulwark.circuitbreaker.window.calls", "slow",
                "slow outcomes in the window", b -> b.snapshot().windowSlowCalls()));
        meters.add(counter(registry, breaker, "successful", b -> b.snapshot().successfulCalls()));
        meters.add(counter(registry, breaker, "slow_successful", b -> b.snapshot().slowSuccessfulCalls()));
        meters.add(counter(registry, breaker, "failed", b -> b.snapshot().failedCalls()));
        meters.add(counter(registry, breaker, "slow_failed", b -> b.snapshot().slowFailedCalls()));
        meters.add(counter(registry, breaker, "ignored", b -> b.snapshot().ignoredCalls()));
        meters.add(counter(registry, breaker, "not_permitted", b -> b.snapshot().notPermittedCalls()));
        return new CircuitBreakerMetrics(registry, List.copyOf(meters));
    }

    /** Removes the meters this binding registered. */
    @Override
    public void close() {
        for (Meter meter : meters) {
            registry.remove(meter);
        }
    }

    private static String kind(String constant) {
        return constant.toLowerCase(Locale.ROOT);
    }

    private static Gauge gauge(MeterRegistry registry, CircuitBreaker breaker, String name, String kind,
            String description, ToDoubleFunction<CircuitBreaker> value) {
        return Gauge.builder(name, breaker, value)
                .tags(Tags.of("name", breaker.name(), "kind", kind))
                .description(description)
                .strongReference(true)
                .register(registry);
    }

    private static FunctionCounter counter(MeterRegistry registry, CircuitBreaker breaker, String kind,
            ToDoubleFunction<CircuitBreaker> value) {
        return FunctionCounter.builder("bulwark.circuitbreaker.calls", breaker, value)
                .tags(Tags.of("name", breaker.name(), "kind", kind))
                .description("calls through the circuit breaker, by outcome")
                .register(registry);
    }
}
