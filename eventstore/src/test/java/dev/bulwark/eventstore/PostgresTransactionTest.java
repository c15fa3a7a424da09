package dev.bulwark.eventstore;

import static dev.bulwark.eventstore.StoreFixture.data;
import static dev.bulwark.eventstore.StoreFixture.events;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.eventstore.TestEvents.ItemAdded;
import dev.bulwark.eventstore.TestEvents.ItemRemoved;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Appends inside the caller's transaction commit and roll back with it. */
class PostgresTransactionTest {
    private static PostgresFixture fixture;
    private PostgresEventStore store;

    @BeforeAll
    static void start() {
        fixture = PostgresFixture.start(4);
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @BeforeEach
    void openStore() {
        store = fixture.store(PostgresFixture.settings().build());
    }

    @Test
    void eventsAppendedInATransactionAppearWhenItCommits() throws Exception {
        try (Connection connection = fixture.pool().getConnection()) {
            connection.setAutoCommit(false);
            AppendResult first = store.append(connection, "cart-1", ExpectedVersion.NO_STREAM,
                    events(new ItemAdded("a", 1)));
            AppendResult second = store.append(connection, "cart-1", first.nextExpectedVersion(),
                    events(new ItemRemoved("a")));
            List<AppendResult> both = store.appendAll(connection, List.of(
                    new StreamAppend("cart-2", ExpectedVersion.NO_STREAM, events(new ItemAdded("b", 1))),
                    new StreamAppend("cart-1", ExpectedVersion.exactly(2), events(new ItemAdded("c", 1)))));
            assertThat(store.readStream("cart-1").exists()).as("invisible before commit").isFalse();

            connection.commit();

            assertThat(List.of(first.position(), second.position(), both.get(0).position(), both.get(1).position()))
                    .as("one transaction, increasing positions").doesNotHaveDuplicates();
            assertThat(second.position()).isGreaterThan(first.position());
            assertThat(both).extracting(AppendResult::streamId).containsExactly("cart-2", "cart-1");
            assertThat(data(store.readStream("cart-1").events()))
                    .containsExactly(new ItemAdded("a", 1), new ItemRemoved("a"), new ItemAdded("c", 1));
            assertThat(store.readAll(EventStore.START, 10, EventFilter.ALL).events())
                    .extracting(RecordedEvent::position).isSorted().hasSize(4);
        }
    }

    @Test
    void eventsAppendedInATransactionVanishWhenItRollsBack() throws Exception {
        try (Connection connection = fixture.pool().getConnection()) {
            connection.setAutoCommit(false);
            store.append(connection, "cart-1", ExpectedVersion.NO_STREAM, events(new ItemAdded("a", 1)));

            connection.rollback();

            assertThat(store.readStream("cart-1").exists()).isFalse();
            assertThat(store.headPosition()).isEqualTo(EventStore.START);
        }
    }

    @Test
    void aFailedAppendLeavesTheCallersTransactionUsable() throws Exception {
        store.append("cart-1", ExpectedVersion.NO_STREAM, events(new ItemAdded("a", 1)));
        try (Connection connection = fixture.pool().getConnection()) {
            connection.setAutoCommit(false);
            store.append(connection, "cart-2", ExpectedVersion.NO_STREAM, events(new ItemAdded("b", 1)));

            assertThatThrownBy(() -> store.append(connection, "cart-1", ExpectedVersion.NO_STREAM,
                    events(new ItemAdded("c", 1)))).isInstanceOf(WrongExpectedVersionException.class);
            try (Statement statement = connection.createStatement();
                    ResultSet one = statement.executeQuery("SELECT 1")) {
                assertThat(one.next()).isTrue();
            }
            connection.commit();
        }
        assertThat(store.readStream("cart-2").events()).hasSize(1);
        assertThat(store.readStream("cart-1").events()).hasSize(1);
    }

    @Test
    void anAutoCommitConnectionIsRefused() throws Exception {
        try (Connection connection = fixture.pool().getConnection()) {
            assertThatThrownBy(() -> store.append(connection, "cart-1", ExpectedVersion.ANY,
                    events(new ItemAdded("a", 1))))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("connection must be in a transaction (autoCommit false)");
        }
    }
}
