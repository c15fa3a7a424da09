package dev.bulwark.saga;

import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why a saga did not complete (or why it is compensating), in parts a program can act on. The
 * {@link #description()} is the text the store keeps as the saga's message; the other parts are read from the
 * step history, so a saga that another node ran, or that ended long ago, is explained the same way.
 *
 * <pre>{@code
 * SagaResult<Order> result = handle.result().toCompletableFuture().join();
 * SagaFailure reason = result.reason();
 * if (reason != null && "charge-card".equals(reason.stepId())) {
 *     alerts.paymentFailed(reason.errorType(), reason.errorMessage());
 * }
 * }</pre>
 *
 * @param description the whole reason as people read it, as {@link SagaResult#failure()} and
 *     {@link SagaSummary#message()} show it
 * @param stepId the step whose action or compensation failed, timed out or may have taken effect; {@code null}
 *     when the saga as a whole timed out, was cancelled, or was parked for a reason of its own
 * @param phase the action or the compensation of that step; {@code null} when {@code stepId} is
 * @param outcome how that run ended ({@link StepRecord.Outcome#FAILED}, {@link StepRecord.Outcome#TIMED_OUT} or
 *     {@link StepRecord.Outcome#UNCERTAIN}); {@code null} when {@code stepId} is
 * @param errorType the class name of the exception the run ended with (after its policy gave up); {@code null} for
 *     a timeout, or without a step
 * @param errorMessage that exception's message, or {@code null}
 */
public record SagaFailure(String description, String stepId, StepRecord.Phase phase, StepRecord.Outcome outcome,
        String errorType, String errorMessage) {
    /** How {@code Attempt} writes an error: the exception's class name, then {@code ": "} and its message if any. */
    private static final Pattern ERROR = Pattern.compile(
            "(\\p{javaJavaIdentifierStart}[\\p{javaJavaIdentifierPart}.$]*)(?:: (.*))?", Pattern.DOTALL);
    /** What an abandoned step that another node had started adds to the abort reason in its history entry. */
    static final String STARTED_ELSEWHERE = " (started by another node)";

    public SagaFailure {
        Objects.requireNonNull(description, "description");
        if ((stepId == null) != (phase == null) || (stepId == null) != (outcome == null)) {
            throw new IllegalArgumentException("stepId, phase and outcome must be given together, were " + stepId
                    + ", " + phase + ", " + outcome);
        }
        if (errorType != null && stepId == null) {
            throw new IllegalArgumentException("errorType needs a stepId, was " + errorType + " without one");
        }
    }

    /** A reason that belongs to no step: a saga timeout, a cancellation, a missing definition. */
    static SagaFailure described(String description) {
        return new SagaFailure(description, null, null, null, null, null);
    }

    /** Whether the entry is a failed, timed-out or uncertain run of an action or a compensation. */
    static boolean isFailure(StepRecord entry) {
        return entry.outcome() == StepRecord.Outcome.FAILED || entry.outcome() == StepRecord.Outcome.TIMED_OUT
                || entry.outcome() == StepRecord.Outcome.UNCERTAIN;
    }

    /**
     * The reason a failed, timed-out or uncertain history entry gives.
     *
     * @throws IllegalArgumentException for another kind of entry
     */
    static SagaFailure of(StepRecord entry) {
        if (!isFailure(entry)) {
            throw new IllegalArgumentException("entry " + entry.sequence() + " of step '" + entry.stepId() + "' is "
                    + entry.outcome() + ", not a failure");
        }
        String error = entry.error() == null ? "no error recorded" : entry.error();
        String id = entry.stepId();
        boolean action = entry.phase() == StepRecord.Phase.ACTION;
        if (entry.outcome() == StepRecord.Outcome.TIMED_OUT) {
            return new SagaFailure(error, id, entry.phase(), entry.outcome(), null, null);
        }
        String description = !action ? "compensation of step '" + id + "' failed: " + error
                : entry.outcome() == StepRecord.Outcome.UNCERTAIN ? "step '" + id + "' failed and may have taken effect: " + error
                : "step '" + id + "' failed: " + error;
        Matcher parts = ERROR.matcher(error);
        if (entry.error() != null && parts.matches()) {
            return new SagaFailure(description, id, entry.phase(), entry.outcome(), parts.group(1), parts.group(2));
        }
        return new SagaFailure(description, id, entry.phase(), entry.outcome(), null, entry.error());
    }

    /**
     * Why a saga with this history is (or was) compensating: the first step failure of its forward pass, unless the
     * saga was aborted (timed out or cancelled) after it; {@code null} when the history shows neither.
     */
    static SagaFailure compensationReason(List<StepRecord> history) {
        SagaFailure reason = null;
        for (StepRecord entry : history) {
            if (entry.phase() != StepRecord.Phase.ACTION) {
                continue;
            }
            switch (entry.outcome()) {
                case FAILED, TIMED_OUT, UNCERTAIN -> reason = reason == null ? of(entry) : reason;
                case ABANDONED -> reason = described(abortReason(entry));
                case RETRY_REQUESTED -> reason = reason != null && entry.stepId().equals(reason.stepId()) ? null : reason;
                case COMPLETED, SKIPPED -> { }
            }
        }
        return reason;
    }

    /**
     * Explains a stored saga from its state, its message and its history: the history entry the message
     * describes, or the message alone when no entry does; {@code null} for a completed saga.
     */
    static SagaFailure explain(SagaState state, String message, List<StepRecord> history) {
        if (state == SagaState.COMPLETED) {
            return null;
        }
        SagaFailure reason = compensationReason(history);
        if (message == null || reason != null && reason.description().equals(message)) {
            return reason;
        }
        for (int i = history.size() - 1; i >= 0; i--) {
            StepRecord entry = history.get(i);
            if (isFailure(entry)) {
                SagaFailure candidate = of(entry);
                if (candidate.description().equals(message)) {
                    return candidate;
                }
            }
        }
        return described(message);
    }

    /**
     * The reason a saga resumed in {@code state} carries on with. A compensating saga's stored message is its
     * reason, unless an operator's retry of a parked compensation cleared it: the history still knows why then.
     */
    static SagaFailure resumed(SagaState state, String message, List<StepRecord> history) {
        SagaFailure explained = explain(state, message, history);
        if (state != SagaState.COMPENSATING) {
            return explained;
        }
        SagaFailure reason = message != null ? explained : compensationReason(history);
        return reason != null ? reason : described("the saga is compensating; its reason was not recorded");
    }

    private static String abortReason(StepRecord abandoned) {
        String error = abandoned.error() == null ? "the saga was aborted" : abandoned.error();
        return error.endsWith(STARTED_ELSEWHERE) ? error.substring(0, error.length() - STARTED_ELSEWHERE.length()) : error;
    }
}
