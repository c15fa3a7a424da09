package dev.bulwark.resilience;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The permits of a {@link Bulkhead}: a lock-free counter for the common case and a FIFO queue of waiters for
 * the case where all permits are taken.
 *
 * <h2>How it works</h2>
 * {@link #available} counts free permits. The fast path ({@link #tryAcquire()}) decrements it with a CAS,
 * but only while nobody is queued, so a newcomer does not overtake callers that already wait. Waiters are
 * kept in a doubly-linked list guarded by {@link #lock}; {@link #waiting} mirrors its length so the fast
 * paths can read it without the lock.
 *
 * <h2>Why no wakeup is lost</h2>
 * A permit is handed to a waiter only by {@link #drain()}, which runs under the lock and moves permits from
 * {@link #available} to the head of the queue while both exist. Two threads can race: a releaser increments
 * {@code available} and then reads {@code waiting}; an enqueuer increments {@code waiting} (under the lock)
 * and then drains, which reads {@code available}. All four accesses are volatile, so at least one of the two
 * threads sees the other's write and drains: either the releaser sees the waiter, or the enqueuer sees the
 * permit. A permit is never stranded while a waiter is queued.
 *
 * <h2>Exactly once</h2>
 * A waiter leaves the queue exactly once, under the lock: either {@link #drain()} takes it out together with
 * a permit (and then calls {@link Waiter#granted()} once, outside the lock), or {@link #remove} takes it out
 * without one (timeout, interruption, cancellation). Whoever holds a permit calls {@link #release()} once.
 */
final class BulkheadPermits {
    private final int maxPermits;
    private final AtomicInteger available;
    /** Guards the queue ({@link #head}, {@link #tail} and the links and flags of every waiter). */
    private final ReentrantLock lock = new ReentrantLock();
    /** The length of the queue; written under {@link #lock}, read without it. */
    private volatile int waiting;
    private Waiter head;
    private Waiter tail;

    BulkheadPermits(int maxPermits) {
        this.maxPermits = maxPermits;
        this.available = new AtomicInteger(maxPermits);
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
        available.incrementAndGet();
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

    int available() {
        return Math.max(0, available.get());
    }

    int waiting() {
        return waiting;
    }

    int maxPermits() {
        return maxPermits;
    }

    private boolean tryTake() {
        while (true) {
            int free = available.get();
            if (free <= 0) {
                return false;
            }
            if (available.compareAndSet(free, free - 1)) {
                return true;
            }
        }
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
