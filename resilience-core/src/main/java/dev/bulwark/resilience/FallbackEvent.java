package dev.bulwark.resilience;

import java.time.Instant;

/**
 * What a {@link Fallback} did, delivered to listeners registered with {@link Fallback#onEvent}.
 *
 * <pre>{@code
 * fallback.onEvent(event -> log.info("served the fallback for {}", event.policyName()));
 * }</pre>
 */
public sealed interface FallbackEvent {

    /** The name of the fallback. */
    String policyName();

    /** When it happened, by the fallback's clock. */
    Instant timestamp();

    /** A failure was replaced by the fallback's value. */
    record Applied(String policyName, Instant timestamp, Throwable failure) implements FallbackEvent {}
}
