package dev.bulwark.saga;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Micrometer meters, tagged by saga name: {@code bulwark.saga.started}, {@code bulwark.saga.completed},
 * {@code bulwark.saga.compensated}, {@code bulwark.saga.cancelled}, {@code bulwark.saga.failed} (parked),
 * {@code bulwark.saga.resolved}, and the timer {@code bulwark.saga.step} tagged by step, phase and outcome.
 * Loaded only when a registry is given, so Micrometer stays optional.
 */
final class MicrometerSagaMetrics implements SagaMetrics {
    private final MeterRegistry registry;

    MicrometerSagaMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void started(String saga) {
        counter("bulwark.saga.started", saga).increment();
    }

    @Override
    public void ended(String saga, SagaState state) {
        String name = switch (state) {
            case FAILED, DEFINITION_MISSING -> "bulwark.saga.failed";
            default -> "bulwark.saga." + state.name().toLowerCase(Locale.ROOT);
        };
        counter(name, saga).increment();
    }

    @Override
    public void step(String saga, String step, StepRecord.Phase phase, StepRecord.Outcome outcome, long nanos) {
        Timer.builder("bulwark.saga.step")
                .description("Time a step's action or compensation took, its policy's retries included")
                .tags("saga", saga, "step", step, "phase", phase.name().toLowerCase(Locale.ROOT),
                        "outcome", outcome.name().toLowerCase(Locale.ROOT))
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    private Counter counter(String name, String saga) {
        return Counter.builder(name).tag("saga", saga).register(registry);
    }
}
