package dev.bulwark.eventstore;

import java.util.Objects;

/**
 * What the caller believes about a stream when it appends or deletes: the optimistic-concurrency check.
 *
 * <p>Versions count a stream's events from 1; a stream that was never written (or was deleted) has no version.
 * A check that fails throws {@link WrongExpectedVersionException} and changes nothing.
 *
 * <pre>{@code
 * store.append("order-42", ExpectedVersion.NO_STREAM, List.of(EventData.of(new OrderPlaced("42"))));
 * store.append("order-42", ExpectedVersion.exactly(1), List.of(EventData.of(new OrderShipped("42"))));
 * }</pre>
 *
 * @param kind which check to make
 * @param version the exact version expected when {@code kind} is {@link Kind#EXACTLY}; {@code -1} otherwise
 */
public record ExpectedVersion(Kind kind, long version) {

    /** Which check an {@link ExpectedVersion} makes. */
    public enum Kind {
        /** No check: append wherever the stream is, creating it if needed. */
        ANY,
        /** The stream must not exist: never written, or deleted (when recreation is allowed). */
        NO_STREAM,
        /** The stream must exist, at any version. */
        STREAM_EXISTS,
        /** The stream must exist and its last event must have exactly this version. */
        EXACTLY
    }

    /** No check. */
    public static final ExpectedVersion ANY = new ExpectedVersion(Kind.ANY, -1);
    /** The stream must not exist. */
    public static final ExpectedVersion NO_STREAM = new ExpectedVersion(Kind.NO_STREAM, -1);
    /** The stream must exist. */
    public static final ExpectedVersion STREAM_EXISTS = new ExpectedVersion(Kind.STREAM_EXISTS, -1);

    public ExpectedVersion {
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.EXACTLY && version < 1) {
            throw new IllegalArgumentException("version must be >= 1 for EXACTLY, was " + version
                    + " (use ExpectedVersion.exactly(0) or NO_STREAM for a stream without events)");
        }
        if (kind != Kind.EXACTLY && version != -1) {
            throw new IllegalArgumentException("version must be -1 for " + kind + ", was " + version);
        }
    }

    /**
     * The stream's last event must have exactly this version; {@code exactly(0)} means the stream has no events
     * and is the same as {@link #NO_STREAM}.
     *
     * @throws IllegalArgumentException if {@code version} is negative
     */
    public static ExpectedVersion exactly(long version) {
        if (version < 0) {
            throw new IllegalArgumentException("version must be >= 0, was " + version);
        }
        return version == 0 ? NO_STREAM : new ExpectedVersion(Kind.EXACTLY, version);
    }

    @Override
    public String toString() {
        return kind == Kind.EXACTLY ? "version " + version : kind.name();
    }
}
