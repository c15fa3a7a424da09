package dev.bulwark.cqrs;

import dev.bulwark.eventstore.RecordedEvent;

/**
 * Keeps a read model in memory up to date from the global log. Its checkpoint lives in memory next to it, so after
 * a restart it starts empty and replays the log: no event is applied twice to the same read model.
 *
 * <p>{@link #apply} is called by the {@link ProjectionRunner}'s one thread, in log order; queries may read the model
 * from other threads, so it should be made of concurrent (or immutable, swapped) structures. An event that makes
 * {@code apply} throw is tried again and eventually parked; {@code apply} must then leave the model as it was.
 *
 * <pre>{@code
 * final class OrderCounts implements Projection {
 *     final ConcurrentHashMap<String, Integer> placedByCustomer = new ConcurrentHashMap<>();
 *
 *     public void apply(RecordedEvent event) {
 *         if (event.data() instanceof OrderPlaced placed) {
 *             placedByCustomer.merge(placed.customer(), 1, Integer::sum);
 *         }
 *     }
 *
 *     public void reset() {
 *         placedByCustomer.clear();
 *     }
 * }
 * }</pre>
 */
public interface Projection {

    /** Applies one event to the read model. */
    void apply(RecordedEvent event) throws Exception;

    /** Empties the read model, before a rebuild replays the log from the start. */
    void reset() throws Exception;
}
