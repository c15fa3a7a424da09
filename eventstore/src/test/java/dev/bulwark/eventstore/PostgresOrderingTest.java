package dev.bulwark.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulwark.eventstore.TestEvents.ItemAdded;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Eight writers append in transactions of random length to a few shared streams; some take their transaction id
 * early (so they commit late relative to it), some roll back. A subscriber follows the global log meanwhile.
 * Afterwards it must have seen every committed event exactly once, no rolled-back event, positions rising, and each
 * stream's versions in order.
 */
class PostgresOrderingTest {
    private static final int WRITERS = 8;
    private static final int TRANSACTIONS_PER_WRITER = 30;
    private static final List<String> STREAMS = List.of("cart-1", "cart-2", "cart-3", "wishlist-1", "wishlist-2");

    private static PostgresFixture fixture;
    /** Event id → the order in which its transaction's commit returned. */
    private static final Map<UUID, Long> COMMIT_ORDER = new ConcurrentHashMap<>();
    private static final AtomicLong COMMITS = new AtomicLong();

    @BeforeAll
    static void start() {
        fixture = PostgresFixture.start(WRITERS + 4);
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    void aSubscriberSeesEveryCommittedEventOnceInOrderAndNoRolledBackOne() throws Exception {
        PostgresEventStore store = fixture.store(PostgresFixture.settings().subscriptionBatchSize(7).build());
        ExecutorService executor = Executors.newCachedThreadPool();
        Set<UUID> committed = ConcurrentHashMap.newKeySet();
        Set<UUID> rolledBack = ConcurrentHashMap.newKeySet();
        List<RecordedEvent> seen = new CopyOnWriteArrayList<>();
        try (Subscription subscription = store.subscribeToAll(EventStore.START, EventFilter.ALL, seen::add, executor)) {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                writers.add(executor.submit(() -> {
                    go.await();
                    for (int t = 0; t < TRANSACTIONS_PER_WRITER; t++) {
                        transaction(store, writer, t, committed, rolledBack);
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> writer : writers) {
                writer.get(120, TimeUnit.SECONDS);
            }

            await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() >= committed.size());
            // One more append after everything: once it is seen, nothing earlier can still be on its way.
            AppendResult marker = store.append("marker-1", ExpectedVersion.NO_STREAM,
                    List.of(EventData.of(new ItemAdded("marker", 0))));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> !seen.isEmpty() && seen.get(seen.size() - 1).position() == marker.position());
        } finally {
            executor.shutdownNow();
        }

        List<RecordedEvent> events = seen.subList(0, seen.size() - 1);
        List<UUID> ids = events.stream().map(RecordedEvent::eventId).toList();
        assertThat(committed).as("some transactions committed").hasSizeGreaterThan(WRITERS * 5);
        assertThat(rolledBack).as("some transactions rolled back").isNotEmpty();
        assertThat(ids).as("each committed event once").doesNotHaveDuplicates();
        assertThat(new HashSet<>(ids)).as("exactly the committed events").isEqualTo(committed);
        assertThat(events).extracting(RecordedEvent::position).as("positions rise").isSorted();
        Map<String, Long> lastVersion = new HashMap<>();
        for (RecordedEvent event : events) {
            long previous = lastVersion.getOrDefault(event.streamId(), 0L);
            assertThat(event.version()).as("next version of %s after %s", event.streamId(), previous)
                    .isEqualTo(previous + 1);
            lastVersion.put(event.streamId(), event.version());
        }
        assertThat(store.readAll(EventStore.START, 10_000, EventFilter.ALL).events()).hasSize(events.size() + 1);
        long lateCommits = 0;
        for (int i = 1; i < events.size(); i++) {
            if (COMMIT_ORDER.get(events.get(i - 1).eventId()) > COMMIT_ORDER.get(events.get(i).eventId())) {
                lateCommits++;
            }
        }
        assertThat(lateCommits).as("transactions that committed after one with a higher position").isPositive();
    }

    /**
     * One writer transaction: maybe take the transaction id first and wait (a transaction that begins early and
     * commits late), append one to three events to a random stream, wait a random while holding the stream, then
     * commit or (one in five) roll back. A transient failure (a lost race) rolls back.
     */
    private static void transaction(PostgresEventStore store, int writer, int number, Set<UUID> committed,
            Set<UUID> rolledBack) throws Exception {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        List<EventData> events = new ArrayList<>();
        for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
            events.add(EventData.of(new ItemAdded("w" + writer + "-t" + number + "-" + i, i)));
        }
        Set<UUID> ids = new HashSet<>();
        events.forEach(event -> ids.add(event.eventId()));
        try (Connection connection = fixture.pool().getConnection()) {
            connection.setAutoCommit(false);
            try {
                if (random.nextBoolean()) {
                    try (Statement statement = connection.createStatement();
                            ResultSet xid = statement.executeQuery("SELECT pg_current_xact_id()")) {
                        xid.next();
                    }
                    Thread.sleep(random.nextInt(15));
                }
                store.append(connection, STREAMS.get(random.nextInt(STREAMS.size())), ExpectedVersion.ANY, events);
                Thread.sleep(random.nextInt(10));
                if (random.nextInt(5) == 0) {
                    connection.rollback();
                    rolledBack.addAll(ids);
                } else {
                    connection.commit();
                    long order = COMMITS.incrementAndGet();
                    ids.forEach(id -> COMMIT_ORDER.put(id, order));
                    committed.addAll(ids);
                }
            } catch (TransientEventStoreException e) {
                connection.rollback();
                rolledBack.addAll(ids);
            }
        }
    }
}
