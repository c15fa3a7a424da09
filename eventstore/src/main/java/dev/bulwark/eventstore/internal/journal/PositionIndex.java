package dev.bulwark.eventstore.internal.journal;

import java.util.Arrays;

/**
 * Where each event of the global log is: the address of its record, by position (positions are dense from 1).
 * Chunked, so that growing never copies the entries.
 *
 * <p>The applying side appends (one thread at a time, see {@link JournalState}); any thread reads positions up to
 * {@link #head()}. Correct because an entry and any new chunk array are written before the volatile write of
 * {@code head} that makes them readable (through the journal's locks when another thread publishes), and are
 * never changed after.
 */
final class PositionIndex {
    private static final int CHUNK_BITS = 16;
    private static final int CHUNK_SIZE = 1 << CHUNK_BITS;

    private volatile long[][] chunks = new long[16][];
    /** Applying side only. */
    private long size;
    private volatile long head;

    /** Appends the address of the next position; returns that position. */
    long add(long address) {
        int chunk = (int) (size >>> CHUNK_BITS);
        long[][] current = chunks;
        if (chunk == current.length) {
            current = Arrays.copyOf(current, current.length * 2);
            chunks = current;
        }
        if (current[chunk] == null) {
            current[chunk] = new long[CHUNK_SIZE];
        }
        current[chunk][(int) (size & (CHUNK_SIZE - 1))] = address;
        return ++size;
    }

    /** The last position added, forced or not. Applying side only. */
    long size() {
        return size;
    }

    /** Makes the positions up to {@code head} readable. */
    void publish(long head) {
        this.head = head;
    }

    /** The last readable position. */
    long head() {
        return head;
    }

    /** The address of a position: readable ones from any thread, others only on the applying side. */
    long address(long position) {
        long index = position - 1;
        return chunks[(int) (index >>> CHUNK_BITS)][(int) (index & (CHUNK_SIZE - 1))];
    }
}
