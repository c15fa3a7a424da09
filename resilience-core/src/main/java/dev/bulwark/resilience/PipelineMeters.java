package dev.bulwark.resilience;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * Registers the counters of one policy instance, all tagged {@code name} and {@code kind}, and removes them
 * again on {@link #close()}. Used only by the {@code *Metrics} classes, so Micrometer stays optional: no
 * policy class refers to it.
 */
final class PipelineMeters implements AutoCloseable {
    private final MeterRegistry registry;
    private final String policyName;
    private final List<Meter> meters = new ArrayList<>();

    PipelineMeters(MeterRegistry registry, String policyName) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.policyName = policyName;
    }

    /** A counter {@code meterName{name=<policy>, kind=<kind>}} that reads {@code count} from {@code source}. */
    <S> PipelineMeters counter(String meterName, String kind, String description, S source, ToDoubleFunction<S> count) {
        meters.add(FunctionCounter.builder(meterName, source, count)
                .description(description)
                .tag("name", policyName)
                .tag("kind", kind)
                .register(registry));
        return this;
    }

    @Override
    public void close() {
        for (Meter meter : meters) {
            registry.remove(meter);
        }
        meters.clear();
    }
}
