package dev.bulwark.resilience;

import java.time.Duration;

/**
 * A {@link Bulkhead} refused a call because all its permits were taken and none came free within its
 * {@code maxWait}. The message names the bulkhead and its limits, as in
 * {@code "bulkhead 'payments' is full (maxConcurrentCalls=10, maxWait=PT0.05S)"}.
 *
 * <p>Each bulkhead throws one preallocated instance, without a stack trace.
 */
public final class BulkheadFullException extends RejectedException {
    private static final long serialVersionUID = 1L;

    private final int maxConcurrentCalls;
    private final Duration maxWait;

    BulkheadFullException(String bulkheadName, int maxConcurrentCalls, Duration maxWait) {
        super(bulkheadName, "bulkhead '" + bulkheadName + "' is full (maxConcurrentCalls=" + maxConcurrentCalls
                + ", maxWait=" + maxWait + ")");
        this.maxConcurrentCalls = maxConcurrentCalls;
        this.maxWait = maxWait;
    }

    /** The bulkhead's limit of concurrent calls. */
    public int maxConcurrentCalls() {
        return maxConcurrentCalls;
    }

    /** How long the refused call waited for a permit. */
    public Duration maxWait() {
        return maxWait;
    }
}
