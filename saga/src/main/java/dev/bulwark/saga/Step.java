package dev.bulwark.saga;

import dev.bulwark.resilience.Policy;
import java.time.Duration;

/**
 * One validated step of a definition.
 *
 * @param unit the index of the unit (a single step or a parallel group) the step belongs to
 * @param parallel whether the unit is a parallel group
 * @param outputType the declared output type, or {@code null} when the action returns nothing
 * @param compensation the compensation, or {@code null} when there is nothing to undo
 * @param policy wraps each run of the action, or {@code null}
 * @param compensationPolicy wraps each run of the compensation, or {@code null}
 * @param timeout the limit on the action (with its policy's retries) and on the compensation, or {@code null}
 * @param compensateOnFailure whether a failed action counts as possibly applied
 */
record Step<D>(String id, StepKind kind, int unit, boolean parallel, StepFunction<D, ?> action, Class<?> outputType,
        StepAction<D> compensation, Policy policy, Policy compensationPolicy, Duration timeout,
        boolean compensateOnFailure) {

    boolean compensatable() {
        return compensation != null;
    }

    /** How {@link SagaDefinition#differenceFrom} names the step: its shape, without its behaviour. */
    String shape() {
        return kind.label() + " '" + id + "'" + (parallel ? " in parallel group " + unit : " at position " + unit)
                + (outputType == null ? "" : " with output " + outputType.getName())
                + (compensation == null ? "" : " with a compensation")
                + (compensateOnFailure ? " compensated on failure" : "")
                + (timeout == null ? "" : " with timeout " + timeout);
    }
}
