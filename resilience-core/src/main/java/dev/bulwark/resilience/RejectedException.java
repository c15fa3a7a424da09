package dev.bulwark.resilience;

import java.util.Objects;

/**
 * Thrown when a policy refuses to run a call at all: a circuit breaker that is open, a full bulkhead,
 * an exhausted rate limit. The call was never started, so it is always safe to try elsewhere.
 *
 * <p>Rejections are expected under load, so they carry no stack trace and cost little to create; a
 * policy may even throw the same instance each time. In the non-throwing call form they arrive as
 * {@link Outcome.Rejected} instead.
 */
public abstract class RejectedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String policyName;

    /**
     * @param policyName the name of the policy instance that rejected the call
     * @param message what was refused and why, naming the policy and its state
     */
    protected RejectedException(String policyName, String message) {
        super(message, null, false, false);
        this.policyName = Objects.requireNonNull(policyName, "policyName");
    }

    /** The name of the policy instance that rejected the call. */
    public String policyName() {
        return policyName;
    }
}
