package dev.bulwark.resilience;

import java.util.Objects;

/**
 * A circuit breaker's numbers at one moment: what its current window holds, and how many calls of each kind
 * it has seen since it was built. Window counts belong to the state's own window: in CLOSED and
 * METRICS_ONLY the sliding window, in HALF_OPEN the probes' outcomes, in OPEN the window that opened the
 * breaker; DISABLED and FORCED_OPEN have none (zero).
 *
 * <p>The call counters are exclusive: every call is counted in exactly one of them.
 *
 * <pre>{@code
 * CircuitBreakerSnapshot numbers = breaker.snapshot();
 * if (numbers.failureRate() >= 0) {
 *     System.out.printf("%s: %.1f%% of %d calls failed%n", numbers.state(), numbers.failureRate(), numbers.windowCalls());
 * }
 * }</pre>
 *
 * @param state the state of the breaker
 * @param failureRate the percentage of failed calls in the window, or -1 while the window holds fewer than
 *     the minimum number of calls the state evaluates
 * @param slowCallRate the percentage of slow calls in the window, or -1 likewise
 * @param windowCalls the outcomes in the window
 * @param windowFailedCalls the failed outcomes in the window
 * @param windowSlowCalls the slow outcomes (failed or not) in the window
 * @param successfulCalls calls that succeeded within the slow-call threshold
 * @param slowSuccessfulCalls calls that succeeded but were slow
 * @param failedCalls calls that failed within the slow-call threshold
 * @param slowFailedCalls calls that failed and were slow
 * @param ignoredCalls calls whose error was ignored (and cancelled asynchronous calls)
 * @param notPermittedCalls calls that were refused
 */
public record CircuitBreakerSnapshot(
        CircuitBreaker.State state,
        double failureRate,
        double slowCallRate,
        long windowCalls,
        long windowFailedCalls,
        long windowSlowCalls,
        long successfulCalls,
        long slowSuccessfulCalls,
        long failedCalls,
        long slowFailedCalls,
        long ignoredCalls,
        long notPermittedCalls) {

    public CircuitBreakerSnapshot {
        Objects.requireNonNull(state, "state");
    }
}
