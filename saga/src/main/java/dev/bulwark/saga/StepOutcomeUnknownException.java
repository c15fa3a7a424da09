package dev.bulwark.saga;

/**
 * Thrown by a step's action to say that it failed but may have taken effect: the request went out and no
 * answer came back (a lost response, a connection reset after sending), so the participant may or may not have
 * done the work. The step is recorded {@link StepRecord.Outcome#UNCERTAIN} and, like a completed step, is
 * compensated when the saga compensates, with the same idempotency key; the participant undoes the effect if it
 * has one, and should bar the key if it has none yet, so that the request, if it arrives late, does nothing.
 *
 * <pre>{@code
 * .step("charge")
 *     .action(ctx -> {
 *         try {
 *             payments.charge(ctx.idempotencyKey(), ctx.data().total());
 *         } catch (ConnectionResetException sentButNoAnswer) {
 *             throw new StepOutcomeUnknownException("charge sent, no answer", sentButNoAnswer);
 *         }
 *     })
 *     .compensation(ctx -> payments.refund(ctx.idempotencyKey()))
 * }</pre>
 *
 * <p>It counts wherever it appears in the cause chain of the step's failure, and also when an earlier run of the
 * action (retried by the step's policy) threw it. A pivot step whose outcome is unknown cannot be compensated: the
 * saga is parked {@link SagaState#FAILED} for a person to retry the pivot (with the same key), skip it or resolve
 * the saga. See {@link StepBuilder#compensateOnFailure()} to treat every failure of a step this way.
 */
public class StepOutcomeUnknownException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was attempted and what is unknown
     * @param cause what went wrong, or {@code null}
     */
    public StepOutcomeUnknownException(String message, Throwable cause) {
        super(message, cause);
    }

    /** @param message what was attempted and what is unknown */
    public StepOutcomeUnknownException(String message) {
        super(message);
    }
}
