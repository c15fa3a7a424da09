package dev.bulwark.saga;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the orchestrator needs from a store. Every write is one atomic statement (one commit): a transition
 * updates the instance row and appends its step records together, fenced by the lease owner, so a node that
 * lost its lease can never overwrite the node that took the saga over.
 *
 * <p>Implementations are thread-safe and throw {@link SagaStoreException} when the store cannot be reached.
 */
interface Journal {

    /**
     * Records a new saga, owned by {@code row.owner()}; returns false, changing nothing, if a saga with its id
     * exists (whichever node recorded it, however close the race).
     */
    boolean insert(SagaRow row);

    /** Applies a transition if {@code transition.owner()} still holds the lease. */
    WriteResult transition(Transition transition);

    /**
     * Claims up to {@code limit} unfinished sagas whose lease expired before {@code now} (or that no node
     * holds), skipping rows other nodes are claiming at the same moment.
     */
    List<Claim> claim(String owner, long now, long leaseUntil, int limit);

    /**
     * Extends the leases {@code owner} holds on {@code sagaIds}; returns the ids still held, each with whether
     * its cancellation was requested.
     */
    Map<String, Boolean> renew(String owner, Collection<String> sagaIds, long leaseUntil);

    /** Gives up every unfinished saga {@code owner} holds, so other nodes may claim them at once. */
    void release(String owner);

    Optional<SagaRow> find(String sagaId);

    /** Sagas in {@code state} created at or before {@code createdBefore}, oldest first. */
    List<SagaRow> list(SagaState state, long createdBefore, int limit);

    List<StepRecord> history(String sagaId);

    /** Flags a running saga that has not passed its pivot for cancellation; returns whether it was flagged. */
    boolean requestCancel(String sagaId, long now);

    /**
     * An operator's change of a parked saga: applied only if the saga is still in {@code expected} with
     * {@code expectedSequence} history entries; releases the lease so any node can claim it.
     */
    boolean reopen(String sagaId, SagaState expected, int expectedSequence, SagaState state, List<String> active,
            String message, List<StepRecord> entries, long now);

    /** What a fenced transition found. */
    enum WriteResult {
        /** Applied. */
        APPLIED,
        /** Applied, and someone asked to cancel the saga. */
        APPLIED_CANCEL_REQUESTED,
        /** Not applied: another node holds the lease now. */
        LOST
    }

    /** A claimed saga with its history. */
    record Claim(SagaRow row, List<StepRecord> history) {}

    /**
     * A saga instance as stored.
     *
     * @param resumeState the state a parked saga resumes in, else {@code null}
     * @param data the saga data as JSON
     * @param deadline the saga's wall-clock deadline in epoch milliseconds, or 0
     * @param sequence the number of history entries so far
     */
    record SagaRow(String sagaId, String name, int version, SagaState state, SagaState resumeState, String data,
            List<String> active, String message, boolean pivotPassed, boolean cancelRequested, String owner,
            long leaseUntil, long deadline, long createdAt, long updatedAt, int sequence) {

        SagaSummary summary() {
            return new SagaSummary(sagaId, name, version, state, active, message, owner,
                    java.time.Instant.ofEpochMilli(createdAt), java.time.Instant.ofEpochMilli(updatedAt));
        }
    }

    /**
     * A move of a saga, with the step records that caused it.
     *
     * @param data the new data as JSON, or {@code null} when unchanged
     * @param release whether the saga leaves its owner (it ended or was parked)
     * @param entries the history entries to append (their sequence numbers are assigned by the store)
     */
    record Transition(String sagaId, String owner, SagaState state, SagaState resumeState, String data,
            List<String> active, String message, boolean pivotPassed, long leaseUntil, boolean release, long now,
            List<StepRecord> entries) {}
}
