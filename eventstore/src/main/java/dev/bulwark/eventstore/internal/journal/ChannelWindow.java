package dev.bulwark.eventstore.internal.journal;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A sliding read buffer over a file, for scanning it front to back (and byte by byte, when looking for the next
 * valid record after a damaged one) without a system call per field. Not thread-safe; the file must not change
 * while it is scanned.
 */
final class ChannelWindow {
    private static final int CAPACITY = 1 << 20;

    private final Segment segment;
    private final long size;
    private final ByteBuffer window = ByteBuffer.allocate(CAPACITY);
    private long windowStart;
    private int windowLength;

    ChannelWindow(Segment segment) throws IOException {
        this.segment = segment;
        this.size = segment.size();
    }

    long size() {
        return size;
    }

    int getInt(long offset) throws IOException {
        return window.getInt(load(offset, 4));
    }

    long getLong(long offset) throws IOException {
        return window.getLong(load(offset, 8));
    }

    /** A fresh buffer holding {@code length} bytes from {@code offset}, positioned at 0. */
    ByteBuffer copy(long offset, int length) throws IOException {
        ByteBuffer copy = ByteBuffer.allocate(length);
        if (length <= CAPACITY) {
            int at = load(offset, length);
            copy.put(window.duplicate().limit(at + length).position(at));
            return copy.flip();
        }
        segment.read(copy, offset);
        return copy.flip();
    }

    /** Makes sure [offset, offset + length) is in the window; returns its index there. */
    private int load(long offset, int length) throws IOException {
        if (offset < 0 || offset + length > size) {
            throw new IllegalArgumentException("range [" + offset + ", " + (offset + length) + ") is outside the file"
                    + " of " + size + " bytes");
        }
        if (offset < windowStart || offset + length > windowStart + windowLength) {
            window.clear();
            window.limit((int) Math.min(CAPACITY, size - offset));
            segment.read(window, offset);
            windowStart = offset;
            windowLength = window.limit();
        }
        return (int) (offset - windowStart);
    }
}
