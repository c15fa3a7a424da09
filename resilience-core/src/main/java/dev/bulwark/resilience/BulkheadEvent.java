package dev.bulwark.resilience;

import java.time.Duration;
import java.time.Instant;

/**
 * What a {@link Bulkhead} reports to its listeners. Events are built only while a listener is registered.
 *
 * <pre>{@code
 * bulkhead.onEvent(event -> {
 *     if (event instanceof BulkheadEvent.CallRejected) {
 *         log.warn("{} rejected a call at {}", event.bulkheadName(), event.timestamp());
 *     }
 * });
 * }</pre>
 */
public sealed interface BulkheadEvent {

    /** The name of the bulkhead. */
    String bulkheadName();

    /** When it happened, by the bulkhead's clock. */
    Instant timestamp();

    /** A call got a permit, after waiting {@code waited} for it ({@link Duration#ZERO} if it did not wait). */
    record CallPermitted(String bulkheadName, Instant timestamp, Duration waited) implements BulkheadEvent {}

    /** A call was refused: the bulkhead was full and no permit came free in time. */
    record CallRejected(String bulkheadName, Instant timestamp) implements BulkheadEvent {}

    /** A permitted call finished (returned, failed or was cancelled) and gave its permit back. */
    record CallFinished(String bulkheadName, Instant timestamp) implements BulkheadEvent {}
}
