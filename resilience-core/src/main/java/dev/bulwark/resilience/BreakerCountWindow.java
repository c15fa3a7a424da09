package dev.bulwark.resilience;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The last {@code size} outcomes, lock-free and allocation-free.
 *
 * <pre>
 * Layout
 *   slots      one int per outcome: 0 empty, else 1 + failed + 2 * slow (codes 1..4)
 *   ticket     how many recordings claimed a slot; recording number t goes to slot t % size
 *   aggregate  calls (bits 0-20), failed (bits 21-41), slow (bits 42-63), packed into one long,
 *              each field a two's-complement number
 *
 * Recording an outcome
 *   0. if it is a fast success and aggregate == (size, 0, 0): done, nothing written (see below)
 *   1. t = ticket.getAndAdd(1)                     (claims the slot of the oldest outcome)
 *   2. old = slots[t % size].getAndSet(code)       (evicts it; skipped, as a no-op exchange, when a
 *                                                   plain read already finds code there)
 *   3. if old != code: aggregate.getAndAdd(weight(code) - weight(old))
 *      and evaluate the thresholds on the value that getAndAdd returned plus the delta
 * </pre>
 *
 * <p>Why it is correct. Each slot changes only by an atomic exchange, and each exchange is followed by
 * exactly one atomic add of {@code weight(new) - weight(old)}, where {@code old} is what the exchange really
 * took out. (A volatile read that finds the code already there is the linearization point of an exchange
 * that would have written the same value and added zero: skipping the write changes nothing.) Summed over
 * all exchanges the adds telescope, slot by slot, to the weights of what the slots finally hold: once no
 * recording is in flight, the aggregate equals the sum of the slots exactly, whatever the interleaving.
 * Tickets give every outcome its own slot until the ring wraps, so with at most
 * {@code size} outcomes each is in the window, and afterwards every slot holds one outcome. The three
 * counters live in one word, so one atomic read (the value {@code getAndAdd} returns) gives a failure rate
 * and a slow-call rate from the same instant; there is no torn read of separate counters.
 *
 * <p>While recordings are in flight the aggregate lags the slots by the deltas not yet added, at most one
 * outcome per recording thread, and a field can be briefly negative (a thread that evicted a failure may add
 * its {@code -1} before the thread that put that failure in adds its {@code +1}). The fields are therefore
 * signed and decoded with their borrows, which is exact for fields in [-2^20, 2^20); sizes are at most
 * 1,000,000. A thread descheduled between steps 1 and 2 for a whole lap of the ring may let an older outcome
 * overwrite a newer one in the same slot; the counts stay those of the slots' contents.
 *
 * <p>Healthy steady state (step 0). A ring of {@code size} fast successes is the same ring after one more
 * fast success, whatever slot the ticket would have pointed at: every rotation of a uniform ring is the same
 * ring, so it evicts the same outcomes in the same order afterwards. Recording one is then a no-op that needs
 * no ticket, and it is exact for any sequence of calls made one after another. Concurrently, the read of the
 * aggregate may miss an exchange whose add is still in flight; such a recording overlaps the skipping one,
 * so ordering the skip first is a valid order, within the in-flight fuzziness described above. A
 * healthy dependency's calls therefore write nothing shared: the ticket and aggregate lines stay shared in
 * every core's cache, and threads do not serialize on them.
 *
 * <p>Contention otherwise. When the outcome equals the one it evicts, neither the slot nor the aggregate is
 * written: a call costs one contended {@code getAndAdd} on the ticket and a read of a slot line. When
 * outcomes do change, logical slot {@code i} lives at {@code (i % 8) * rows + i / 8}, so threads holding
 * consecutive tickets write different cache lines. The hot fields are padded away from the read-only ones
 * and from neighbouring objects.
 */
final class BreakerCountWindow extends BreakerCountWindowPadAfter implements BreakerWindow {
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(int[].class);
    private static final VarHandle TICKET;
    private static final VarHandle AGGREGATE;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            TICKET = lookup.findVarHandle(BreakerCountWindowHot.class, "ticket", long.class);
            AGGREGATE = lookup.findVarHandle(BreakerCountWindowHot.class, "aggregate", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final int FIELD_BITS = 21;
    private static final long CALL = 1L;
    private static final long FAILED = 1L << FIELD_BITS;
    private static final long SLOW = 1L << (2 * FIELD_BITS);
    /** The aggregate weight of each slot code; code 0 is an empty slot. */
    private static final long[] WEIGHTS = {0, CALL, CALL + FAILED, CALL + SLOW, CALL + FAILED + SLOW};
    private static final int FAST_SUCCESS = 1;

    BreakerCountWindow(int size, Thresholds thresholds) {
        super(size, thresholds);
    }

    @Override
    public int record(boolean failed, boolean slow, long nowNanos) {
        int code = 1 + (failed ? 1 : 0) + (slow ? 2 : 0);
        if (code == FAST_SUCCESS && (long) AGGREGATE.getVolatile(this) == allFastSuccesses) {
            return UNCHANGED; // see "Healthy steady state" in the class comment
        }
        long ticket = (long) TICKET.getAndAdd(this, 1L);
        int logical = (int) (ticket % size);
        int slot = (logical & 7) * rows + (logical >>> 3);
        if ((int) SLOTS.getVolatile(slots, slot) == code) {
            return UNCHANGED; // an exchange of code for code: nothing to write
        }
        int old = (int) SLOTS.getAndSet(slots, slot, code);
        if (old == code) {
            return UNCHANGED;
        }
        long delta = WEIGHTS[code] - WEIGHTS[old];
        long packed = (long) AGGREGATE.getAndAdd(this, delta) + delta;
        long calls = calls(packed);
        return thresholds.evaluate(calls, failed(packed), calls, slow(packed));
    }

    @Override
    public boolean needsTime() {
        return false;
    }

    @Override
    public Counts counts(long nowNanos) {
        long packed = (long) AGGREGATE.getVolatile(this);
        long calls = clamp(calls(packed), size);
        return new Counts(calls, clamp(failed(packed), calls), clamp(slow(packed), calls), thresholds);
    }

    @Override
    public Thresholds thresholds() {
        return thresholds;
    }

    /** How many recordings took a ticket (all but the skipped fast successes; for tests). */
    long recorded() {
        return (long) TICKET.getVolatile(this);
    }

    static long calls(long packed) {
        return packed << (64 - FIELD_BITS) >> (64 - FIELD_BITS);
    }

    static long failed(long packed) {
        long rest = (packed - calls(packed)) >> FIELD_BITS;
        return rest << (64 - FIELD_BITS) >> (64 - FIELD_BITS);
    }

    static long slow(long packed) {
        long rest = (packed - calls(packed)) >> FIELD_BITS;
        return (rest - (rest << (64 - FIELD_BITS) >> (64 - FIELD_BITS))) >> FIELD_BITS;
    }

    private static long clamp(long value, long max) {
        return Math.max(0, Math.min(value, max));
    }

    @Override
    public String toString() {
        Counts counts = counts(0);
        return "BreakerCountWindow[size=" + size + ", calls=" + counts.calls() + ", failed=" + counts.failedCalls()
                + ", slow=" + counts.slowCalls() + "]";
    }
}

/** The fields read on every call and never written after construction. */
abstract class BreakerCountWindowCold {
    final int size;
    /** Rows of eight slots: slot {@code i} is at {@code (i % 8) * rows + i / 8}. */
    final int rows;
    final int[] slots;
    final BreakerWindow.Thresholds thresholds;
    /** The aggregate of a full window of fast successes: {@code size} calls, none failed, none slow. */
    final long allFastSuccesses;

    BreakerCountWindowCold(int size, BreakerWindow.Thresholds thresholds) {
        if (size < 1 || size > CircuitBreakerConfig.MAX_COUNT_WINDOW_SIZE) {
            throw new IllegalArgumentException("size must be in [1, " + CircuitBreakerConfig.MAX_COUNT_WINDOW_SIZE
                    + "], was " + size);
        }
        this.size = size;
        this.rows = (size + 7) >>> 3;
        this.slots = new int[rows * 8];
        this.thresholds = thresholds;
        this.allFastSuccesses = size; // calls are the low field, one unit each
    }
}

/** Keeps the hot fields off the cache line of the cold ones (superclass fields are laid out first). */
@SuppressWarnings("unused")
abstract class BreakerCountWindowPadBefore extends BreakerCountWindowCold {
    private long p01, p02, p03, p04, p05, p06, p07, p08;

    BreakerCountWindowPadBefore(int size, BreakerWindow.Thresholds thresholds) {
        super(size, thresholds);
    }
}

/** The fields every call writes; see {@link BreakerCountWindow}. */
abstract class BreakerCountWindowHot extends BreakerCountWindowPadBefore {
    volatile long ticket;
    volatile long aggregate;

    BreakerCountWindowHot(int size, BreakerWindow.Thresholds thresholds) {
        super(size, thresholds);
    }
}

/** Keeps the hot fields off the cache line of whatever object is allocated next. */
@SuppressWarnings("unused")
abstract class BreakerCountWindowPadAfter extends BreakerCountWindowHot {
    private long p11, p12, p13, p14, p15, p16, p17, p18;

    BreakerCountWindowPadAfter(int size, BreakerWindow.Thresholds thresholds) {
        super(size, thresholds);
    }
}
