package dev.bulwark.saga;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of a saga's step history: a step's action or compensation finished (or an operator acted on it).
 *
 * @param sequence the entry's position in the saga's history, from 1
 * @param stepId the step
 * @param phase the action or the compensation
 * @param outcome what happened
 * @param attempts how many times the action or compensation ran in this attempt (its policy's retries
 *     included); 0 for operator entries
 * @param output the step's output as stored JSON, for people to read, or {@code null}
 * @param error what went wrong, or {@code null}
 * @param startedAt when the run began
 * @param finishedAt when it ended
 */
public record StepRecord(int sequence, String stepId, Phase phase, Outcome outcome, int attempts, String output,
        String error, Instant startedAt, Instant finishedAt) {

    public StepRecord {
        Objects.requireNonNull(stepId, "stepId");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
    }

    /** Which side of the step. */
    public enum Phase {
        ACTION,
        COMPENSATION
    }

    /** What became of the run. */
    public enum Outcome {
        /** It succeeded. */
        COMPLETED,
        /** It threw (after its policy gave up), or its policy rejected it; its effect is taken to be nil. */
        FAILED,
        /** It did not finish within the step's timeout; its effect is unknown. */
        TIMED_OUT,
        /** The saga timed out or was cancelled while it ran; its effect is unknown. */
        ABANDONED,
        /** An operator skipped it: it counts as done. */
        SKIPPED,
        /** An operator asked for it to run again. */
        RETRY_REQUESTED,
        /**
         * The action failed but may have taken effect (see {@link StepOutcomeUnknownException} and
         * {@link StepBuilder#compensateOnFailure()}): it is compensated like a completed step.
         */
        UNCERTAIN
    }
}
