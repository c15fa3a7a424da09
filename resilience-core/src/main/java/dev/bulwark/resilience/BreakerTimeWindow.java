package dev.bulwark.resilience;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The outcomes of the last {@code seconds} seconds, in one bucket per second of the clock (counted from the
 * window's creation), lock-free and allocation-free.
 *
 * <pre>
 * Layout
 *   buckets[s % seconds]  lap (bits 60-63) | calls (40-59) | failed (20-39) | slow (0-19), where the lap is
 *                         (s / seconds) % 16 and tells a bucket of this lap from one a lap or more older
 *   head                  the newest second any thread has seen
 *   failures              calls (bits 0-31) | failed (32-63), two's-complement fields
 *   slowness              calls (bits 0-31) | slow (32-63)
 *
 * Recording an outcome at second s (s = head if a thread already moved head past s)
 *   1. if s > head: advance head to s (below)
 *   2. CAS the bucket of s: add the outcome if the bucket is of s's lap (or newer); if it is older, replace
 *      it by a bucket of s's lap holding only the outcome, which evicts the old counts
 *   3. add the outcome minus the evicted counts to failures and to slowness; evaluate on the values returned
 *
 * Advancing head from h to s (the thread whose CAS on head succeeds)
 *   empties the buckets of the seconds in (h, s] that are older than their second: they held seconds that
 *   have left the window. When s - h >= seconds the whole window left: every bucket is emptied whatever its
 *   lap says, because after an idle gap of many laps a lap number may match by chance.
 * </pre>
 *
 * <p>Why it is correct. As in {@link BreakerCountWindow}, every bucket change is one CAS followed by exactly
 * one add, to each aggregate, of the difference in counts that CAS made; so at quiescence each aggregate equals
 * the sum of the buckets. Every second in (h, s] is swept by the thread that moved head over it, so a bucket
 * can only hold counts of the last {@code seconds} seconds once its sweep is done; a bucket is never written
 * back to an older lap (a CAS keeps the newer lap when it finds one), so sweeps and recordings can run in any
 * order. Each aggregate word gives its rate from one atomic read; the two words may differ by the recordings
 * in flight between the two adds.
 *
 * <p>Limits. A bucket counts at most 1,048,575 outcomes; further outcomes of that second are dropped (the
 * rates are those of the first million). Windows are at most 2,000 seconds, so a call count fits a signed
 * 32-bit field. A thread descheduled for several laps in the middle of a sweep or a recording can drop
 * outcomes recorded meanwhile or keep a stale second's counts until the next sweep of that bucket; the
 * aggregates still equal the buckets' contents.
 */
final class BreakerTimeWindow implements BreakerWindow {
    private static final VarHandle BUCKETS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle HEAD;
    private static final VarHandle FAILURES;
    private static final VarHandle SLOWNESS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            HEAD = lookup.findVarHandle(BreakerTimeWindow.class, "head", long.class);
            FAILURES = lookup.findVarHandle(BreakerTimeWindow.class, "failures", long.class);
            SLOWNESS = lookup.findVarHandle(BreakerTimeWindow.class, "slowness", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long FIELD_MASK = (1L << 20) - 1;
    private static final long BUCKET_CALL = 1L << 40;
    private static final long BUCKET_FAILED = 1L << 20;
    private static final long BUCKET_SLOW = 1L;
    private static final long COUNTS_MASK = (1L << 60) - 1;
    private static final int LAPS = 16;

    private final int seconds;
    private final long originNanos;
    private final long[] buckets;
    private final Thresholds thresholds;
    private volatile long head;
    private volatile long failures;
    private volatile long slowness;

    BreakerTimeWindow(int seconds, long originNanos, Thresholds thresholds) {
        if (seconds < 1 || seconds > CircuitBreakerConfig.MAX_TIME_WINDOW_SECONDS) {
            throw new IllegalArgumentException("seconds must be in [1, " + CircuitBreakerConfig.MAX_TIME_WINDOW_SECONDS
                    + "], was " + seconds);
        }
        this.seconds = seconds;
        this.originNanos = originNanos;
        this.buckets = new long[seconds];
        this.thresholds = thresholds;
    }

    @Override
    public int record(boolean failed, boolean slow, long nowNanos) {
        long second = advanceTo(secondOf(nowNanos));
        int index = (int) (second % seconds);
        long lap = lapOf(second);
        long outcome = BUCKET_CALL + (failed ? BUCKET_FAILED : 0) + (slow ? BUCKET_SLOW : 0);
        long bucket;
        long evicted;
        long replacement;
        do {
            bucket = (long) BUCKETS.getVolatile(buckets, index);
            if (isOlder(bucket >>> 60, lap)) {
                evicted = bucket & COUNTS_MASK;
                replacement = (lap << 60) | outcome;
            } else {
                if (((bucket >>> 40) & FIELD_MASK) == FIELD_MASK) {
                    return UNCHANGED;
                }
                evicted = 0;
                replacement = bucket + outcome;
            }
        } while (!BUCKETS.compareAndSet(buckets, index, bucket, replacement));
        long calls = 1 - callsOf(evicted);
        long failureDelta = calls + (((failed ? 1 : 0) - failedOf(evicted)) << 32);
        long slownessDelta = calls + (((slow ? 1 : 0) - slowOf(evicted)) << 32);
        long failureWord = (long) FAILURES.getAndAdd(this, failureDelta) + failureDelta;
        long slownessWord = (long) SLOWNESS.getAndAdd(this, slownessDelta) + slownessDelta;
        return thresholds.evaluate(low(failureWord), high(failureWord), low(slownessWord), high(slownessWord));
    }

    @Override
    public boolean needsTime() {
        return true;
    }

    @Override
    public Counts counts(long nowNanos) {
        advanceTo(secondOf(nowNanos));
        long failureWord = (long) FAILURES.getVolatile(this);
        long slownessWord = (long) SLOWNESS.getVolatile(this);
        long calls = Math.max(0, low(failureWord));
        return new Counts(calls, Math.max(0, Math.min(calls, high(failureWord))),
                Math.max(0, Math.min(calls, high(slownessWord))), thresholds);
    }

    @Override
    public Thresholds thresholds() {
        return thresholds;
    }

    private long secondOf(long nowNanos) {
        return Math.max(0, Math.floorDiv(nowNanos - originNanos, NANOS_PER_SECOND));
    }

    private long lapOf(long second) {
        return (second / seconds) % LAPS;
    }

    /** Whether a bucket of lap {@code bucketLap} is older than lap {@code lap} (laps compare modulo 16). */
    private static boolean isOlder(long bucketLap, long lap) {
        long behind = (lap - bucketLap) & (LAPS - 1);
        return behind != 0 && behind < LAPS / 2;
    }

    /** Moves head to {@code second} if it is behind, sweeping the seconds it passes; returns the second to record at. */
    private long advanceTo(long second) {
        long current;
        while ((current = head) < second) {
            if (HEAD.compareAndSet(this, current, second)) {
                boolean wholeWindow = second - current >= seconds;
                for (long s = Math.max(current + 1, second - seconds + 1); s <= second; s++) {
                    empty(s, wholeWindow);
                }
                return second;
            }
        }
        return current;
    }

    /** Empties the bucket of {@code second} unless it already holds that second's lap or a newer one. */
    private void empty(long second, boolean unconditionally) {
        int index = (int) (second % seconds);
        long lap = lapOf(second);
        long fresh = lap << 60;
        long bucket;
        do {
            bucket = (long) BUCKETS.getVolatile(buckets, index);
            if (bucket == fresh || (!unconditionally && !isOlder(bucket >>> 60, lap))) {
                return;
            }
        } while (!BUCKETS.compareAndSet(buckets, index, bucket, fresh));
        long evicted = bucket & COUNTS_MASK;
        if (evicted != 0) {
            long calls = -callsOf(evicted);
            FAILURES.getAndAdd(this, calls - (failedOf(evicted) << 32));
            SLOWNESS.getAndAdd(this, calls - (slowOf(evicted) << 32));
        }
    }

    private static long callsOf(long counts) {
        return (counts >>> 40) & FIELD_MASK;
    }

    private static long failedOf(long counts) {
        return (counts >>> 20) & FIELD_MASK;
    }

    private static long slowOf(long counts) {
        return counts & FIELD_MASK;
    }

    /** The signed low field of an aggregate word. */
    private static long low(long word) {
        return (int) word;
    }

    /** The signed high field of an aggregate word, net of the low field's borrow. */
    private static long high(long word) {
        return (word - low(word)) >> 32;
    }

    @Override
    public String toString() {
        long failureWord = failures;
        return "BreakerTimeWindow[seconds=" + seconds + ", calls=" + low(failureWord) + ", failed="
                + high(failureWord) + ", slow=" + high(slowness) + "]";
    }
}
