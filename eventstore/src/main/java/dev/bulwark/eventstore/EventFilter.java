package dev.bulwark.eventstore;

import java.util.Arrays;
import java.util.Objects;
import java.util.Set;

/**
 * Which events of the global log a reader wants: by stream category, by event type, or both (an event must then
 * match both). An empty set means "any".
 *
 * <p>A stream's category is the part of its id before the first {@code '-'}, or the whole id when it has none:
 * {@code "order-42"} is in category {@code "order"}.
 *
 * <pre>{@code
 * store.readAll(0, 100, EventFilter.categories("order").andEventTypes("order-placed"));
 * }</pre>
 *
 * @param categories the stream categories to keep, or empty for all; copied
 * @param eventTypes the event type names to keep, or empty for all; copied
 */
public record EventFilter(Set<String> categories, Set<String> eventTypes) {

    /** Every event. */
    public static final EventFilter ALL = new EventFilter(Set.of(), Set.of());

    public EventFilter {
        categories = Set.copyOf(Objects.requireNonNull(categories, "categories"));
        eventTypes = Set.copyOf(Objects.requireNonNull(eventTypes, "eventTypes"));
    }

    /** Events of streams in any of these categories. */
    public static EventFilter categories(String... categories) {
        return new EventFilter(Set.copyOf(Arrays.asList(categories)), Set.of());
    }

    /** Events of any of these types. */
    public static EventFilter eventTypes(String... eventTypes) {
        return new EventFilter(Set.of(), Set.copyOf(Arrays.asList(eventTypes)));
    }

    /** This filter, further restricted to these event types. */
    public EventFilter andEventTypes(String... eventTypes) {
        return new EventFilter(categories, Set.copyOf(Arrays.asList(eventTypes)));
    }

    /** Whether this filter keeps every event. */
    public boolean isAll() {
        return categories.isEmpty() && eventTypes.isEmpty();
    }

    /** Whether an event of this type in this stream passes. */
    public boolean matches(String streamId, String eventType) {
        return (categories.isEmpty() || categories.contains(categoryOf(streamId)))
                && (eventTypes.isEmpty() || eventTypes.contains(eventType));
    }

    /** The category of a stream: its id up to the first {@code '-'}, or the whole id. */
    public static String categoryOf(String streamId) {
        int dash = streamId.indexOf('-');
        return dash < 0 ? streamId : streamId.substring(0, dash);
    }
}
