package dev.bulwark.resilience;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The permits of a {@link Bulkhead}: lock-free striped counters for the common case and a FIFO queue of
 * waiters for the case where all permits are taken.
 *
 * <h2>Striped counting</h2>
 * The free permits are spread over a few counters ("stripes"), each on its own cache lines. A thread
 * takes a permit from its home stripe (chosen by hashing its id) and gives permits back to its home
 * stripe, so threads on different cores rarely touch the same cache line; a single shared counter would
 * bounce between cores on every call. When the home stripe is empty, the thread takes from the others in
 * turn. Counters are only decremented by a CAS from a positive value and incremented once per release, so
 * the sum of the stripes is exactly {@code maxPermits} minus the permits held: the limit is exact, however
 * the free permits happen to be spread. (A scan that finds every stripe empty may miss a permit freed
 * behind it; the caller then waits or is refused, as it would have been a moment earlier.)
 *
 * <h2>Counting grants for free</h2>
 * A stripe is a {@code long}: the free permits in the low 32 bits, and in the high 32 bits the number of
 * permits ever taken from it, counted by the same CAS that takes one, so counting costs the hot path
 * nothing. When a stripe's count reaches 2^31, the thread whose CAS got it there moves 2^31 from the
 * stripe into {@link #foldedGrants}, first taking it off the stripe: a reader racing with the move sees the
 * total dip, never jump, and {@link #granted()} reports the highest total it has seen.
 *
 * <h2>Waiting</h2>
 * The fast path ({@link #tryAcquire()}) only runs while nobody is queued, so a newcomer does not overtake
 * callers that already wait. Waiters are kept in a doubly-linked list guarded by {@link #lock};
 * {@link #waiting} mirrors its length so the fast paths can read it without the lock.
 *
 * <h2>Why no wakeup is lost</h2>
 * A permit is handed to a waiter only by {@link #drain()}, which runs under the lock and moves permits from
 * the stripes to the head of the queue while both exist. Two threads can race: a releaser increments a
 * stripe and then reads {@code waiting}; an enqueuer increments {@code waiting} (under the lock) and then
 * drains, which reads every stripe. All these accesses are volatile, so at least one of the two threads
 * sees the other's write and drains: either the releaser sees the waiter, or the enqueuer sees the permit.
 * A permit is never stranded while a waiter is queued.
 *
 * <h2>Exactly once</h2>
 * A waiter leaves the queue exactly once, under the lock: either {@link #drain()} takes it out together with
 * a permit (and then calls {@link Waiter#granted()} once, outside the lock), or {@link #remove} takes it out
 * without one (timeout, interruption, cancellation). Whoever holds a permit calls {@link #release()} once.
 */
final class BulkheadPermits {
    /**
     * Longs between two stripes: 128 bytes, so no two stripes share a cache line or a prefetched pair.
     * Stripe {@code i} lives at index {@code (i + 1) * SPACING}, which also keeps the first stripe away from
     * the array's header, whose length every access reads.
     */
    private static final int SPACING = 16;
    private static final long ONE_GRANT = 1L << 32;
    private static final long FOLD_AT = 1L << 31;
    private static final long FREE_MASK = ONE_GRANT - 1;
    private static final int MAX_STRIPES = 64;

    private final int maxPermits;
    private final int stripeMask;
    private final AtomicLongArray stripes;
    /** Grants moved out of the stripes' 32-bit counts before they could wrap. */
    private final LongAdder foldedGrants = new LongAdder();
    /** The highest total of grants reported, so that the reported count never goes down. */
    private final AtomicLong grantedReported = new AtomicLong();
    /** Guards the queue ({@link #head}, {@link #tail} and the links and flags of every waiter). */
    private final ReentrantLock lock = new ReentrantLock();
    /** The length of the queue; written under {@link #lock}, read without it. */
    private volatile int waiting;
    private Waiter head;
    private Waiter tail;

    BulkheadPermits(int maxPermits) {
        this(maxPermits, Runtime.getRuntime().availableProcessors(), 0);
    }

    /** A test hook: {@code grantsPerStripe} pretends each stripe has already handed out that many permits. */
    BulkheadPermits(int maxPermits, int processors, long grantsPerStripe) {
        this.maxPermits = maxPermits;
        int count = stripeCount(maxPermits, processors);
        this.stripeMask = count - 1;
        this.stripes = new AtomicLongArray((count + 2) * SPACING);
        for (int i = 0; i < count; i++) {
            long free = maxPermits / count + (i < maxPermits % count ? 1 : 0);
            stripes.set(slot(i), grantsPerStripe << 32 | free);
        }
    }

    /**
     * A power of two: four per processor, so that a few busy threads rarely share a home stripe, but never
     * more stripes than permits (every stripe starts with at least one).
     */
    static int stripeCount(int maxPermits, int processors) {
        int wanted = Math.min(MAX_STRIPES, Math.max(1, processors) * 4);
        return Integer.highestOneBit(Math.min(wanted, maxPermits));
    }

    /** A queued caller. Its links and flag belong to the queue and are guarded by its lock. */
    abstract static class Waiter {
        private Waiter prev;
        private Waiter next;
        private boolean queued;

        /** Called once, outside the lock, when the waiter has been given a permit. */
        abstract void granted();
    }

    /** Takes a permit if one is free and nobody is queued for one. */
    boolean tryAcquire() {
        return waiting == 0 && tryTake();
    }

    /** Gives a permit back, handing it to the longest waiter if there is one. */
    void release() {
        stripes.getAndIncrement(slot(home()));
        if (waiting != 0) {
            drain();
        }
    }

    /** Queues {@code waiter}; it may be granted before this returns. */
    void enqueue(Waiter waiter) {
        lock.lock();
        try {
            waiter.queued = true;
            waiter.prev = tail;
            if (tail == null) {
                head = waiter;
            } else {
                tail.next = waiter;
            }
            tail = waiter;
            waiting = waiting + 1;
        } finally {
            lock.unlock();
        }
        drain();
    }

    /** Takes {@code waiter} out of the queue without a permit; false if it had left already (granted). */
    boolean remove(Waiter waiter) {
        lock.lock();
        try {
            if (!waiter.queued) {
                return false;
            }
            unlink(waiter);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The free permits; exact when the bulkhead is quiet, a close reading while calls come and go. */
    int available() {
        long sum = 0;
        for (int i = 0; i <= stripeMask; i++) {
            sum += stripes.get(slot(i)) & FREE_MASK;
        }
        return (int) Math.min(maxPermits, sum);
    }

    /** The grants moved out of the stripes so far (a test hook). */
    long foldedGrants() {
        return foldedGrants.sum();
    }

    /** How many permits have been taken since the bulkhead was built; never decreases. */
    long granted() {
        long sum = foldedGrants.sum();
        for (int i = 0; i <= stripeMask; i++) {
            sum += stripes.get(slot(i)) >>> 32;
        }
        return grantedReported.accumulateAndGet(sum, Math::max);
    }

    int waiting() {
        return waiting;
    }

    int maxPermits() {
        return maxPermits;
    }

    /** Takes a permit from the home stripe, or from the others in turn when it is empty. */
    private boolean tryTake() {
        int home = home();
        for (int i = 0; i <= stripeMask; i++) {
            int index = slot((home + i) & stripeMask);
            long word;
            while (((word = stripes.get(index)) & FREE_MASK) > 0) {
                if (stripes.compareAndSet(index, word, word - 1 + ONE_GRANT)) {
                    if ((word >>> 32) == FOLD_AT - 1) {
                        stripes.getAndAdd(index, -(FOLD_AT << 32));
                        foldedGrants.add(FOLD_AT);
                    }
                    return true;
                }
            }
        }
        return false;
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

    /** Hands free permits to waiters, one at a time, granting each outside the lock. */
    private void drain() {
        while (true) {
            Waiter granted;
            lock.lock();
            try {
                if (head == null || !tryTake()) {
                    return;
                }
                granted = head;
                unlink(granted);
            } finally {
                lock.unlock();
            }
            granted.granted();
        }
    }

    /** Guarded by {@link #lock}. */
    private void unlink(Waiter waiter) {
        if (waiter.prev == null) {
            head = waiter.next;
        } else {
            waiter.prev.next = waiter.next;
        }
        if (waiter.next == null) {
            tail = waiter.prev;
        } else {
            waiter.next.prev = waiter.prev;
        }
        waiter.prev = null;
        waiter.next = null;
        waiter.queued = false;
        waiting = waiting - 1;
    }
}
