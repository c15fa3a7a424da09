package dev.bulwark.eventstore;

import dev.bulwark.resilience.ManualClock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The specification every {@link EventStore} backend passes. A backend's test extends this class and says how to
 * open a store over storage that is empty at the start of each test:
 *
 * <pre>{@code
 * class InMemoryEventStoreTest extends EventStoreConformanceTest {
 *     private final MemoryStorage storage = new MemoryStorage();
 *
 *     @Override
 *     protected EventStore open(EventStoreSettings settings) {
 *         return new InMemoryEventStore(storage, settings);
 *     }
 * }
 * }</pre>
 *
 * <p>The behaviours are grouped in contracts (test interfaces): appending, concurrency, reading, deletion and
 * truncation, snapshots, upcasting, subscriptions and bad input. The suite is published in this module's test-jar.
 */
public abstract class EventStoreConformanceTest implements AppendContract, ConcurrencyContract, ReadContract,
        DeletionContract, SnapshotContract, UpcastingContract, SubscriptionContract, BadInputContract {

    private final List<EventStore> opened = new ArrayList<>();
    private ManualClock clock;
    private ExecutorService executor;
    private EventStore store;

    /**
     * Opens a store over this test's storage: empty at the first call of each test, and shared by every store
     * opened later in the same test (as after a restart).
     */
    protected abstract EventStore open(EventStoreSettings settings);

    @BeforeEach
    void startFixture() {
        clock = new ManualClock();
        executor = Executors.newCachedThreadPool();
        TestEvents.Counted.CONSTRUCTED.set(0);
    }

    @AfterEach
    void stopFixture() throws InterruptedException {
        for (EventStore each : opened) {
            each.close();
        }
        executor.shutdownNow();
        executor.awaitTermination(10, TimeUnit.SECONDS);
    }

    @Override
    public EventStore store() {
        if (store == null) {
            store = reopen(settings().build());
        }
        return store;
    }

    @Override
    public EventStore reopen(EventStoreSettings settings) {
        EventStore next = open(settings);
        opened.add(next);
        return next;
    }

    @Override
    public EventStoreSettings.Builder settings() {
        return EventStoreSettings.builder(EventSerializer.create(TestEvents.registry())).clock(clock);
    }

    @Override
    public ManualClock clock() {
        return clock;
    }

    @Override
    public ExecutorService executor() {
        return executor;
    }
}
