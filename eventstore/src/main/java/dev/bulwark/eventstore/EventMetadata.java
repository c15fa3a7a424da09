package dev.bulwark.eventstore;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What an event says about where it came from: the correlation id shared by everything one request caused, the
 * id of the message that directly caused it, and free-form headers.
 *
 * <pre>{@code
 * EventMetadata metadata = EventMetadata.of("request-7", "command-12").withHeader("user", "alice");
 * EventData next = EventData.of(new OrderShipped("42")).withMetadata(EventMetadata.causedBy(previous));
 * }</pre>
 *
 * @param correlationId the id shared by every message one request caused, or {@code null}
 * @param causationId the id of the message that caused this event, or {@code null}
 * @param headers other string headers; copied, never {@code null}
 */
public record EventMetadata(String correlationId, String causationId, Map<String, String> headers) {

    /** No correlation, no causation, no headers. */
    public static final EventMetadata EMPTY = new EventMetadata(null, null, Map.of());

    public EventMetadata {
        Objects.requireNonNull(headers, "headers");
        headers.forEach((key, value) -> {
            Objects.requireNonNull(key, "header name");
            Objects.requireNonNull(value, () -> "value of header " + key);
        });
        headers = Map.copyOf(headers);
    }

    /** Metadata with these ids and no headers; either may be {@code null}. */
    public static EventMetadata of(String correlationId, String causationId) {
        return new EventMetadata(correlationId, causationId, Map.of());
    }

    /**
     * Metadata for an event caused by {@code cause}: same correlation id (or the cause's id when it has none), and
     * the cause's event id as causation id.
     */
    public static EventMetadata causedBy(RecordedEvent cause) {
        Objects.requireNonNull(cause, "cause");
        String correlation = cause.metadata().correlationId();
        return of(correlation != null ? correlation : cause.eventId().toString(), cause.eventId().toString());
    }

    /** A copy with one more header (replacing one of the same name). */
    public EventMetadata withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return new EventMetadata(correlationId, causationId, copy);
    }
}
