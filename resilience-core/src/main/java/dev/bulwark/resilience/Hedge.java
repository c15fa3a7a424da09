package dev.bulwark.resilience;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * Starts another attempt when a call has not answered after a delay, and takes whichever answers first:
 * the first success wins and the other attempts are cancelled (interrupted, for synchronous attempts). At
 * most {@code maxHedges} extra attempts start, one per delay, each drawing on the {@link RetryBudget} if
 * one is configured. When every attempt started has failed, the call fails with the last failure: a hedge
 * does not retry failures, a {@link Retry} does.
 *
 * <pre>{@code
 * Hedge hedge = Hedge.of("search", HedgeConfig.builder()
 *         .delay(HedgeDelay.percentile(95.0, Duration.ofMillis(40)))
 *         .build());
 * CompletionStage<Results> results = hedge.callAsync(() -> search.queryAsync(terms));
 * }</pre>
 *
 * <p>Hedging is for idempotent reads. Asynchronous calls are the main form; synchronous calls run every
 * attempt on the config's executor (and are refused without one) while the caller waits.
 *
 * <p>Thread-safe.
 */
public interface Hedge extends Policy {

    /** A hedge with the given settings. */
    static Hedge of(String name, HedgeConfig config) {
        return new DefaultHedge(name, config);
    }

    /** A hedge with {@link HedgeConfig#defaults()}. */
    static Hedge ofDefaults(String name) {
        return of(name, HedgeConfig.defaults());
    }

    /** The settings of this hedge. */
    HedgeConfig config();

    /** The delay a call starting now would wait before its first hedge. */
    Duration currentDelay();

    /** Counts since this hedge was created. */
    Metrics metrics();

    /** Registers a listener for this hedge's events. */
    void onEvent(Consumer<? super HedgeEvent> listener);

    /** Removes a listener; returns whether it was registered. */
    boolean removeListener(Consumer<? super HedgeEvent> listener);

    /**
     * What the hedge has done so far.
     *
     * @param primaryWon calls whose first attempt answered first
     * @param hedgeWon calls won by an extra attempt
     * @param failed calls that failed (every attempt started failed)
     * @param hedgesStarted extra attempts started
     * @param budgetExhausted extra attempts the retry budget refused
     */
    record Metrics(long primaryWon, long hedgeWon, long failed, long hedgesStarted, long budgetExhausted) {}
}
