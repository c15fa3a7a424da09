package dev.bulwark.eventstore;

/** Which way {@link EventStore#readStream} walks a stream. */
public enum ReadDirection {
    /** From the given version up, oldest first. */
    FORWARD,
    /** From the given version down, newest first; start at {@link EventStore#END} for the latest events. */
    BACKWARD
}
