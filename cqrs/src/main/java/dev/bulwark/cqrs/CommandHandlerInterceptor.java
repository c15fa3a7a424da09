package dev.bulwark.cqrs;

/**
 * Wraps the handling of every command, on the handling thread: the place for logging, metrics, transactions,
 * security checks. An interceptor calls {@link Chain#proceed()} to run the rest of the chain (the next interceptors,
 * then the handler) and returns its result, or returns or throws without proceeding.
 *
 * <pre>{@code
 * CommandHandlerInterceptor timing = (message, chain) -> {
 *     long start = System.nanoTime();
 *     try {
 *         return chain.proceed();
 *     } finally {
 *         log.debug("{} took {} ns", message.command(), System.nanoTime() - start);
 *     }
 * };
 * }</pre>
 */
@FunctionalInterface
public interface CommandHandlerInterceptor {

    /** Handles {@code message}, usually by proceeding along {@code chain}. */
    Object intercept(CommandMessage<?> message, Chain chain) throws Exception;

    /** The rest of the chain: the interceptors after this one, then the handler. */
    @FunctionalInterface
    interface Chain {
        /** Runs the rest of the chain and returns the handler's result. */
        Object proceed() throws Exception;
    }
}
