package dev.bulwark.saga;

/**
 * Where a saga instance stands. A saga starts {@link #RUNNING}; it ends {@link #COMPLETED} when every step
 * succeeded, {@link #COMPENSATED} when a step failed (or the saga timed out) and the completed steps were
 * undone, or {@link #CANCELLED} when it was cancelled and undone. Two states park a saga for a person:
 * {@link #FAILED} and {@link #DEFINITION_MISSING}; the operator API retries, skips or resolves them.
 */
public enum SagaState {
    /** Steps are running forward. */
    RUNNING,
    /** A step failed, the saga timed out or was cancelled: completed steps are being undone. */
    COMPENSATING,
    /** Every step completed. Terminal. */
    COMPLETED,
    /** A step failed or the saga timed out, and every completed step was compensated. Terminal. */
    COMPENSATED,
    /**
     * Parked for a person: a compensation kept failing after its retries, a step after the pivot (which must
     * eventually succeed) kept failing, or the pivot failed but may have taken effect (it can be neither undone
     * nor assumed not to have happened). {@link SagaOperator#retry} resumes it once the cause is fixed; a retried
     * step runs again with the same idempotency key.
     */
    FAILED,
    /** The saga was cancelled before its pivot and every completed step was compensated. Terminal. */
    CANCELLED,
    /**
     * Parked: the saga was started with a definition version that the node resuming it does not have. It is
     * never run with another version; {@link SagaOperator#retry} hands it back once a node has that version.
     */
    DEFINITION_MISSING,
    /** A person closed a parked saga by hand with {@link SagaOperator#resolve}. Terminal. */
    RESOLVED;

    /** Whether the saga has ended and will never run again. */
    public boolean isTerminal() {
        return this == COMPLETED || this == COMPENSATED || this == CANCELLED || this == RESOLVED;
    }

    /** Whether the saga waits for a person ({@link #FAILED} or {@link #DEFINITION_MISSING}). */
    public boolean isParked() {
        return this == FAILED || this == DEFINITION_MISSING;
    }
}
