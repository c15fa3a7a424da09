package dev.bulwark.resilience;

import java.util.function.Consumer;

/**
 * Stops calling a dependency that keeps failing, so that its callers fail fast instead of piling up behind
 * it, and lets a few probe calls through now and then to find out whether it has recovered.
 *
 * <p>The breaker keeps the outcomes of recent calls in a sliding window (the last N calls, or the calls of
 * the last N seconds). Once the window holds at least {@code minimumNumberOfCalls} outcomes and the share of
 * failed calls, or of slow calls, reaches its threshold, the breaker <em>opens</em>: it rejects calls without
 * running them. After a wait (fixed, or growing with each failed round of probes) it turns <em>half-open</em>
 * and admits exactly {@code permittedNumberOfCallsInHalfOpenState} probe calls; their outcomes decide whether
 * it closes again or reopens.
 *
 * <pre>{@code
 * CircuitBreaker breaker = CircuitBreaker.of("payments", CircuitBreakerConfig.builder()
 *         .failureRateThreshold(25)
 *         .slidingWindow(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED, 50)
 *         .build());
 * Supplier<String> protectedCall = breaker.decorate(() -> "charged");
 * Outcome<String> outcome = breaker.attempt(() -> "charged"); // a rejection here costs no exception
 * }</pre>
 *
 * <h2>States</h2>
 * {@link State#CLOSED}, {@link State#OPEN} and {@link State#HALF_OPEN} follow from the calls' outcomes;
 * {@link State#FORCED_OPEN}, {@link State#DISABLED} and {@link State#METRICS_ONLY} are entered and left only
 * by the manual transitions. Time-driven transitions (OPEN to HALF_OPEN once the wait is over, HALF_OPEN back to
 * OPEN when no probe outcome arrives in time) happen at the first call that asks for permission afterwards:
 * the breaker runs no thread of its own, so {@link #state()} may still say OPEN after the wait has elapsed.
 *
 * <h2>Which outcomes count</h2>
 * A thrown exception for which {@link CircuitBreakerConfig#ignoreException()} holds is ignored: not
 * recorded, and its permit returned. Otherwise, if {@link CircuitBreakerConfig#recordException()} holds it
 * is a failure; an exception that is neither recorded nor ignored counts as a success (the call reached
 * the dependency, which answered). A returned value for which {@link CircuitBreakerConfig#recordResult()}
 * holds is a failure, although the value is still returned to the caller. A call that took longer than
 * {@link CircuitBreakerConfig#slowCallDurationThreshold()} is also slow.
 *
 * <h2>Permit API</h2>
 * Clients that time their own calls ask {@link #tryAcquirePermission()} and, when it returns {@code true},
 * report exactly one of {@link #onSuccess(long)}, {@link #onResult(long, Object)},
 * {@link #onError(long, Throwable)} or {@link #releasePermission()}. The outcome is recorded in the state
 * current when it is reported. The call shapes of {@link Policy} instead record into the very state that
 * admitted the call, so a probe that finishes after its half-open round was decided changes nothing.
 *
 * <p>Thread-safe: one instance protects one dependency and is shared by all its callers. Acquiring a
 * permission and recording an outcome take no lock and allocate nothing while the breaker is closed.
 */
public interface CircuitBreaker extends Policy {

    /**
     * A breaker with the given configuration.
     *
     * @param name names the breaker in metrics, logs and rejections; must not be blank
     * @throws IllegalArgumentException if {@code name} is blank
     */
    static CircuitBreaker of(String name, CircuitBreakerConfig config) {
        return new DefaultCircuitBreaker(name, config);
    }

    /** A breaker with {@link CircuitBreakerConfig#defaults()}. */
    static CircuitBreaker ofDefaults(String name) {
        return of(name, CircuitBreakerConfig.defaults());
    }

    /** The states of a breaker. */
    enum State {
        /** Calls run; their outcomes are recorded and may open the breaker. */
        CLOSED,
        /** Calls are rejected until the wait is over; then the breaker turns half-open. */
        OPEN,
        /** A limited number of probe calls run; their outcomes close or reopen the breaker. */
        HALF_OPEN,
        /** Calls are rejected until a manual transition. */
        FORCED_OPEN,
        /** Calls run and nothing is recorded, until a manual transition. */
        DISABLED,
        /** Calls run and are recorded, but the breaker never opens, until a manual transition. */
        METRICS_ONLY
    }

    /** The configuration this breaker was built with. */
    CircuitBreakerConfig config();

    /** The current state; see the class comment on when time-driven transitions happen. */
    State state();

    /** The current window counts and rates, and the outcome counters since the breaker was built. */
    CircuitBreakerSnapshot snapshot();

    /**
     * Asks to run one call. When this returns {@code true}, the caller must report exactly one of
     * {@link #onSuccess(long)}, {@link #onResult(long, Object)}, {@link #onError(long, Throwable)} or
     * {@link #releasePermission()}. A refusal counts as a not-permitted call and emits a
     * {@link CircuitBreakerEvent.CallRejected} event.
     */
    boolean tryAcquirePermission();

    /** Gives back a permission without recording an outcome (in HALF_OPEN it frees a probe slot). */
    void releasePermission();

    /** Records a successful call that took {@code durationNanos}. */
    void onSuccess(long durationNanos);

    /**
     * Records a call that returned {@code result} after {@code durationNanos}; it is a failure when
     * {@link CircuitBreakerConfig#recordResult()} holds for the result, a success otherwise.
     */
    void onResult(long durationNanos, Object result);

    /**
     * Records a call that threw {@code error} after {@code durationNanos}, classified by
     * {@link CircuitBreakerConfig#ignoreException()} and {@link CircuitBreakerConfig#recordException()} (an
     * ignored error releases the permission).
     */
    void onError(long durationNanos, Throwable error);

    /** Closes the breaker with an empty window. Returns whether the state changed. */
    boolean transitionToClosed();

    /** Opens the breaker, which waits and then turns half-open as usual. Returns whether the state changed. */
    boolean transitionToOpen();

    /** Starts a round of probe calls at once. Returns whether the state changed. */
    boolean transitionToHalfOpen();

    /** Rejects every call until the next manual transition. Returns whether the state changed. */
    boolean transitionToForcedOpen();

    /** Lets every call run and records nothing until the next manual transition. Returns whether the state changed. */
    boolean transitionToDisabled();

    /** Records outcomes but never opens, until the next manual transition. Returns whether the state changed. */
    boolean transitionToMetricsOnly();

    /**
     * Closes the breaker with an empty window and forgets past failed probe rounds (so the next wait in OPEN is
     * the initial one), even when it is closed already; always emits a transition event to CLOSED.
     */
    void reset();

    /**
     * Registers a listener for this breaker's events. Listeners run on the thread that caused the event,
     * hold no lock of the breaker, and must be quick; one that throws is logged and skipped. Events are
     * built only while at least one listener is registered. Transition events of concurrent transitions may
     * reach listeners out of order; each names both states.
     */
    void onEvent(Consumer<? super CircuitBreakerEvent> listener);

    /** Removes a listener registered with {@link #onEvent(Consumer)}; returns whether it was registered. */
    boolean removeListener(Consumer<? super CircuitBreakerEvent> listener);
}
