package dev.bulwark.eventstore;

import static dev.bulwark.eventstore.StoreFixture.events;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulwark.eventstore.TestEvents.ItemAdded;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Many appends committing concurrently each notify; subscribers must be woken for every one of them, never left to
 * the (here: hour-long) safety poll, and see them all in order.
 */
class PostgresNotificationTest {
    private static final int WRITERS = 6;
    private static final int APPENDS_PER_WRITER = 40;
    private static PostgresFixture fixture;

    @BeforeAll
    static void start() {
        fixture = PostgresFixture.start(WRITERS + 4);
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    void concurrentAppendsWakeGlobalAndStreamSubscribersWithoutTheSafetyPoll() throws Exception {
        PostgresEventStore store = fixture.store(PostgresFixture.settings().safetyPollInterval(Duration.ofHours(1))
                .build());
        ExecutorService executor = Executors.newCachedThreadPool();
        List<RecordedEvent> all = new CopyOnWriteArrayList<>();
        List<RecordedEvent> lastStream = new CopyOnWriteArrayList<>();
        try (Subscription global = store.subscribeToAll(EventStore.START, EventFilter.ALL, all::add, executor);
                Subscription stream = store.subscribeToStream("cart-" + (WRITERS - 1), 0, lastStream::add, executor)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> global.isLive() && stream.isLive());
            for (int round = 0; round < 3; round++) {
                int rounds = round + 1;
                appendConcurrently(store, executor, round);

                await().atMost(Duration.ofSeconds(20)).until(() -> all.size() == rounds * WRITERS * APPENDS_PER_WRITER);
                await().atMost(Duration.ofSeconds(20)).until(() -> lastStream.size() == rounds * APPENDS_PER_WRITER);
            }
        } finally {
            executor.shutdownNow();
        }
        assertThat(all).extracting(RecordedEvent::position).isSorted().doesNotHaveDuplicates();
    }

    private static void appendConcurrently(EventStore store, ExecutorService executor, int round) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            String streamId = "cart-" + w;
            writers.add(executor.submit(() -> {
                go.await();
                for (int i = 0; i < APPENDS_PER_WRITER; i++) {
                    store.append(streamId, ExpectedVersion.ANY, events(new ItemAdded("r" + round + "-" + i, i)));
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> writer : writers) {
            writer.get(60, TimeUnit.SECONDS);
        }
    }
}
