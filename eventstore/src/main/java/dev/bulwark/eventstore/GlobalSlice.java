package dev.bulwark.eventstore;

import java.util.List;

/**
 * A page of the global log.
 *
 * <p>{@code checkpoint} is how far the log was scanned: the next read continues after it. It is at least the
 * position of the last event returned, and can be further when a filter skipped events, so a filtered reader need
 * not scan the same events again. Positions never go backwards: every event committed later gets a position above
 * any checkpoint a reader has been given.
 *
 * <pre>{@code
 * long checkpoint = 0;
 * GlobalSlice slice;
 * do {
 *     slice = store.readAll(checkpoint, 500, EventFilter.categories("order"));
 *     slice.events().forEach(projection::apply);
 *     checkpoint = slice.checkpoint();
 * } while (!slice.endOfLog());
 * }</pre>
 *
 * @param events the events, in position order; copied
 * @param checkpoint the position to continue after
 * @param endOfLog whether the read reached the end of the log as it was readable at that moment
 */
public record GlobalSlice(List<RecordedEvent> events, long checkpoint, boolean endOfLog) {

    public GlobalSlice {
        events = List.copyOf(events);
        if (checkpoint < 0) {
            throw new IllegalArgumentException("checkpoint must be >= 0, was " + checkpoint);
        }
    }
}
