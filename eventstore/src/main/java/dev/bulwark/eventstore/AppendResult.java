package dev.bulwark.eventstore;

import java.util.Objects;

/**
 * What an append did to one stream. A retried append that found its events already stored returns the same result
 * as the first.
 *
 * <pre>{@code
 * AppendResult result = store.append("order-42", ExpectedVersion.NO_STREAM, events);
 * store.append("order-42", result.nextExpectedVersion(), more);
 * }</pre>
 *
 * @param streamId the stream
 * @param version the stream's version after the append: the version of its last event
 * @param position the global position of the last event appended
 */
public record AppendResult(String streamId, long version, long position) {

    public AppendResult {
        Objects.requireNonNull(streamId, "streamId");
        if (version < 1) {
            throw new IllegalArgumentException("version must be >= 1, was " + version);
        }
        if (position < 1) {
            throw new IllegalArgumentException("position must be >= 1, was " + position);
        }
    }

    /** The expected version for the next append that follows this one directly. */
    public ExpectedVersion nextExpectedVersion() {
        return ExpectedVersion.exactly(version);
    }
}
