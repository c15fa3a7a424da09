package dev.bulwark.eventstore;

import java.util.Objects;

/**
 * An append or delete found the stream in another state than the caller expected; nothing was written. Read the
 * stream again, decide again, and retry with the new version.
 *
 * <pre>{@code
 * try {
 *     store.append("order-42", ExpectedVersion.exactly(3), events);
 * } catch (WrongExpectedVersionException e) {
 *     long actual = e.actualVersion(); // reload from here
 * }
 * }</pre>
 */
public class WrongExpectedVersionException extends EventStoreException {
    private static final long serialVersionUID = 1L;

    private final String streamId;
    private final ExpectedVersion expectedVersion;
    private final long actualVersion;
    private final boolean deleted;

    /**
     * @param streamId the stream
     * @param expectedVersion what the caller expected
     * @param actualVersion the version of the stream's last event, {@code 0} if it was never written
     * @param deleted whether the stream is deleted
     */
    public WrongExpectedVersionException(String streamId, ExpectedVersion expectedVersion, long actualVersion,
            boolean deleted) {
        super("stream " + streamId + ": expected " + expectedVersion + ", but the stream "
                + describe(actualVersion, deleted));
        this.streamId = Objects.requireNonNull(streamId, "streamId");
        this.expectedVersion = Objects.requireNonNull(expectedVersion, "expectedVersion");
        this.actualVersion = actualVersion;
        this.deleted = deleted;
    }

    private static String describe(long actualVersion, boolean deleted) {
        if (deleted) {
            return "was deleted at version " + actualVersion;
        }
        return actualVersion == 0 ? "does not exist" : "is at version " + actualVersion;
    }

    /** The stream. */
    public String streamId() {
        return streamId;
    }

    /** What the caller expected. */
    public ExpectedVersion expectedVersion() {
        return expectedVersion;
    }

    /** The version of the stream's last event, {@code 0} if the stream was never written. */
    public long actualVersion() {
        return actualVersion;
    }

    /** Whether the stream is deleted. */
    public boolean deleted() {
        return deleted;
    }
}
