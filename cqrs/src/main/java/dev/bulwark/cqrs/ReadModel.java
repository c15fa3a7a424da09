package dev.bulwark.cqrs;

import dev.bulwark.eventstore.RecordedEvent;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Where a projection's read model, checkpoint and parked events live, and how they change together. The runner
 * calls the changing methods from its one thread, only between {@link #acquire()} and {@link #release()};
 * {@link #parked()} and {@link #storedCheckpoint()} may be called from any thread.
 *
 * <p>Failures: a failure of the projection's own code is an {@link ApplyFailure}; a failure of the storage (the
 * database is unreachable, another runner took over) is a {@link Unavailable}. Anything else is a bug.
 */
interface ReadModel {

    /** Tries to become the one runner that changes this read model; true if it is now. */
    boolean acquire() throws Exception;

    /** Just after {@link #acquire()}: shuts out earlier runners and returns the stored checkpoint. */
    long begin() throws Exception;

    /** The keys that have parked events. */
    Set<String> parkedKeys() throws Exception;

    /**
     * Applies the events in order and sets the checkpoint: atomically where the storage allows (JDBC), else event by
     * event with the checkpoint following (memory).
     *
     * @throws ApplyFailure if the projection failed; its {@code applied} events stay applied, the rest do not
     */
    void apply(List<RecordedEvent> events, long checkpoint) throws Exception;

    /** Records a parked event and sets the checkpoint to its position, atomically. */
    void park(ParkedEvent parked) throws Exception;

    /** Sets the checkpoint (past events the filter skipped). */
    void advance(long checkpoint) throws Exception;

    /** The parked events in log order. */
    List<ParkedEvent> parked() throws Exception;

    /**
     * Applies the parked events of a key again and unparks them.
     *
     * @param events reads a parked event back from the log
     * @param checkpoint the current checkpoint, which stays
     * @return how many were applied
     * @throws ApplyFailure if the projection failed again
     */
    int retryParked(String key, Function<ParkedEvent, RecordedEvent> events, long checkpoint) throws Exception;

    /** Drops the parked events of a key; returns how many. */
    int discardParked(String key, long checkpoint) throws Exception;

    /** Empties the read model and the parked events and sets the checkpoint to 0, atomically where possible. */
    void reset() throws Exception;

    /** The checkpoint as stored now, read from any thread. */
    long storedCheckpoint() throws Exception;

    /** Gives up the turn taken by {@link #acquire()}. Never throws. */
    void release();

    /** The projection's code failed on an event; {@code applied} events of the batch stay applied. */
    final class ApplyFailure extends Exception {
        private static final long serialVersionUID = 1L;
        final int applied;
        final transient RecordedEvent event;

        ApplyFailure(int applied, RecordedEvent event, Throwable cause) {
            super("applying " + event.streamId() + "@" + event.version() + " (position " + event.position()
                    + ") failed: " + cause, cause);
            this.applied = applied;
            this.event = event;
        }
    }

    /** The storage failed, or another runner took over: the runner stops its turn and starts again later. */
    final class Unavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
