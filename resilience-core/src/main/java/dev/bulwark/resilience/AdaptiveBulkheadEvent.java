package dev.bulwark.resilience;

import java.time.Duration;
import java.time.Instant;

/**
 * What an {@link AdaptiveBulkhead} reports to its listeners. Events are built only while a listener is
 * registered.
 *
 * <pre>{@code
 * bulkhead.onEvent(event -> {
 *     if (event instanceof AdaptiveBulkheadEvent.LimitChanged changed) {
 *         log.info("limit {} -> {} at latency {}", changed.from(), changed.to(), changed.latency());
 *     }
 * });
 * }</pre>
 */
public sealed interface AdaptiveBulkheadEvent {

    /** The name of the bulkhead. */
    String bulkheadName();

    /** When it happened, by the bulkhead's clock. */
    Instant timestamp();

    /**
     * The limit moved from {@code from} to {@code to} at the end of a window whose average latency was
     * {@code latency} ({@link Duration#ZERO} if the window held only drops), against a no-load latency of
     * {@code noLoadLatency}.
     */
    record LimitChanged(String bulkheadName, Instant timestamp, int from, int to, Duration latency,
            Duration noLoadLatency) implements AdaptiveBulkheadEvent {}

    /** A call was refused: {@code limit} calls were in flight. */
    record CallRejected(String bulkheadName, Instant timestamp, int limit) implements AdaptiveBulkheadEvent {}
}
