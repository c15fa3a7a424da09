package dev.bulwark.resilience;

import java.util.Objects;

/**
 * Thrown (or returned in an {@link Outcome.Rejected}) when a {@link CircuitBreaker} refuses a call: it is
 * OPEN, FORCED_OPEN, or HALF_OPEN with all its probe calls in flight. The call was never started.
 *
 * <p>Like every {@link RejectedException} it has no stack trace; a breaker throws the same instance for
 * every rejection in a given state, so rejecting costs no allocation.
 *
 * <pre>{@code
 * try {
 *     breaker.call(() -> "charged");
 * } catch (CallNotPermittedException e) {
 *     log.info("{} is {}", e.policyName(), e.state());
 * }
 * }</pre>
 */
public final class CallNotPermittedException extends RejectedException {
    private static final long serialVersionUID = 1L;

    private final CircuitBreaker.State state;

    /**
     * @param breakerName the breaker that refused the call
     * @param state the state it refused the call in
     * @param reason why that state refuses calls, completing "circuit breaker 'name' is STATE and ..."
     */
    CallNotPermittedException(String breakerName, CircuitBreaker.State state, String reason) {
        super(breakerName, "circuit breaker '" + breakerName + "' is " + Objects.requireNonNull(state, "state")
                + " and " + Objects.requireNonNull(reason, "reason"));
        this.state = state;
    }

    /** The state the breaker was in when it refused the call. */
    public CircuitBreaker.State state() {
        return state;
    }
}
