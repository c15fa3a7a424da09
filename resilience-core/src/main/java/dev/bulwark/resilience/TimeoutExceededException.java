package dev.bulwark.resilience;

import java.time.Duration;
import java.util.Objects;

/**
 * Thrown by a synchronous call through a {@link Timeout} that did not finish in time. (Asynchronous calls
 * complete exceptionally with {@link java.util.concurrent.TimeoutException} instead, as futures do.)
 *
 * <p>Unlike a {@link RejectedException}, the call did start: it may have had an effect. Carries no stack
 * trace, since where the timer fired says nothing.
 */
public final class TimeoutExceededException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String policyName;
    private final transient Duration timeout;

    TimeoutExceededException(String policyName, Duration timeout, Throwable lateFailure) {
        super("timeout '" + policyName + "' exceeded after " + timeout, lateFailure, false, false);
        this.policyName = Objects.requireNonNull(policyName, "policyName");
        this.timeout = timeout;
    }

    /** The name of the timeout that fired. */
    public String policyName() {
        return policyName;
    }

    /** The time the call was allowed. */
    public Duration timeout() {
        return timeout;
    }
}
