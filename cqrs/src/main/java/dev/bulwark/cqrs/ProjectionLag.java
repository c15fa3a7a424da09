package dev.bulwark.cqrs;

import java.time.Duration;
import java.util.Objects;

/**
 * How far a projection is behind the head of the global log.
 *
 * <pre>{@code
 * ProjectionLag lag = runner.lag();
 * if (lag.time().compareTo(Duration.ofSeconds(30)) > 0) { alert(lag); }
 * }</pre>
 *
 * @param events the events it has still to process (only those its filter keeps), counted up to
 *     {@link #COUNT_LIMIT}: a value of {@code COUNT_LIMIT} means "at least that many"
 * @param time how long ago the oldest event it has still to process was appended; zero when caught up
 */
public record ProjectionLag(long events, Duration time) {

    /** The most events {@link ProjectionRunner#lag()} counts; counting reads the log, so it stops there. */
    public static final int COUNT_LIMIT = 10_000;

    /** Caught up. */
    public static final ProjectionLag NONE = new ProjectionLag(0, Duration.ZERO);

    public ProjectionLag {
        if (events < 0) {
            throw new IllegalArgumentException("events must be >= 0, was " + events);
        }
        Objects.requireNonNull(time, "time");
        if (time.isNegative()) {
            throw new IllegalArgumentException("time must not be negative, was " + time);
        }
    }
}
