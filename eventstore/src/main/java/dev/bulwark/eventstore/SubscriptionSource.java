package dev.bulwark.eventstore;

import java.util.List;

/**
 * What a {@link SubscriptionLoop} reads from: a backend's global log or one stream. The loop calls {@link #read}
 * and {@link #await} from its own thread only; {@link #wakeUp()} may come from any thread.
 */
interface SubscriptionSource extends AutoCloseable {

    /**
     * A page read after a checkpoint.
     *
     * @param events the events, in order
     * @param checkpoint how far the read got (a position or a version): the next read continues after it
     * @param end whether the read reached the end of what is readable now
     */
    record Page(List<RecordedEvent> events, long checkpoint, boolean end) {

        /** A page of the global log. */
        static Page of(GlobalSlice slice) {
            return new Page(slice.events(), slice.checkpoint(), slice.endOfLog());
        }

        /** A page of a stream read forward after version {@code checkpoint}: its checkpoint is the last version. */
        static Page of(StreamSlice slice, long checkpoint) {
            List<RecordedEvent> events = slice.events();
            long last = events.isEmpty() ? checkpoint : events.get(events.size() - 1).version();
            return new Page(events, last, slice.endOfStream());
        }
    }

    /** Reads a page after a checkpoint, for sources that need nothing of their own to read with. */
    interface PageReader {
        Page read(long checkpoint, int maxCount);
    }

    /** Reads at most {@code maxCount} events after {@code checkpoint}. */
    Page read(long checkpoint, int maxCount) throws Exception;

    /**
     * Blocks until events may have been added since the last {@link #read} began, or {@link #wakeUp()} is called,
     * or the source's own safety timeout passes. Must not lose a signal that came during the last read.
     */
    void await() throws Exception;

    /** Makes a current or the next {@link #await()} return at once. */
    void wakeUp();

    /** Releases what the source holds (a connection, for example). */
    @Override
    void close();
}
