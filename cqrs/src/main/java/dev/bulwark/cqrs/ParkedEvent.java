package dev.bulwark.cqrs;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * An event a projection set aside: applying it kept failing, or an earlier event with the same key is parked (so
 * that the events of one key are never applied out of order). The projection went on with other keys; an operator
 * looks at the error, fixes the cause, then calls {@link ProjectionRunner#retryParked} or
 * {@link ProjectionRunner#discardParked} for the key.
 *
 * <pre>{@code
 * for (ParkedEvent parked : runner.parkedEvents()) {
 *     log.warn("{} parked {}@{}: {}", parked.projection(), parked.streamId(), parked.version(), parked.error());
 * }
 * }</pre>
 *
 * @param projection the projection's name
 * @param key the key it is parked under (by default the stream id)
 * @param position its global position
 * @param streamId its stream
 * @param version its version in the stream
 * @param eventId its id
 * @param type its type name
 * @param attempts how often applying it failed; {@code 0} when it was parked behind an earlier event of its key
 * @param error the last failure, or why it was parked without trying
 * @param parkedAt when it was parked
 */
public record ParkedEvent(
        String projection,
        String key,
        long position,
        String streamId,
        long version,
        UUID eventId,
        String type,
        int attempts,
        String error,
        Instant parkedAt) {

    public ParkedEvent {
        Objects.requireNonNull(projection, "projection");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(parkedAt, "parkedAt");
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts must be >= 0, was " + attempts);
        }
    }
}
