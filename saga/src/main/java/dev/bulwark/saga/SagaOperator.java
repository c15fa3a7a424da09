package dev.bulwark.saga;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a person needs to look after sagas: find the stuck ones, read what happened, and repair them.
 *
 * <pre>{@code
 * SagaOperator operator = orchestrator.operator();
 * for (SagaSummary parked : operator.list(SagaState.FAILED, Duration.ZERO, 50)) {
 *     System.out.println(parked.sagaId() + " " + parked.message() + " " + operator.history(parked.sagaId()));
 * }
 * operator.retry(sagaId); // after fixing the cause
 * }</pre>
 *
 * <p>Repairs act on the store, so they work whichever node runs (or will run) the saga. Unknown ids fail with
 * {@link IllegalArgumentException}; repairs that do not fit the saga's state fail with
 * {@link IllegalStateException} naming the state.
 */
public interface SagaOperator {

    /** Up to {@code limit} sagas in {@code state} that are at least {@code minAge} old, oldest first. */
    List<SagaSummary> list(SagaState state, Duration minAge, int limit);

    /** The saga with this id, if there is one. */
    Optional<SagaSummary> find(String sagaId);

    /** The saga's step history, oldest first. */
    List<StepRecord> history(String sagaId);

    /**
     * Resumes a parked saga: a FAILED one runs the steps (or compensations) it was parked on again; a
     * DEFINITION_MISSING one is handed to whichever node has its definition version.
     */
    void retry(String sagaId);

    /**
     * Marks the step a FAILED saga is parked on as done (the person did or undid it by hand) and resumes the
     * saga after it.
     */
    void skip(String sagaId, String stepId);

    /** Closes a parked saga by hand: it ends {@link SagaState#RESOLVED} with the note as its message. */
    void resolve(String sagaId, String note);

    /**
     * Asks for a running saga to be cancelled: the node running it abandons its running steps and compensates
     * the completed ones, ending {@link SagaState#CANCELLED}. A pivot already running is allowed to finish; if
     * it completes, the saga runs forward to COMPLETED after all.
     *
     * @throws IllegalStateException if the saga is not RUNNING or has passed its pivot
     */
    void cancel(String sagaId);
}
