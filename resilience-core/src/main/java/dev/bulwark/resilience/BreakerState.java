package dev.bulwark.resilience;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One state of a {@link DefaultCircuitBreaker}, immutable but for the half-open bookkeeping. A transition
 * replaces the breaker's state object by a new one with a compare-and-set, so each state object is current
 * at most once, and everything a call records goes to the state object that admitted it.
 */
final class BreakerState {
    final CircuitBreaker.State kind;
    /**
     * CLOSED and METRICS_ONLY: the sliding window; HALF_OPEN: the probes' outcomes; OPEN: the window whose
     * rates opened the breaker (null after a manual transition from a state without one); otherwise null.
     */
    final BreakerWindow window;
    /** How many rounds of probes failed in a row since the breaker was last closed; sets the wait in OPEN. */
    final int failedRounds;
    /** OPEN: the clock reading from which probes may start. */
    final long untilNanos;
    /** HALF_OPEN: the probe permits not taken yet. */
    final AtomicInteger permits;
    /** HALF_OPEN: how many permits the round started with. */
    final int permitted;
    /** HALF_OPEN: the clock reading at entry or at the latest probe outcome, whichever is later. */
    volatile long lastProgressNanos;

    private BreakerState(CircuitBreaker.State kind, BreakerWindow window, int failedRounds, long untilNanos,
            int permitted, long lastProgressNanos) {
        this.kind = kind;
        this.window = window;
        this.failedRounds = failedRounds;
        this.untilNanos = untilNanos;
        this.permitted = permitted;
        this.permits = kind == CircuitBreaker.State.HALF_OPEN ? new AtomicInteger(permitted) : null;
        this.lastProgressNanos = lastProgressNanos;
    }

    static BreakerState closed(BreakerWindow window) {
        return new BreakerState(CircuitBreaker.State.CLOSED, window, 0, 0, 0, 0);
    }

    static BreakerState open(BreakerWindow window, int failedRounds, long untilNanos) {
        return new BreakerState(CircuitBreaker.State.OPEN, window, failedRounds, untilNanos, 0, 0);
    }

    static BreakerState halfOpen(BreakerCountWindow probes, int failedRounds, int permitted, long nowNanos) {
        return new BreakerState(CircuitBreaker.State.HALF_OPEN, probes, failedRounds, 0, permitted, nowNanos);
    }

    static BreakerState forcedOpen(int failedRounds) {
        return new BreakerState(CircuitBreaker.State.FORCED_OPEN, null, failedRounds, 0, 0, 0);
    }

    static BreakerState disabled() {
        return new BreakerState(CircuitBreaker.State.DISABLED, null, 0, 0, 0, 0);
    }

    static BreakerState metricsOnly(BreakerWindow window) {
        return new BreakerState(CircuitBreaker.State.METRICS_ONLY, window, 0, 0, 0, 0);
    }

    /** HALF_OPEN: takes a probe permit if one is left. */
    boolean tryTakePermit() {
        AtomicInteger left = permits;
        int available;
        do {
            available = left.get();
            if (available == 0) {
                return false;
            }
        } while (!left.compareAndSet(available, available - 1));
        return true;
    }

    /** HALF_OPEN: gives a permit back, never exceeding the round's number (a stray release cannot add one). */
    void returnPermit() {
        AtomicInteger left = permits;
        int available;
        do {
            available = left.get();
            if (available >= permitted) {
                return;
            }
        } while (!left.compareAndSet(available, available + 1));
    }

    @Override
    public String toString() {
        return kind + (window == null ? "" : " " + window);
    }
}
