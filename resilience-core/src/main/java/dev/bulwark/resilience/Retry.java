package dev.bulwark.resilience;

import java.util.function.Consumer;

/**
 * Calls again when a call fails, after a backoff, until it succeeds or the retry gives up: after
 * {@code maxAttempts}, past {@code maxDuration}, when the next attempt would start after the deadline of an
 * enclosing {@link Timeout}, on an {@code abortOn} failure, or when the shared {@link RetryBudget} is spent.
 * When it gives up, the call ends with the last attempt's failure (or result), unchanged.
 *
 * <pre>{@code
 * Retry retry = Retry.of("inventory", RetryConfig.builder()
 *         .maxAttempts(3)
 *         .backoff(RetryBackoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofSeconds(2)))
 *         .build());
 * Stock stock = retry.call(() -> inventory.stock(sku));
 * }</pre>
 *
 * <p>Synchronous calls sleep the backoff on the calling thread through the config's {@link Clock} (a
 * parked virtual thread frees its carrier); asynchronous calls wait on the config's {@link Scheduler} and
 * cancelling the returned future stops the retries and cancels the attempt in flight. A call that succeeds
 * at once allocates nothing.
 *
 * <p>Thread-safe: one instance serves every caller of one dependency.
 */
public interface Retry extends Policy {

    /** A retry with the given settings. */
    static Retry of(String name, RetryConfig config) {
        return new DefaultRetry(name, config);
    }

    /** A retry with {@link RetryConfig#defaults()}. */
    static Retry ofDefaults(String name) {
        return of(name, RetryConfig.defaults());
    }

    /** The settings of this retry. */
    RetryConfig config();

    /** Counts since this retry was created. */
    Metrics metrics();

    /** Registers a listener for this retry's events. */
    void onEvent(Consumer<? super RetryEvent> listener);

    /** Removes a listener; returns whether it was registered. */
    boolean removeListener(Consumer<? super RetryEvent> listener);

    /**
     * What a retry has done so far. Every call ends in exactly one of the four call counts.
     *
     * @param successfulWithoutRetry calls that succeeded at the first attempt
     * @param successfulWithRetry calls that succeeded after one or more retries
     * @param failedWithoutRetry calls that failed without a retry (not retryable, or a budget/limit allowed none)
     * @param failedWithRetry calls that failed after one or more retries
     * @param retries retries made, over all calls
     * @param budgetExhausted retries the {@link RetryBudget} refused
     */
    record Metrics(long successfulWithoutRetry, long successfulWithRetry, long failedWithoutRetry,
            long failedWithRetry, long retries, long budgetExhausted) {}
}
