package dev.bulwark.saga;

import dev.bulwark.resilience.Policy;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Configures one step; its {@code step}, {@code pivot}, {@code retriable}, {@code parallel} and
 * {@code build} methods end it and carry on with the saga (see {@link Saga} for an example).
 *
 * <p>Each setting may be given once; a second call fails at once. Rules about the shape of the whole saga
 * (a compensation after the pivot, for instance) are checked by {@link SagaBuilder#build()}.
 *
 * @param <D> the saga data type
 */
public final class StepBuilder<D> {
    private final StepOwner<D> owner;
    final String id;
    final StepKind kind;
    StepFunction<D, ?> action;
    Class<?> outputType;
    StepAction<D> compensation;
    Policy policy;
    Policy compensationPolicy;
    Duration timeout;
    boolean compensateOnFailure;

    StepBuilder(StepOwner<D> owner, String id, StepKind kind) {
        this.owner = owner;
        this.id = Ids.check("step id", id);
        this.kind = kind;
    }

    /** The step's action, which returns no output. */
    public StepBuilder<D> action(StepAction<D> action) {
        Objects.requireNonNull(action, "action");
        requireUnset(this.action, "action");
        this.action = context -> {
            action.execute(context);
            return null;
        };
        return this;
    }

    /**
     * The step's action, whose output is stored and read back by later steps (and this step's compensation)
     * as {@code outputType}.
     */
    public <O> StepBuilder<D> action(Class<O> outputType, StepFunction<D, O> action) {
        Objects.requireNonNull(outputType, "outputType");
        Objects.requireNonNull(action, "action");
        requireUnset(this.action, "action");
        this.outputType = outputType;
        this.action = action;
        return this;
    }

    /** Undoes the action if a later step fails, the saga times out or is cancelled. Not allowed from the pivot on. */
    public StepBuilder<D> compensation(StepAction<D> compensation) {
        Objects.requireNonNull(compensation, "compensation");
        requireUnset(this.compensation, "compensation");
        this.compensation = compensation;
        return this;
    }

    /**
     * Counts a failure of the action as "failed, effect unknown": when the action threw (after its policy gave up),
     * the step is recorded {@link StepRecord.Outcome#UNCERTAIN} and compensated with the completed steps, with the
     * same idempotency key; its compensation must therefore cope with an action that never took effect, or that
     * arrives after it (undo nothing, and bar the key). Use it for a remote call whose failure can hide an effect:
     * a lost response, or a call that a {@code Timeout} in the step's policy cut off while the service was still
     * working on it.
     *
     * <pre>{@code
     * .step("charge")
     *     .action(Charge.class, ctx -> payments.charge(ctx.idempotencyKey(), ctx.data().total()))
     *     .compensation(ctx -> payments.refund(ctx.idempotencyKey()))  // refunds, or bars the key
     *     .policy(retryBreakerTimeout)
     *     .compensateOnFailure()
     * }</pre>
     *
     * <p>A step whose action was never called (its policy rejected every attempt: an open breaker, a full
     * bulkhead) failed cleanly and is not compensated. Without this setting a failure still counts as uncertain
     * when its cause chain holds a {@link StepOutcomeUnknownException}, a {@code TimeoutExceededException} or an
     * {@link InterruptedException}, when a run of the action was interrupted, or when a run returned and the step
     * failed all the same (a {@code Timeout} that replaced a late result); for those a step's compensation runs
     * too. Only a step with a compensation may set it; {@link SagaBuilder#build()} checks.
     */
    public StepBuilder<D> compensateOnFailure() {
        if (compensateOnFailure) {
            throw new IllegalStateException("compensateOnFailure of step '" + id + "' was already set");
        }
        compensateOnFailure = true;
        return this;
    }

    /**
     * Wraps every run of the action in a resilience policy: a {@code Retry}, a {@code CircuitBreaker} or a
     * {@code Pipeline} of them. The step fails when the policy gives up or rejects the call.
     */
    public StepBuilder<D> policy(Policy policy) {
        Objects.requireNonNull(policy, "policy");
        requireUnset(this.policy, "policy");
        this.policy = policy;
        return this;
    }

    /** Wraps every run of the compensation in a resilience policy; when it gives up, the saga is parked FAILED. */
    public StepBuilder<D> compensationPolicy(Policy policy) {
        Objects.requireNonNull(policy, "policy");
        requireUnset(this.compensationPolicy, "compensationPolicy");
        this.compensationPolicy = policy;
        return this;
    }

    /**
     * Limits the action (including its policy's retries), and separately the compensation, to this long. A
     * step that timed out may have taken effect, so it is compensated along with the completed steps.
     *
     * @throws IllegalArgumentException if the duration is zero or negative
     */
    public StepBuilder<D> timeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        requireUnset(this.timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout of step '" + id + "' must be positive, was " + timeout);
        }
        this.timeout = timeout;
        return this;
    }

    /** Ends this step and adds a compensatable step after it. */
    public StepBuilder<D> step(String id) {
        return owner.add(id, StepKind.COMPENSATABLE);
    }

    /** Ends this step and adds the pivot, the point of no return. */
    public StepBuilder<D> pivot(String id) {
        return owner.add(id, StepKind.PIVOT);
    }

    /** Ends this step and adds a retriable step, which must come after the pivot. */
    public StepBuilder<D> retriable(String id) {
        return owner.add(id, StepKind.RETRIABLE);
    }

    /**
     * Ends this step and adds a group of steps that run at once.
     *
     * @throws IllegalStateException inside a parallel group: groups do not nest
     */
    public SagaBuilder<D> parallel(Consumer<ParallelBuilder<D>> group) {
        return owner.saga("parallel()").parallel(group);
    }

    /**
     * Ends this step and builds the definition; see {@link SagaBuilder#build()}.
     *
     * @throws IllegalStateException inside a parallel group, or if the saga's shape is invalid
     */
    public SagaDefinition<D> build() {
        return owner.saga("build()").build();
    }

    private void requireUnset(Object current, String setting) {
        if (current != null) {
            throw new IllegalStateException(setting + " of step '" + id + "' was already set");
        }
    }
}
