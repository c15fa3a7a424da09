package dev.bulwark.eventstore.internal.journal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Bytes appended in a list of heap chunks, each up to twice as large as the one before (at most
 * {@link #MAX_CHUNK_BYTES}, or the size of one reservation). Not thread-safe.
 *
 * <p>Chunks rather than one array that doubles: the writer appends record summaries here under its sequence lock,
 * and a full segment's summaries run to megabytes, so a doubling array would copy them again at each doubling (and
 * allocate ever larger arrays) while every appender waits for the lock.
 */
final class GrowableBuffer {
    static final int MAX_CHUNK_BYTES = 1 << 20;
    /** The most bytes it holds: a checkpoint stores their count as an int. */
    private static final long MAX_BYTES = Integer.MAX_VALUE - 8;

    private final List<ByteBuffer> chunks = new ArrayList<>();
    private ByteBuffer current;
    /** The bytes in the chunks before {@code current}. */
    private long before;

    GrowableBuffer(int initialCapacity) {
        current = ByteBuffer.allocate(initialCapacity);
        chunks.add(current);
    }

    /** A buffer with at least {@code bytes} remaining; write into it right away, a later call may start another. */
    ByteBuffer reserve(int bytes) {
        if (current.remaining() < bytes) {
            long needed = size() + bytes;
            if (needed > MAX_BYTES) {
                throw new IllegalStateException("buffer cannot grow past 2 GiB, needs " + needed);
            }
            before += current.position();
            current = ByteBuffer.allocate(Math.max(bytes, Math.min(MAX_CHUNK_BYTES, 2 * current.capacity())));
            chunks.add(current);
        }
        return current;
    }

    /** The bytes written so far, in order, as read-only views (each from 0 to its chunk's write position). */
    ByteBuffer[] written() {
        ByteBuffer[] views = new ByteBuffer[chunks.size()];
        for (int i = 0; i < views.length; i++) {
            views[i] = chunks.get(i).duplicate().flip().asReadOnlyBuffer();
        }
        return views;
    }

    /** How many bytes were written. */
    long size() {
        return before + current.position();
    }
}
