package dev.bulwark.resilience;

import java.time.Duration;
import java.time.Instant;

/**
 * What a {@link Hedge} did, delivered to listeners registered with {@link Hedge#onEvent}.
 *
 * <pre>{@code
 * hedge.onEvent(event -> metrics.record(event.getClass().getSimpleName()));
 * }</pre>
 */
public sealed interface HedgeEvent {

    /** The name of the hedge. */
    String policyName();

    /** When it happened, by the hedge's clock. */
    Instant timestamp();

    /** The call had not answered after {@code delay}: attempt number {@code attempt} (from 2) started. */
    record HedgeStarted(String policyName, Instant timestamp, int attempt, Duration delay) implements HedgeEvent {}

    /** The retry budget refused a hedge; the attempts already running carry on. */
    record BudgetExhausted(String policyName, Instant timestamp, String budgetName) implements HedgeEvent {}
}
