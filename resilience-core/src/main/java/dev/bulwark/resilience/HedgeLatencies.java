package dev.bulwark.resilience;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The most recent latencies of a {@link Hedge}, in a fixed ring, and a percentile of them.
 *
 * <p>Lock-free and bounded: a writer claims a slot with one {@code getAndIncrement} and overwrites it, so
 * memory never grows and old samples age out. The percentile is not computed per call: every
 * {@link #RECOMPUTE_EVERY}th writer copies and sorts the ring (a few hundred longs) and publishes the
 * result through a volatile field that readers just read. A reader racing a writer may see a sample from the
 * previous lap; for a percentile over hundreds of samples that is noise, not error.
 */
final class HedgeLatencies {
    static final int RECOMPUTE_EVERY = 8;

    private final AtomicLongArray ring;
    private final int mask;
    private final AtomicLong written = new AtomicLong();
    private final double percentile;
    private final int minSamples;
    private volatile long percentileNanos = -1;

    /** @param capacity a power of two */
    HedgeLatencies(int capacity, double percentile) {
        this.ring = new AtomicLongArray(capacity);
        this.mask = capacity - 1;
        this.percentile = percentile;
        this.minSamples = Math.min(capacity, 20);
    }

    void record(long nanos) {
        long index = written.getAndIncrement();
        ring.set((int) (index & mask), nanos);
        long count = index + 1;
        if (count >= minSamples && (count == minSamples || count % RECOMPUTE_EVERY == 0)) {
            recompute(count);
        }
    }

    /** The percentile of the recorded latencies, or -1 until enough are recorded. */
    long percentileNanos() {
        return percentileNanos;
    }

    private void recompute(long count) {
        int size = (int) Math.min(count, ring.length());
        long[] samples = new long[size];
        for (int i = 0; i < size; i++) {
            samples[i] = ring.get(i);
        }
        Arrays.sort(samples);
        int rank = (int) Math.ceil(percentile / 100.0 * size) - 1;
        percentileNanos = samples[Math.max(0, Math.min(size - 1, rank))];
    }
}
