package dev.bulwark.resilience;

import java.time.Duration;
import java.time.Instant;

/**
 * What a {@link Timeout} did, delivered to listeners registered with {@link Timeout#onEvent}.
 *
 * <pre>{@code
 * timeout.onEvent(event -> log.warn("{} timed out after {}", event.policyName(), ((TimeoutEvent.TimedOut) event).timeout()));
 * }</pre>
 */
public sealed interface TimeoutEvent {

    /** The name of the timeout. */
    String policyName();

    /** When it happened, by the timeout's clock. */
    Instant timestamp();

    /** A call did not finish within {@code timeout}: it was cancelled, interrupted, or its result discarded. */
    record TimedOut(String policyName, Instant timestamp, Duration timeout) implements TimeoutEvent {}
}
