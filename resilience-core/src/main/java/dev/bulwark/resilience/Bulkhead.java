package dev.bulwark.resilience;

import java.util.function.Consumer;

/**
 * Limits how many calls to one dependency run at the same time, so that a slow dependency ties up at most
 * {@code maxConcurrentCalls} of the caller's threads (or connections, or memory).
 *
 * <p>A call takes a permit before it starts and gives it back when it ends, whatever the ending: a value,
 * an exception, or, for asynchronous calls, the completion or cancellation of the returned stage. When no
 * permit is free, the call waits up to the configured {@code maxWait} and is then refused with a
 * {@link BulkheadFullException}; with {@code maxWait} zero (the default) it is refused at once. Inside a
 * {@link Timeout}, a call never waits past the timeout's {@link Deadline}.
 *
 * <ul>
 *   <li>A synchronous caller waits by parking its own thread (no {@code synchronized}, so virtual threads
 *       unmount while they wait). Waiting callers get permits in arrival order; a caller that arrives while
 *       others wait queues behind them.
 *   <li>An asynchronous caller never blocks a thread: with {@code maxWait} zero it gets a failed stage at once;
 *       otherwise it is queued, and its call is started on the config's {@link Scheduler} when a permit
 *       comes free, or its stage fails when {@code maxWait} passes. Cancelling the returned stage cancels the
 *       call (or removes it from the queue) and gives its permit back at once.
 * </ul>
 *
 * <pre>{@code
 * Bulkhead bulkhead = Bulkhead.of("payments", BulkheadConfig.builder()
 *         .maxConcurrentCalls(10)
 *         .maxWait(Duration.ofMillis(50))
 *         .build());
 * Receipt receipt = bulkhead.call(() -> payments.charge(order));
 * }</pre>
 *
 * <p>Thread-safe. The success path takes no lock and allocates nothing.
 */
public interface Bulkhead extends Policy {

    /**
     * A bulkhead with the given name and settings.
     *
     * @throws IllegalArgumentException if the name is blank
     */
    static Bulkhead of(String name, BulkheadConfig config) {
        return new DefaultBulkhead(name, config);
    }

    /** A bulkhead with the {@linkplain BulkheadConfig#defaults() default settings}. */
    static Bulkhead ofDefaults(String name) {
        return of(name, BulkheadConfig.defaults());
    }

    /** The settings this bulkhead was built with. */
    BulkheadConfig config();

    /** How many permits are free right now (between 0 and {@code maxConcurrentCalls}). */
    int availablePermits();

    /** How many calls are queued for a permit right now. */
    int waitingCalls();

    /** How many calls got a permit since the bulkhead was built. */
    long permittedCalls();

    /** How many calls were refused since the bulkhead was built. */
    long rejectedCalls();

    /** Registers a listener for this bulkhead's {@linkplain BulkheadEvent events}. */
    void onEvent(Consumer<? super BulkheadEvent> listener);

    /** Removes a listener registered with {@link #onEvent}; returns whether it was registered. */
    boolean removeListener(Consumer<? super BulkheadEvent> listener);
}
