package dev.bulwark.resilience;

/**
 * The outcomes a circuit breaker state keeps: a {@link BreakerCountWindow} (the last N calls) or a
 * {@link BreakerTimeWindow} (the calls of the last N seconds). Recording returns what the thresholds say about
 * the window right after the outcome went in, computed from one consistent reading of its counters.
 */
interface BreakerWindow {
    /** The window's counters did not change (the outcome replaced an equal one): nothing new to decide. */
    int UNCHANGED = 0;
    /** Fewer outcomes than the minimum the thresholds need. */
    int NOT_ENOUGH_CALLS = 1;
    /** Enough outcomes, and both rates below their thresholds. */
    int BELOW_THRESHOLDS = 2;
    /** Enough outcomes, and a rate at or above its threshold. */
    int ABOVE_THRESHOLDS = 3;

    /**
     * Records one outcome that ended at {@code nowNanos} (ignored by count windows) and returns one of the
     * constants above. Lock-free, allocation-free.
     */
    int record(boolean failed, boolean slow, long nowNanos);

    /** Whether {@link #record} needs a real {@code nowNanos}. */
    boolean needsTime();

    /** The counts as of {@code nowNanos}, for snapshots and log messages (allocates). */
    Counts counts(long nowNanos);

    /** The thresholds this window is evaluated against. */
    Thresholds thresholds();

    /** The contents of a window at one moment. */
    record Counts(long calls, long failedCalls, long slowCalls, Thresholds thresholds) {

        /** The failure percentage, or -1 while there are fewer calls than the minimum. */
        double failureRate() {
            return calls < thresholds.minimumCalls() ? -1 : 100.0 * failedCalls / calls;
        }

        /** The slow-call percentage, or -1 while there are fewer calls than the minimum. */
        double slowCallRate() {
            return calls < thresholds.minimumCalls() ? -1 : 100.0 * slowCalls / calls;
        }

        /** Says which rates crossed their thresholds, for the transition log. */
        String describe() {
            return String.format(java.util.Locale.ROOT, "failure rate %.1f%% (threshold %.1f%%), slow-call rate %.1f%%"
                            + " (threshold %.1f%%) over %d calls", failureRate(), thresholds.failureRate(),
                    slowCallRate(), thresholds.slowCallRate(), calls);
        }
    }

    /**
     * When a window's rates call for a decision.
     *
     * @param minimumCalls how many outcomes the window must hold first
     * @param failureRate the failure percentage that trips, in (0, 100]
     * @param slowCallRate the slow-call percentage that trips, in (0, 100]
     */
    record Thresholds(int minimumCalls, double failureRate, double slowCallRate) {

        /**
         * Evaluates counters read together. {@code failureCalls} and {@code slownessCalls} are the call counts
         * read with {@code failed} and with {@code slow}; they differ only while another recording is in
         * flight. Counts outside their valid range (transiently, see the windows) are clamped.
         */
        int evaluate(long failureCalls, long failed, long slownessCalls, long slow) {
            if (failureCalls < minimumCalls) {
                return NOT_ENOUGH_CALLS;
            }
            if (failed * 100.0 >= failureRate * failureCalls
                    || (slownessCalls > 0 && slow * 100.0 >= slowCallRate * slownessCalls)) {
                return ABOVE_THRESHOLDS;
            }
            return BELOW_THRESHOLDS;
        }
    }
}
