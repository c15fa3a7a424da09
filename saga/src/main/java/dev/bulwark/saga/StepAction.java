package dev.bulwark.saga;

/**
 * A step's action or compensation that returns nothing. It may replace the saga data with
 * {@link StepContext#replaceData}.
 *
 * <pre>{@code
 * StepAction<Order> release = ctx -> stock.release(ctx.idempotencyKey());
 * }</pre>
 *
 * @param <D> the saga data type
 */
@FunctionalInterface
public interface StepAction<D> {

    /**
     * Does the work. Throwing fails this attempt; the step's policy decides whether to try again.
     *
     * @throws Exception anything: the step failed
     */
    void execute(StepContext<D> context) throws Exception;
}
