package dev.bulwark.resilience;

import java.util.function.Consumer;

/**
 * Lets at most {@code limitForPeriod} calls start in each {@code limitRefreshPeriod}, to stay within a
 * dependency's quota or to spread load.
 *
 * <p>Periods follow each other from the moment the limiter is built, each with a fresh set of permits; a
 * call takes one permit of the current period. When they are all taken, a call may reserve a permit of a
 * later period if that period begins within the configured {@code timeout}, and then waits for it: a
 * synchronous caller sleeps on the config's {@link Clock} (so a {@link ManualClock} makes tests instant), an
 * asynchronous call is started by the config's {@link Scheduler}. A call that would have to wait longer is
 * refused at once with a {@link RateLimitExceededException} (or, from {@code attempt}, an
 * {@link Outcome.Rejected}); so is a call inside a {@link Timeout} whose wait would end past the timeout's
 * {@link Deadline}. A reserved permit is spent even if its caller gives up waiting (it is interrupted, or
 * cancels the returned stage).
 *
 * <p>No period ever hands out more than {@code limitForPeriod} permits, however many threads ask at once:
 * the limiter's whole state is one 64-bit word, changed only by compare-and-set.
 *
 * <pre>{@code
 * RateLimiter limiter = RateLimiter.of("search-api", RateLimiterConfig.builder()
 *         .limitForPeriod(100)
 *         .limitRefreshPeriod(Duration.ofSeconds(1))
 *         .build());
 * List<Hit> hits = limiter.call(() -> search.query(text));
 * }</pre>
 *
 * <p>Thread-safe. The success path takes no lock and allocates nothing.
 */
public interface RateLimiter extends Policy {

    /**
     * A rate limiter with the given name and settings. Its first period begins now.
     *
     * @throws IllegalArgumentException if the name is blank
     */
    static RateLimiter of(String name, RateLimiterConfig config) {
        return new DefaultRateLimiter(name, config);
    }

    /** A rate limiter with the {@linkplain RateLimiterConfig#defaults() default settings}. */
    static RateLimiter ofDefaults(String name) {
        return of(name, RateLimiterConfig.defaults());
    }

    /** The settings this limiter was built with. */
    RateLimiterConfig config();

    /** How many permits of the current period can still be taken without waiting. */
    int availablePermits();

    /** How many permitted calls are waiting for their period to begin. */
    int waitingCalls();

    /** How many calls got a permit since the limiter was built. */
    long permittedCalls();

    /** How many calls were refused since the limiter was built. */
    long rejectedCalls();

    /** Registers a listener for this limiter's {@linkplain RateLimiterEvent events}. */
    void onEvent(Consumer<? super RateLimiterEvent> listener);

    /** Removes a listener registered with {@link #onEvent}; returns whether it was registered. */
    boolean removeListener(Consumer<? super RateLimiterEvent> listener);
}
