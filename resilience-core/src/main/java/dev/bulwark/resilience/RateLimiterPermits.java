package dev.bulwark.resilience;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The permits of a {@link RateLimiter}: fixed periods counted from the limiter's creation, one
 * {@link AtomicLong} that numbers the permits and, for busy limiters, per-thread-group leases of permits so
 * that callers on different cores do not fight over that one counter.
 *
 * <h2>Permit numbers</h2>
 * Period {@code p} owns the permit numbers {@code [p * limit, (p + 1) * limit)}. {@link #next} holds the
 * next number to hand out. A caller in period {@code p} takes {@code n = max(next, p * limit)}: numbers
 * below {@code p * limit} belonged to periods that are over, and are skipped. If {@code n} lies in
 * {@code p}'s range the permit is free now; if it lies in a later period's range it is a reservation, and
 * the caller waits until that period begins, or is refused (leaving {@code next} unchanged) if that is
 * further away than the timeout. The config makes sure the counter cannot overflow within a century.
 *
 * <h2>Leases</h2>
 * With a single counter, every call of every thread is a CAS on one cache line, which then moves between
 * cores on every call. So when periods are long (at least {@value #MIN_STRIPED_PERIOD_NANOS} ns) and hold
 * many permits, a caller takes a block ("lease") of up to {@link #lease} numbers of its period at once, uses
 * one and leaves the rest in its home stripe: a word {@code (period << 20) | remaining} on its own cache
 * lines, chosen by hashing the thread's id. Later callers of that stripe take permits from the lease with a
 * CAS on the stripe. A lease is only good in its own period; a caller whose home lease is empty or stale
 * leases a new block from the counter, or, when the period's numbers are all leased out, takes permits from
 * other stripes' leases before it gives up or reserves a later period's permit from the counter.
 *
 * <h2>Why it never over-grants</h2>
 * Every number is handed out once, by a CAS of {@code next} that only moves it forward, and each period has
 * {@code limit} numbers. A permit granted from a lease is one of the numbers of the lease's period: a lease
 * of {@code k} numbers yields at most {@code k} grants (the stripe's count only goes down by CAS from a
 * positive value; leftovers merged into a full stripe are capped, which can only waste permits). A lease
 * serves only callers whose clock reading falls in its period. A caller whose reading is older than a period
 * another caller has already seen begin counts against that newer period, so no period can be restarted.
 */
final class RateLimiterPermits {
    static final long MIN_STRIPED_PERIOD_NANOS = 1_000_000L;
    private static final int REMAINING_BITS = 20;
    private static final long REMAINING_MASK = (1L << REMAINING_BITS) - 1;
    /** 44 bits of period number: 557 years of periods of a millisecond. */
    private static final long PERIOD_TAG_MASK = (1L << (64 - REMAINING_BITS)) - 1;
    private static final long MAX_LEASE = 1L << 16;
    /** Longs between two stripes: 128 bytes, so no two share a cache line or a prefetched pair. */
    private static final int SPACING = 16;
    private static final int MAX_STRIPES = 64;

    private final Clock clock;
    private final long origin;
    private final long periodNanos;
    private final long limit;
    private final long timeoutNanos;
    /** The next permit number to hand out. */
    private final AtomicLong next = new AtomicLong();
    /**
     * The latest period a caller has seen begin: a hint that spares the division {@code now / periodNanos}
     * on most calls. Checked against the clock before use, so a stale value costs a division, never a
     * wrong answer.
     */
    private volatile long periodHint;
    /** How many numbers a lease takes; 0 when this limiter does not lease. */
    private final long lease;
    private final int stripeMask;
    private final AtomicLongArray stripes;

    RateLimiterPermits(RateLimiterConfig config, int processors) {
        this.clock = config.clock();
        this.periodNanos = config.limitRefreshPeriod().toNanos();
        this.limit = config.limitForPeriod();
        this.timeoutNanos = config.timeout().toNanos();
        int stripeCount = Integer.highestOneBit(Math.min(MAX_STRIPES, Math.max(1, processors) * 4));
        long leaseSize = Math.min(MAX_LEASE, limit / (4L * stripeCount));
        boolean leases = periodNanos >= MIN_STRIPED_PERIOD_NANOS && leaseSize >= 4;
        this.lease = leases ? leaseSize : 0;
        this.stripeMask = stripeCount - 1;
        this.stripes = leases ? new AtomicLongArray((stripeCount + 2) * SPACING) : null;
        this.origin = clock.nanoTime();
    }

    /** Whether callers take leases (a test hook; it depends on the config and the processors). */
    boolean leases() {
        return lease > 0;
    }

    /**
     * Takes a permit: 0 if it is free now, the nanoseconds until its period begins if that is within the
     * timeout, or -1 (and nothing changes) if the call must be refused.
     */
    long reserve() {
        long now = clock.nanoTime() - origin;
        long period = period(now);
        if (lease > 0 && takeLeased(period)) {
            return 0;
        }
        return reserveNumber(now, period);
    }

    /** How many permits of the current period can still be taken without waiting. */
    long available() {
        long period = period(clock.nanoTime() - origin);
        long free = Math.max(0, Math.min(limit, (period + 1) * limit - next.get()));
        if (lease > 0) {
            long tag = period & PERIOD_TAG_MASK;
            for (int stripe = 0; stripe <= stripeMask; stripe++) {
                long word = stripes.get(slot(stripe));
                if (word >>> REMAINING_BITS == tag) {
                    free += word & REMAINING_MASK;
                }
            }
        }
        return Math.min(limit, free);
    }

    /** A permit from the home lease, a new lease, or another stripe's lease, in that order. */
    private boolean takeLeased(long period) {
        long tag = period & PERIOD_TAG_MASK;
        int home = home();
        if (takeFrom(slot(home), tag)) {
            return true;
        }
        long leased = leaseNumbers(period);
        if (leased > 0) {
            if (leased > 1) {
                deposit(slot(home), tag, leased - 1);
            }
            return true;
        }
        for (int i = 1; i <= stripeMask; i++) {
            if (takeFrom(slot((home + i) & stripeMask), tag)) {
                return true;
            }
        }
        return false;
    }

    private boolean takeFrom(int slot, long tag) {
        while (true) {
            long word = stripes.get(slot);
            if (word >>> REMAINING_BITS != tag || (word & REMAINING_MASK) == 0) {
                return false;
            }
            if (stripes.compareAndSet(slot, word, word - 1)) {
                return true;
            }
        }
    }

    /** Takes up to {@link #lease} numbers of {@code period} from the counter; 0 if none are left. */
    private long leaseNumbers(long period) {
        long first = period * limit;
        while (true) {
            long taken = next.get();
            long number = Math.max(taken, first);
            long left = first + limit - number;
            if (left <= 0) {
                return 0;
            }
            long count = Math.min(lease, left);
            if (next.compareAndSet(taken, number + count)) {
                return count;
            }
        }
    }

    /** Leaves {@code extra} permits of the period tagged {@code tag} in a stripe. */
    private void deposit(int slot, long tag, long extra) {
        while (true) {
            long word = stripes.get(slot);
            long wordTag = word >>> REMAINING_BITS;
            long remaining;
            if (wordTag == tag) {
                remaining = Math.min(REMAINING_MASK, (word & REMAINING_MASK) + extra);
            } else if (wordTag < tag) {
                remaining = Math.min(REMAINING_MASK, extra); // the old lease's period is over
            } else {
                return; // a later period's lease is there: ours is stale and its permits are dropped
            }
            if (stripes.compareAndSet(slot, word, (tag << REMAINING_BITS) | remaining)) {
                return;
            }
        }
    }

    /** A permit number from the counter, for now or (a reservation) for a later period. */
    private long reserveNumber(long now, long period) {
        boolean fresh = false;
        while (true) {
            long periodStart = period * periodNanos;
            long first = period * limit;
            long taken = next.get();
            long number = Math.max(taken, first);
            long wait = 0;
            if (number - first >= limit) {
                // A later period's permit. Measure from this period's start if this thread's clock reading is
                // older than it: the real time is at least that, so the wait errs long, never short. A wait
                // that would end past the deadline of an enclosing Timeout is refused: the permit is kept for
                // a caller that can use it.
                wait = (number / limit) * periodNanos - Math.max(now, periodStart);
                if (wait > timeoutNanos || wait > Deadline.currentRemainingNanos()) {
                    if (fresh) {
                        return -1;
                    }
                    // The clock was read before the CAS loop; a period may have begun since. Look once more.
                    now = clock.nanoTime() - origin;
                    period = period(now);
                    fresh = true;
                    if (lease > 0 && takeLeased(period)) {
                        return 0;
                    }
                    continue;
                }
            }
            if (next.compareAndSet(taken, number + 1)) {
                return wait;
            }
        }
    }

    /**
     * The period at {@code now}, or the latest one another caller has seen begin if this thread's reading is
     * older than that (it then counts against that period, which has begun).
     */
    private long period(long now) {
        long hint = periodHint;
        if (now - hint * periodNanos < periodNanos) {
            return hint;
        }
        long period = now / periodNanos;
        if (period > periodHint) {
            periodHint = period; // racy, but a lower value written late only costs a later caller a division
        }
        return period;
    }

    private static int slot(int stripe) {
        return (stripe + 1) * SPACING;
    }

    /** The calling thread's home stripe: its id, spread by Fibonacci hashing so consecutive ids differ. */
    @SuppressWarnings("deprecation") // Thread.threadId() is Java 19+; getId() is the same value
    private int home() {
        long id = Thread.currentThread().getId();
        return (int) ((id * 0x9E3779B97F4A7C15L) >>> 40) & stripeMask;
    }
}
