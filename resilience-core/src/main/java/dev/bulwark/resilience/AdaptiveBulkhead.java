package dev.bulwark.resilience;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * A bulkhead whose limit finds itself: it measures the latency of the calls it lets through and moves the
 * number of calls allowed in flight up while latency stays near its no-load minimum, and down when latency
 * grows (calls are queueing at the dependency) or calls time out. The algorithm is in the style of TCP
 * Vegas, as in Netflix's concurrency-limits; {@link AdaptiveBulkheadConfig} describes it and its settings.
 *
 * <p>A call over the limit is refused at once with an {@link AdaptiveBulkheadFullException} (from
 * {@code attempt}, an {@link Outcome.Rejected}); it does not wait, because time spent queueing in front of
 * the bulkhead is latency the algorithm cannot see. Asynchronous calls hold their place until the returned
 * stage completes; cancelling the stage frees it at once. A call's latency counts when it returns a value;
 * a failure that the config's {@code dropOn} accepts (by default a timeout) counts as a drop; other failures
 * and cancellations do not count.
 *
 * <pre>{@code
 * AdaptiveBulkhead bulkhead = AdaptiveBulkhead.of("search", AdaptiveBulkheadConfig.builder()
 *         .initialLimit(20)
 *         .maxLimit(500)
 *         .build());
 * Results results = bulkhead.call(() -> search.query(text));
 * int limitNow = bulkhead.limit();
 * }</pre>
 *
 * <p>Thread-safe. The success path takes no lock; it reads the clock twice and allocates nothing, except a
 * small object once a window.
 */
public interface AdaptiveBulkhead extends Policy {

    /**
     * An adaptive bulkhead with the given name and settings.
     *
     * @throws IllegalArgumentException if the name is blank
     */
    static AdaptiveBulkhead of(String name, AdaptiveBulkheadConfig config) {
        return new DefaultAdaptiveBulkhead(name, config);
    }

    /** An adaptive bulkhead with the {@linkplain AdaptiveBulkheadConfig#defaults() default settings}. */
    static AdaptiveBulkhead ofDefaults(String name) {
        return of(name, AdaptiveBulkheadConfig.defaults());
    }

    /** The settings this bulkhead was built with. */
    AdaptiveBulkheadConfig config();

    /** The current limit of calls in flight. */
    int limit();

    /** How many calls are in flight right now. */
    int inFlight();

    /** The no-load latency the limit is judged against; {@link Duration#ZERO} until it has been measured. */
    Duration noLoadLatency();

    /** How many calls were let through since the bulkhead was built. */
    long permittedCalls();

    /** How many calls were refused since the bulkhead was built. */
    long rejectedCalls();

    /** Registers a listener for this bulkhead's {@linkplain AdaptiveBulkheadEvent events}. */
    void onEvent(Consumer<? super AdaptiveBulkheadEvent> listener);

    /** Removes a listener registered with {@link #onEvent}; returns whether it was registered. */
    boolean removeListener(Consumer<? super AdaptiveBulkheadEvent> listener);
}
