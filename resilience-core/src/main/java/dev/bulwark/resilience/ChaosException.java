package dev.bulwark.resilience;

import java.util.Objects;

/**
 * The failure a {@link Chaos} policy injects when its config names no other
 * ({@link ChaosConfig#DEFAULT_FAULT}). Its message names the policy, as in
 * {@code "chaos 'payments' injected a fault"}, so an injected failure is never mistaken for a real one.
 *
 * <p>Each chaos policy throws one preallocated instance, without a stack trace.
 */
public final class ChaosException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String policyName;

    ChaosException(String policyName) {
        super("chaos '" + policyName + "' injected a fault", null, false, false);
        this.policyName = Objects.requireNonNull(policyName, "policyName");
    }

    /** The name of the chaos policy that injected the fault. */
    public String policyName() {
        return policyName;
    }
}
