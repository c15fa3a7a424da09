package dev.bulwark.resilience;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;

/**
 * Publishes a {@link Hedge}'s counts to Micrometer:
 * {@code bulwark.hedge.calls{name, kind}} with {@code kind} one of {@code primary_won}, {@code hedge_won},
 * {@code failed}; and {@code bulwark.hedge.hedges{name, kind}} with {@code kind=started} or
 * {@code kind=budget_exhausted}.
 *
 * <pre>{@code
 * AutoCloseable meters = HedgeMetrics.bind(hedge, registry);
 * }</pre>
 */
public final class HedgeMetrics {
    private HedgeMetrics() {}

    /** Registers the hedge's meters; closing the result removes them. */
    public static AutoCloseable bind(Hedge hedge, MeterRegistry registry) {
        Objects.requireNonNull(hedge, "hedge");
        String calls = "bulwark.hedge.calls";
        String hedges = "bulwark.hedge.hedges";
        String callsDescription = "Calls through the hedge, by which attempt answered";
        String hedgesDescription = "Extra attempts, started or refused by the budget";
        return new PipelineMeters(registry, hedge.name())
                .counter(calls, "primary_won", callsDescription, hedge, h -> h.metrics().primaryWon())
                .counter(calls, "hedge_won", callsDescription, hedge, h -> h.metrics().hedgeWon())
                .counter(calls, "failed", callsDescription, hedge, h -> h.metrics().failed())
                .counter(hedges, "started", hedgesDescription, hedge, h -> h.metrics().hedgesStarted())
                .counter(hedges, "budget_exhausted", hedgesDescription, hedge, h -> h.metrics().budgetExhausted());
    }
}
