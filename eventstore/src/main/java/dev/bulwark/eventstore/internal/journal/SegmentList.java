package dev.bulwark.eventstore.internal.journal;

import java.io.IOException;
import java.util.Arrays;

/**
 * The open segments, numbered consecutively from the first. Copy on write: the writer adds one when it rolls to a
 * new segment, readers look segments up without locking.
 */
final class SegmentList {
    private volatile Segment[] segments = new Segment[0];

    /** Adds the segment that follows the last one. Only the opener and writers (under the sequence lock) call this. */
    void add(Segment segment) {
        Segment[] current = segments;
        if (current.length > 0 && segment.number != current[current.length - 1].number + 1) {
            throw new IllegalArgumentException("segment " + segment.number + " does not follow "
                    + current[current.length - 1].number);
        }
        Segment[] next = Arrays.copyOf(current, current.length + 1);
        next[current.length] = segment;
        segments = next;
    }

    Segment get(long number) {
        Segment[] current = segments;
        long index = number - current[0].number;
        if (index < 0 || index >= current.length) {
            throw new IllegalStateException("no segment " + number + " (the journal has " + current[0].number + " to "
                    + current[current.length - 1].number + ")");
        }
        return current[(int) index];
    }

    Segment last() {
        Segment[] current = segments;
        return current[current.length - 1];
    }

    int size() {
        return segments.length;
    }

    /** Closes every segment, reporting the first failure after trying all. */
    void closeAll() throws IOException {
        IOException failure = null;
        for (Segment segment : segments) {
            try {
                segment.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
