package dev.bulwark.eventstore.internal.journal;

import java.nio.ByteBuffer;

/** A heap byte buffer that doubles when it runs out of room. Not thread-safe. */
final class GrowableBuffer {
    private ByteBuffer buffer;

    GrowableBuffer(int initialCapacity) {
        buffer = ByteBuffer.allocate(initialCapacity);
    }

    /** The buffer, with at least {@code bytes} remaining; write into it right away, it may be replaced later. */
    ByteBuffer reserve(int bytes) {
        if (buffer.remaining() < bytes) {
            long needed = (long) buffer.position() + bytes;
            if (needed > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("buffer cannot grow past 2 GiB, needs " + needed);
            }
            int capacity = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(needed, 2L * buffer.capacity()));
            ByteBuffer larger = ByteBuffer.allocate(capacity);
            buffer.flip();
            larger.put(buffer);
            buffer = larger;
        }
        return buffer;
    }

    /** The bytes written so far, as a read-only view (from 0 to the write position). */
    ByteBuffer written() {
        return buffer.duplicate().flip().asReadOnlyBuffer();
    }

    /** How many bytes were written. */
    int size() {
        return buffer.position();
    }
}
