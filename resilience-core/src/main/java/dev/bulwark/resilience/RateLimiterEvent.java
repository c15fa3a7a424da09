package dev.bulwark.resilience;

import java.time.Duration;
import java.time.Instant;

/**
 * What a {@link RateLimiter} reports to its listeners. Events are built only while a listener is registered.
 *
 * <pre>{@code
 * limiter.onEvent(event -> {
 *     if (event instanceof RateLimiterEvent.CallPermitted permitted && !permitted.waited().isZero()) {
 *         log.debug("waited {} for a permit", permitted.waited());
 *     }
 * });
 * }</pre>
 */
public sealed interface RateLimiterEvent {

    /** The name of the rate limiter. */
    String rateLimiterName();

    /** When it happened, by the limiter's clock. */
    Instant timestamp();

    /**
     * A call got a permit. {@code waited} is how long it had to wait for the permit's period to begin
     * ({@link Duration#ZERO} if the permit was free at once); the event is reported when the permit is
     * reserved, before the wait.
     */
    record CallPermitted(String rateLimiterName, Instant timestamp, Duration waited) implements RateLimiterEvent {}

    /** A call was refused: no permit could be had within the timeout. */
    record CallRejected(String rateLimiterName, Instant timestamp) implements RateLimiterEvent {}
}
