package dev.bulwark.resilience;

import java.util.function.Consumer;

/**
 * Bounds how long a call may take, and sets a {@link Deadline} that the policies inside it respect.
 *
 * <ul>
 *   <li>Asynchronous calls: when the time is up, the returned stage completes exceptionally with
 *       {@link java.util.concurrent.TimeoutException} and the stage of the call is cancelled.
 *   <li>Synchronous calls with an executor in the config: the call runs on the executor and the caller waits;
 *       when the time is up the caller gets a {@link TimeoutExceededException} at once and the thread
 *       running the call is interrupted.
 *   <li>Synchronous calls without an executor: the call runs on the caller's thread and is not interrupted;
 *       when it returns late, its result (or failure) is replaced by a {@link TimeoutExceededException}.
 * </ul>
 *
 * <pre>{@code
 * Timeout timeout = Timeout.of("pricing", TimeoutConfig.builder().timeout(Duration.ofMillis(500)).build());
 * CompletionStage<Price> price = timeout.callAsync(() -> pricing.priceAsync(sku));
 * }</pre>
 *
 * <p>Thread-safe. A synchronous call on the caller's thread allocates nothing on the success path.
 */
public interface Timeout extends Policy {

    /** A timeout with the given settings. */
    static Timeout of(String name, TimeoutConfig config) {
        return new DefaultTimeout(name, config);
    }

    /** A timeout with {@link TimeoutConfig#defaults()}. */
    static Timeout ofDefaults(String name) {
        return of(name, TimeoutConfig.defaults());
    }

    /** The settings of this timeout. */
    TimeoutConfig config();

    /** Counts since this timeout was created. */
    Metrics metrics();

    /** Registers a listener for this timeout's events. */
    void onEvent(Consumer<? super TimeoutEvent> listener);

    /** Removes a listener; returns whether it was registered. */
    boolean removeListener(Consumer<? super TimeoutEvent> listener);

    /**
     * Calls by how they ended.
     *
     * @param successful calls that returned in time
     * @param failed calls that failed in time
     * @param timedOut calls that did not finish in time
     */
    record Metrics(long successful, long failed, long timedOut) {}
}
