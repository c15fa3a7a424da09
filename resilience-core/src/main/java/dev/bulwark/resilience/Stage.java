package dev.bulwark.resilience;

import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * A policy as one layer of a pipeline. Every policy implementation implements this beside its public
 * interface; its public {@code call} and {@code callAsync} are the stage methods with {@link Invoker#DIRECT}
 * as {@code inner}. A pipeline links stages outermost first, so {@code Pipeline.of(retry, breaker)} runs
 * {@code retry.call(inner = breaker-then-call, supplier)}.
 *
 * <p>Contract: a stage calls {@code inner} zero or more times (zero when it rejects, more than once when it
 * retries or hedges), passes {@code supplier} through unchanged, and reports a refusal by throwing (sync) or
 * completing with (async) a {@link RejectedException}.
 */
interface Stage {

    /** Runs {@code inner} with {@code supplier} under this policy; see {@link Policy#call(Supplier)}. */
    <T> T call(Invoker inner, Supplier<? extends T> supplier);

    /** Runs {@code inner} asynchronously under this policy; see {@link Policy#callAsync(Supplier)}. */
    <T> CompletionStage<T> callAsync(Invoker inner, Supplier<? extends CompletionStage<T>> supplier);
}
