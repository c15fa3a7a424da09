package dev.bulwark.eventstore;

import dev.bulwark.resilience.ManualClock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;

/**
 * What the conformance contracts need from the backend under test. {@link EventStoreConformanceTest} implements
 * it; a backend only says how to open a store.
 */
public interface StoreFixture {

    /** The store of the current test, opened with {@link #settings()} on first use. */
    EventStore store();

    /**
     * Opens another store over the same storage as {@link #store()}, as an application restarted with other
     * settings (another registry, say) would. Closed after the test.
     */
    EventStore reopen(EventStoreSettings settings);

    /** The settings the suite's stores use: {@link TestEvents#registry()}, {@link #clock()}, defaults otherwise. */
    EventStoreSettings.Builder settings();

    /** The clock of the suite's stores. */
    ManualClock clock();

    /** Threads for subscriptions and racing appenders; shut down after the test. */
    ExecutorService executor();

    /** Events with fresh ids for the given data. */
    static List<EventData> events(Object... data) {
        List<EventData> events = new ArrayList<>();
        for (Object value : data) {
            events.add(EventData.of(value));
        }
        return events;
    }

    /** The data of events, in order. */
    static List<Object> data(List<RecordedEvent> events) {
        return events.stream().map(RecordedEvent::data).toList();
    }
}
