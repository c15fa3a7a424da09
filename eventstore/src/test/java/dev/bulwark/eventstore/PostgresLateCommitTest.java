package dev.bulwark.eventstore;

import static dev.bulwark.eventstore.StoreFixture.data;
import static dev.bulwark.eventstore.StoreFixture.events;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulwark.eventstore.TestEvents.ItemAdded;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The failure PostgreSQL event stores are known for: a transaction that began earlier commits after a later one. A
 * reader must neither skip its events nor see positions go backwards.
 */
class PostgresLateCommitTest {
    private static PostgresFixture fixture;
    private PostgresEventStore store;
    private ExecutorService executor;

    @BeforeAll
    static void start() {
        fixture = PostgresFixture.start(8);
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @BeforeEach
    void openStore() {
        store = fixture.store(PostgresFixture.settings().safetyPollInterval(Duration.ofHours(1)).build());
        executor = Executors.newCachedThreadPool();
    }

    @AfterEach
    void closeStore() {
        store.close();
        executor.shutdownNow();
    }

    @Test
    void anEventThatCommitsLateIsReadAfterTheEarlierCheckpointNotSkipped() throws Exception {
        try (Connection slow = fixture.pool().getConnection()) {
            slow.setAutoCommit(false);
            AppendResult early = store.append(slow, "cart-slow", ExpectedVersion.NO_STREAM,
                    events(new ItemAdded("early", 1)));
            AppendResult later = store.append("cart-fast", ExpectedVersion.NO_STREAM, events(new ItemAdded("later", 2)));

            GlobalSlice whileOpen = store.readAll(EventStore.START, 10, EventFilter.ALL);
            slow.commit();
            GlobalSlice afterCommit = store.readAll(whileOpen.checkpoint(), 10, EventFilter.ALL);

            assertThat(whileOpen.events()).as("nothing is final while the early transaction runs").isEmpty();
            assertThat(whileOpen.checkpoint()).isLessThan(early.position());
            assertThat(early.position()).isLessThan(later.position());
            assertThat(data(afterCommit.events())).containsExactly(new ItemAdded("early", 1), new ItemAdded("later", 2));
        }
    }

    @Test
    void aRolledBackTransactionLeavesNothingAndReleasesTheReaders() throws Exception {
        try (Connection slow = fixture.pool().getConnection()) {
            slow.setAutoCommit(false);
            store.append(slow, "cart-slow", ExpectedVersion.NO_STREAM, events(new ItemAdded("never", 1)));
            store.append("cart-fast", ExpectedVersion.NO_STREAM, events(new ItemAdded("later", 2)));

            slow.rollback();

            assertThat(data(store.readAll(EventStore.START, 10, EventFilter.ALL).events()))
                    .containsExactly(new ItemAdded("later", 2));
            assertThat(store.readStream("cart-slow").exists()).isFalse();
        }
    }

    @Test
    void aLiveSubscriptionReceivesALateCommitBeforeTheEventsThatCommittedFirst() throws Exception {
        List<RecordedEvent> seen = new CopyOnWriteArrayList<>();
        try (Subscription subscription = store.subscribeToAll(EventStore.START, EventFilter.ALL, seen::add, executor);
                Connection slow = fixture.pool().getConnection()) {
            await().atMost(Duration.ofSeconds(20)).until(subscription::isLive);
            slow.setAutoCommit(false);
            store.append(slow, "cart-slow", ExpectedVersion.NO_STREAM, events(new ItemAdded("early", 1)));
            store.append("cart-fast", ExpectedVersion.NO_STREAM, events(new ItemAdded("later", 2)));

            slow.commit();

            await().atMost(Duration.ofSeconds(20)).until(() -> seen.size() >= 2);
            assertThat(data(seen)).containsExactly(new ItemAdded("early", 1), new ItemAdded("later", 2));
        }
    }

    @Test
    void aLongTransactionThatAppendsNothingOnlyDelaysDelivery() throws Exception {
        List<RecordedEvent> seen = new CopyOnWriteArrayList<>();
        try (Subscription subscription = store.subscribeToAll(EventStore.START, EventFilter.ALL, seen::add, executor);
                Connection unrelated = fixture.pool().getConnection()) {
            await().atMost(Duration.ofSeconds(20)).until(subscription::isLive);
            unrelated.setAutoCommit(false);
            try (Statement statement = unrelated.createStatement();
                    ResultSet xid = statement.executeQuery("SELECT pg_current_xact_id()")) {
                xid.next();
            }
            store.append("cart-1", ExpectedVersion.NO_STREAM, events(new ItemAdded("waiting", 1)));
            assertThat(store.readAll(EventStore.START, 10, EventFilter.ALL).events()).isEmpty();

            unrelated.rollback();

            // Nothing notifies when the unrelated transaction ends: the subscription's short re-reads find the event.
            await().atMost(Duration.ofSeconds(20)).until(() -> seen.size() == 1);
        }
    }
}
