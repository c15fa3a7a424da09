package dev.bulwark.resilience;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * The meters one metrics binding registered for one policy instance, so that closing the binding removes
 * exactly those. Every meter carries the tag {@code name} with the policy's name. Gauges and function
 * counters read the policy when the registry is scraped; the policy's hot path does not know about them.
 */
final class BoundMeters {
    private final MeterRegistry registry;
    private final String policyName;
    private final List<Meter> meters = new ArrayList<>();

    BoundMeters(MeterRegistry registry, String policyName) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.policyName = policyName;
    }

    /** A gauge that holds its policy strongly, so it reads the policy for as long as it is bound. */
    <P> BoundMeters gauge(String meterName, String description, P policy, ToDoubleFunction<P> value) {
        meters.add(Gauge.builder(meterName, policy, value)
                .description(description)
                .tag("name", policyName)
                .strongReference(true)
                .register(registry));
        return this;
    }

    /** A counter that reads a monotonic count from the policy, tagged {@code tagKey=tagValue}. */
    <P> BoundMeters counter(String meterName, String description, String tagKey, String tagValue, P policy,
            ToDoubleFunction<P> count) {
        meters.add(FunctionCounter.builder(meterName, policy, count)
                .description(description)
                .tag("name", policyName)
                .tag(tagKey, tagValue)
                .register(registry));
        return this;
    }

    /** Removes every meter this binding registered. */
    void removeAll() {
        for (Meter meter : meters) {
            registry.remove(meter);
        }
        meters.clear();
    }
}
