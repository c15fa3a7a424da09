package dev.bulwark.eventstore;

import java.util.List;
import java.util.Objects;

/**
 * One stream's part of an atomic multi-stream append ({@link EventStore#appendAll}).
 *
 * <pre>{@code
 * store.appendAll(List.of(
 *         new StreamAppend("account-1", ExpectedVersion.exactly(4), List.of(EventData.of(new Debited(10)))),
 *         new StreamAppend("account-2", ExpectedVersion.exactly(9), List.of(EventData.of(new Credited(10))))));
 * }</pre>
 *
 * @param streamId the stream: not blank, at most {@value #MAX_STREAM_ID_LENGTH} characters, no control characters
 * @param expectedVersion the check to make on that stream
 * @param events the events, at least one; copied
 */
public record StreamAppend(String streamId, ExpectedVersion expectedVersion, List<EventData> events) {

    /** The longest stream id a store accepts, in characters. */
    public static final int MAX_STREAM_ID_LENGTH = 200;

    public StreamAppend {
        requireValidStreamId(streamId);
        Objects.requireNonNull(expectedVersion, "expectedVersion");
        Objects.requireNonNull(events, "events");
        if (events.isEmpty()) {
            throw new IllegalArgumentException("events must not be empty (stream " + streamId + ")");
        }
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i) == null) {
                throw new NullPointerException("events[" + i + "] (stream " + streamId + ")");
            }
        }
        events = List.copyOf(events);
    }

    /**
     * Checks a stream id the way every store does.
     *
     * @throws NullPointerException if it is null
     * @throws IllegalArgumentException if it is blank, too long or holds a control character; the message shows it
     */
    static String requireValidStreamId(String streamId) {
        Objects.requireNonNull(streamId, "streamId");
        if (streamId.isBlank()) {
            throw new IllegalArgumentException("streamId must not be blank, was \"" + streamId + "\"");
        }
        if (streamId.length() > MAX_STREAM_ID_LENGTH) {
            throw new IllegalArgumentException("streamId must be at most " + MAX_STREAM_ID_LENGTH
                    + " characters, was " + streamId.length() + " (\"" + streamId.substring(0, 40) + "...\")");
        }
        for (int i = 0; i < streamId.length(); i++) {
            if (Character.isISOControl(streamId.charAt(i))) {
                throw new IllegalArgumentException("streamId must not contain control characters, was \""
                        + streamId.replaceAll("\\p{Cntrl}", "?") + "\" (character " + i + ")");
            }
        }
        return streamId;
    }
}
