package dev.bulwark.cqrs;

import dev.bulwark.eventstore.GlobalSlice;
import dev.bulwark.eventstore.RecordedEvent;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies events to a read model for the runner's thread: a page in one go when it can, event by event with retries
 * and parking when it must.
 *
 * <p>Order per key: once an event is parked under a key, every later event with that key is parked behind it
 * without being tried, until an operator retries or discards the key. So the events of one key are applied in log
 * order or not at all.
 */
final class ProcessingStep {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessingStep.class);
    private static final int MAX_ERROR_LENGTH = 2000;

    private final String name;
    private final ReadModel model;
    private final ProjectionConfig config;
    private final BooleanSupplier closing;
    private final LongConsumer advanced;
    private final EventAttempts attempts;
    /** Keys with parked events; used by the runner's thread only. */
    private Set<String> parkedKeys = new HashSet<>();

    ProcessingStep(String name, ReadModel model, ProjectionConfig config, BooleanSupplier closing,
            LongConsumer advanced) {
        this.name = name;
        this.model = model;
        this.config = config;
        this.closing = closing;
        this.advanced = advanced;
        this.attempts = new EventAttempts(config, closing);
    }

    EventAttempts attempts() {
        return attempts;
    }

    void parkedKeys(Set<String> keys) {
        parkedKeys = new HashSet<>(keys);
    }

    /** Processes one page read after {@code checkpoint}, then moves the checkpoint to the page's end. */
    void page(GlobalSlice page, long checkpoint) throws Exception {
        List<RecordedEvent> events = page.events();
        int from = 0;
        if (!events.isEmpty() && noneParked(events)) {
            try {
                model.apply(events, page.checkpoint());
                advanced.accept(page.checkpoint());
                return;
            } catch (ReadModel.ApplyFailure e) {
                from = e.applied;
                if (from > 0) {
                    advanced.accept(events.get(from - 1).position());
                }
            }
        }
        for (int i = from; i < events.size(); i++) {
            if (closing.getAsBoolean() || !one(events.get(i))) {
                return;
            }
        }
        long last = events.isEmpty() ? checkpoint : events.get(events.size() - 1).position();
        if (page.checkpoint() > last) {
            model.advance(page.checkpoint());
            advanced.accept(page.checkpoint());
        }
    }

    /**
     * Applies one event, or parks it. Returns false if the runner began closing while it waited between attempts:
     * the event is then neither applied nor parked.
     */
    boolean one(RecordedEvent event) throws Exception {
        String key = keyOf(event);
        if (parkedKeys.contains(key)) {
            park(event, key, 0, "an earlier event with key '" + key + "' is parked");
            return true;
        }
        EventAttempts.Result result = attempts.run(() -> model.apply(List.of(event), event.position()));
        if (result.stopped()) {
            return false;
        }
        if (!result.succeeded()) {
            park(event, key, result.attempts(), describe(result.failure()));
            parkedKeys.add(key);
            LOG.warn("projection '{}' parked {}@{} (position {}, key '{}') after {} attempts", name, event.streamId(),
                    event.version(), event.position(), key, result.attempts(), result.failure());
            return true;
        }
        advanced.accept(event.position());
        return true;
    }

    private void park(RecordedEvent event, String key, int attempts, String error) throws Exception {
        model.park(new ParkedEvent(name, key, event.position(), event.streamId(), event.version(), event.eventId(),
                event.type(), attempts, error, Instant.ofEpochMilli(config.clock().currentTimeMillis())));
        advanced.accept(event.position());
    }

    private boolean noneParked(List<RecordedEvent> events) {
        if (parkedKeys.isEmpty()) {
            return true;
        }
        for (RecordedEvent event : events) {
            if (parkedKeys.contains(keyOf(event))) {
                return false;
            }
        }
        return true;
    }

    private String keyOf(RecordedEvent event) {
        String key = config.keyOf().apply(event);
        return key != null ? key : event.streamId();
    }

    private static String describe(Throwable failure) {
        String text = String.valueOf(failure);
        return text.length() <= MAX_ERROR_LENGTH ? text : text.substring(0, MAX_ERROR_LENGTH) + "...";
    }
}
