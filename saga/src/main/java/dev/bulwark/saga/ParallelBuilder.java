package dev.bulwark.saga;

import java.util.ArrayList;
import java.util.List;

/**
 * The steps of a parallel group, which run at once. If one fails, the others are allowed to finish and
 * then only the branches that completed are compensated. Branches may not replace the saga data (they
 * would race); they return outputs instead.
 *
 * <pre>{@code
 * .parallel(group -> group
 *     .step("book-hotel").action(ctx -> hotels.book(ctx.idempotencyKey())).compensation(ctx -> hotels.cancel(ctx.idempotencyKey()))
 *     .step("book-flight").action(ctx -> flights.book(ctx.idempotencyKey())).compensation(ctx -> flights.cancel(ctx.idempotencyKey())))
 * }</pre>
 *
 * @param <D> the saga data type
 */
public final class ParallelBuilder<D> {
    final List<StepBuilder<D>> steps = new ArrayList<>();
    private final StepOwner<D> owner = new StepOwner<>() {
        @Override
        public StepBuilder<D> add(String id, StepKind kind) {
            StepBuilder<D> step = new StepBuilder<>(this, id, kind);
            steps.add(step);
            return step;
        }

        @Override
        public SagaBuilder<D> saga(String operation) {
            throw new IllegalStateException(operation + " is not available inside a parallel group: groups do not nest, "
                    + "and the saga is built after the group");
        }
    };

    ParallelBuilder() {}

    /** Adds a compensatable branch. */
    public StepBuilder<D> step(String id) {
        return owner.add(id, StepKind.COMPENSATABLE);
    }

    /** Adds a retriable branch (a group after the pivot). */
    public StepBuilder<D> retriable(String id) {
        return owner.add(id, StepKind.RETRIABLE);
    }

}
