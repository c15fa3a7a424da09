package dev.bulwark.saga;

/**
 * What a step's action or compensation sees: the saga data, the outputs of completed steps and an
 * idempotency key.
 *
 * <p>The key is {@code sagaId + "/" + stepId}: the same for every attempt, retry and recovery of the step, and
 * the same for its compensation, so a participant can deduplicate the action and find what to undo. A step
 * runs at least once (a node that dies mid-step leaves it to another node that runs it again); the key is what
 * makes that safe. A step that timed out or was abandoned (saga timeout, cancellation) is compensated while its
 * action may still be on its way, so a participant should also remember the keys it compensated and ignore
 * an action that arrives after its compensation.
 *
 * <pre>{@code
 * .step("charge-card")
 *     .action(Receipt.class, ctx -> payments.charge(ctx.idempotencyKey(), ctx.data().total()))
 *     .compensation(ctx -> payments.refund(ctx.idempotencyKey(), ctx.output("charge-card", Receipt.class)))
 * }</pre>
 *
 * @param <D> the saga data type
 */
public interface StepContext<D> {

    /** The saga instance's id. */
    String sagaId();

    /** The id of the step this action or compensation belongs to. */
    String stepId();

    /** {@code sagaId() + "/" + stepId()}: stable across attempts, recoveries and the compensation. */
    String idempotencyKey();

    /** Whether this is the step's compensation rather than its action. */
    boolean compensating();

    /**
     * Why the saga is compensating, seen by a compensation: the step that failed (with its exception's type and
     * message), or the saga timeout or cancellation. The same on every node and after a recovery, since it is read
     * from the saga's history. Empty for an action.
     *
     * <pre>{@code
     * .compensation(ctx -> orders.cancel(ctx.data().orderId(),
     *         ctx.compensationReason().map(SagaFailure::description).orElse("cancelled")))
     * }</pre>
     */
    java.util.Optional<SagaFailure> compensationReason();

    /** The saga data as the previous steps left it. */
    D data();

    /**
     * Replaces the saga data; the new data is recorded with this step's completion and seen by the steps
     * after it. Ignored if this attempt fails.
     *
     * @throws IllegalStateException if the step runs in a parallel group, where branches would race
     */
    void replaceData(D data);

    /**
     * The output of a completed step, read back as the type that step declared.
     *
     * @throws IllegalArgumentException if there is no such step, or it declares no output or another type
     * @throws IllegalStateException if the step has not completed
     */
    <O> O output(String stepId, Class<O> type);
}
