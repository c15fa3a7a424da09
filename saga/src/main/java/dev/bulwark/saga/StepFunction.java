package dev.bulwark.saga;

/**
 * A step's action that returns an output. The output is stored with the step (as JSON) and later steps
 * read it back, as the type the step declared, with {@link StepContext#output(String, Class)}.
 *
 * <pre>{@code
 * StepFunction<Order, Receipt> charge = ctx -> payments.charge(ctx.idempotencyKey(), ctx.data().total());
 * }</pre>
 *
 * @param <D> the saga data type
 * @param <O> the output type
 */
@FunctionalInterface
public interface StepFunction<D, O> {

    /**
     * Does the work and returns the step's output (which may be {@code null}).
     *
     * @throws Exception anything: the step failed
     */
    O apply(StepContext<D> context) throws Exception;
}
