package dev.bulwark.saga;

/** Where a {@link StepBuilder} adds its sibling steps: the saga itself, or a parallel group. */
interface StepOwner<D> {

    /** Adds a new step after the current one and returns its builder. */
    StepBuilder<D> add(String id, StepKind kind);

    /**
     * The saga builder, for the operations only the top level has.
     *
     * @throws IllegalStateException inside a parallel group; {@code operation} names what was attempted
     */
    SagaBuilder<D> saga(String operation);
}
