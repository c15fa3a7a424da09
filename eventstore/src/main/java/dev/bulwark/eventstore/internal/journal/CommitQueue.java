package dev.bulwark.eventstore.internal.journal;

import dev.bulwark.resilience.Clock;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * The group commit's bookkeeping (see {@link JournalWriter}): the leader role, the callers queued for a leader to
 * force their records, and how long a leader waits for a group to fill. Its instance methods run under the writer's
 * sequence lock; {@link #await} and the static methods that wake callers run outside it.
 *
 * <p>How a queued caller is woken, and why none is missed:
 * <ul>
 *   <li>Covered by a round: the round takes the whole queue as a chain, forces, publishes {@code durableLsn}, then
 *       unparks every waiter of the chain itself. A taken chain never changes (later callers start a new queue),
 *       so the leader unparks exactly the waiters the take saw; each of them, once unparked, reads a
 *       {@code durableLsn} written before the unpark. The leader wakes them all rather than each waking the next:
 *       a wake-up on a busy machine costs tens of microseconds before the thread runs, and in a chain those costs
 *       add up, the last caller of a group of seven coming back to append only after six of them.</li>
 *   <li>Released (failure or close): every waiter of the chain is marked and unparked the same way.</li>
 *   <li>Handed the leader role: the waiter is taken off the queue first (so no chain holds it), marked and
 *       unparked.</li>
 * </ul>
 * A waiter leaves only for one of these reasons; spurious wake-ups and interrupts make it check again and park.
 *
 * <p>Filling a group: callers that a round released tend to append again within microseconds (a loop, a pool of
 * workers), and if the next force starts before they do, they wait for the one after: with many threads the groups
 * split into two halves that alternate, each force carrying half the callers. So before a round the leader waits,
 * for at most a quarter of the recent force time, until as many callers have queued since the last round as it
 * released. A quarter, not more: the disk stands idle while the leader waits, so a longer wait fills groups further
 * but forces less often. The leader yields the processor in a loop rather than parking with a timeout, because the
 * wait is tens of microseconds and a timed park overshoots that (timer slack, wake-up latency) by as much again;
 * the loop is bounded by the time and by a count of yields. The wait is measured with the journal's clock, so a
 * {@link dev.bulwark.resilience.ManualClock} (forces take no time) turns it off.
 *
 * <p>Spinning before parking: a queued caller first yields the processor in a loop, for at most two recent force
 * times ({@link #spinNanos}), checking whether its record is durable, and parks only after that. A caller waits for
 * the rest of the force in progress and then the force that covers it, so it usually sees its record durable while
 * still spinning and returns without the wake-up latency of a parked thread (on a virtual machine an idle processor
 * takes tens of microseconds to wake, and the next group waits for those callers). The cost is bounded: a yielding
 * caller hands the processor to any thread that has work, and stops after two force times (1 ms at most). The same
 * clock and bounds apply as for filling: a manual clock turns it off.
 */
final class CommitQueue {
    /** How many rounds in a row one caller leads before handing the role over: its own, and one more. */
    static final int MAX_ROUNDS = 2;
    /** The longest wait for a group to fill, whatever forces take. */
    private static final long MAX_FILL_NANOS = 250_000;
    /** The longest a queued caller spins before parking, whatever forces take. */
    private static final long MAX_SPIN_NANOS = 1_000_000;
    /** A bound on a queued caller's yields while it spins, in case the clock does not move. */
    private static final int MAX_SPIN_YIELDS = 10_000;
    /** Returned by {@link #afterRound} to the leader that should run another round. */
    static final Waiter CONTINUE = new Waiter(Long.MIN_VALUE);

    /** A caller waiting for its record to be durable. */
    static final class Waiter {
        final Thread thread = Thread.currentThread();
        final long lsn;
        /** The next waiter queued: set under the sequence lock while queued, fixed once the queue is taken. */
        Waiter next;
        volatile boolean released;
        volatile boolean lead;

        Waiter(long lsn) {
            this.lsn = lsn;
        }
    }

    private final Clock clock;
    private Waiter head;
    private Waiter tail;
    private boolean leading;
    /** Callers queued since the journal opened. */
    private long arrivals;
    /** Callers the last round let go (not counting the next leader), and when: they will likely append again. */
    private int released;
    private long releasedArrivals;
    private long releasedAt;
    /** Whether a leader waits until {@code arrivals} reaches {@code fillTarget}; read by it without the lock. */
    private volatile boolean filling;
    private long fillTarget;
    /** A moving average of how long forces take; written by leaders only. */
    private volatile long forceNanos;

    CommitQueue(Clock clock) {
        this.clock = clock;
    }

    /** Takes the leader role if no one has it. */
    boolean tryLead() {
        if (leading) {
            return false;
        }
        leading = true;
        return true;
    }

    /** Queues a caller (a leader exists: {@link #tryLead} said so). */
    void add(Waiter waiter) {
        if (tail == null) {
            head = waiter;
        } else {
            tail.next = waiter;
        }
        tail = waiter;
        arrivals++;
        if (filling && arrivals >= fillTarget) {
            filling = false;
        }
    }

    /** Takes every queued caller, as a chain (possibly {@code null}). */
    Waiter takeAll() {
        Waiter chain = head;
        head = null;
        tail = null;
        return chain;
    }

    /** How long a queued caller spins before it parks (0: not at all): two recent force times. Any thread. */
    long spinNanos() {
        return Math.min(2 * forceNanos, MAX_SPIN_NANOS);
    }

    /** How long a leader may wait for its group to fill (0: not at all). Any thread. */
    long fillTimeNanos() {
        return Math.min(forceNanos / 4, MAX_FILL_NANOS);
    }

    /** Notes how long a force took. Leaders only (serialized by the writer's force lock). */
    void forced(long nanos) {
        long average = forceNanos;
        forceNanos = average + (Math.max(0, nanos) - average) / 4;
    }

    /**
     * Before a round: whether the leader should wait (for at most {@link #fillTimeNanos}, until {@link #isFilling}
     * turns false) for callers the last round released; the caller that completes the group ends the wait.
     */
    boolean startFilling() {
        if (released == 0 || clock.nanoTime() - releasedAt > forceNanos) {
            return false;
        }
        fillTarget = releasedArrivals + released;
        if (arrivals >= fillTarget) {
            return false;
        }
        filling = true;
        return true;
    }

    /** Whether the leader's group is still filling. Any thread. */
    boolean isFilling() {
        return filling;
    }

    void stopFilling() {
        filling = false;
    }

    /**
     * After a round that covered {@code covered}, the leader's {@code rounds}-th in a row: decides who leads next.
     *
     * @param stop the journal failed or closed: no one leads any more
     * @return {@link #CONTINUE} if this leader runs another round; a waiter to {@link #handOver} the role to; or
     *     {@code null} if no one is queued (the role is free again)
     */
    Waiter afterRound(Waiter covered, int rounds, boolean stop) {
        int count = 0;
        for (Waiter waiter = covered; waiter != null; waiter = waiter.next) {
            count++;
        }
        released = count;
        releasedArrivals = arrivals;
        releasedAt = clock.nanoTime();
        if (stop || head == null) {
            leading = false;
            return null;
        }
        if (rounds < MAX_ROUNDS) {
            return CONTINUE;
        }
        Waiter next = head;
        head = next.next;
        if (head == null) {
            tail = null;
        }
        next.next = null;
        released++;
        return next;
    }

    /**
     * Waits (spinning for up to {@code spinNanos} by {@code clock}, then parked) until a queued caller's record is
     * durable (as {@code durableLsn} tells), it is released, or it is handed the leader role; keeps the thread's
     * interrupt status.
     *
     * @return whether it must now lead
     */
    static boolean await(Waiter waiter, LongSupplier durableLsn, Clock clock, long spinNanos) {
        long spinUntil = spinNanos > 0 ? clock.nanoTime() + spinNanos : 0;
        int spins = spinNanos > 0 ? 0 : MAX_SPIN_YIELDS;
        boolean interrupted = false;
        try {
            while (true) {
                if (waiter.lead) {
                    return true;
                }
                if (durableLsn.getAsLong() >= waiter.lsn || waiter.released) {
                    return false;
                }
                if (spins < MAX_SPIN_YIELDS && clock.nanoTime() - spinUntil < 0) {
                    spins++;
                    Thread.yield();
                } else {
                    LockSupport.park(waiter);
                    interrupted |= Thread.interrupted();
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Wakes every waiter of a chain that a round made durable. */
    static void wake(Waiter chain) {
        for (Waiter waiter = chain; waiter != null; waiter = waiter.next) {
            LockSupport.unpark(waiter.thread);
        }
    }

    /** Wakes every waiter of a chain, durable or not (failure, close). */
    static void release(Waiter chain) {
        for (Waiter waiter = chain; waiter != null; waiter = waiter.next) {
            waiter.released = true;
            LockSupport.unpark(waiter.thread);
        }
    }

    /** Gives the leader role to a waiter that {@link #afterRound} took off the queue. */
    static void handOver(Waiter next) {
        next.lead = true;
        LockSupport.unpark(next.thread);
    }
}
