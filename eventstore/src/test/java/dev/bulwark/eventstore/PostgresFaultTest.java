package dev.bulwark.eventstore;

import static dev.bulwark.eventstore.StoreFixture.events;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.eventstore.FaultyDataSource.Fault;
import dev.bulwark.eventstore.TestEvents.ItemAdded;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A connection lost in the middle of an append leaves it committed or not, never half, and says which it knows. */
class PostgresFaultTest {
    private static PostgresFixture fixture;
    private FaultyDataSource faulty;
    private PostgresEventStore store;

    @BeforeAll
    static void start() {
        fixture = PostgresFixture.start(6);
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @BeforeEach
    void openStore() {
        faulty = new FaultyDataSource(fixture.pool(), fixture.database().dataSource());
        store = fixture.store(faulty, PostgresFixture.settings().build());
    }

    private List<StreamAppend> twoStreams() {
        return List.of(new StreamAppend("cart-1", ExpectedVersion.NO_STREAM, events(new ItemAdded("a", 1))),
                new StreamAppend("cart-2", ExpectedVersion.NO_STREAM, events(new ItemAdded("b", 1))));
    }

    @Test
    void aConnectionLostBetweenTheStatementsOfAMultiStreamAppendStoresNothing() {
        List<StreamAppend> appends = twoStreams();
        faulty.arm(Fault.BEFORE_SECOND_STATEMENT);

        assertThatThrownBy(() -> store.appendAll(appends))
                .isInstanceOfSatisfying(TransientEventStoreException.class,
                        e -> assertThat(e.outcomeUnknown()).isFalse())
                .hasMessageStartingWith("append to streams [cart-1, cart-2] failed");
        assertThat(store.readAll(EventStore.START, 10, EventFilter.ALL).events()).isEmpty();

        assertThat(store.appendAll(appends)).extracting(AppendResult::version).containsExactly(1L, 1L);
    }

    @Test
    void aConnectionLostAtCommitStoresAllOrNothingAndARetryStoresOnce() {
        List<StreamAppend> appends = twoStreams();
        faulty.arm(Fault.BEFORE_COMMIT);

        assertThatThrownBy(() -> store.appendAll(appends))
                .isInstanceOfSatisfying(TransientEventStoreException.class,
                        e -> assertThat(e.outcomeUnknown()).isTrue())
                .hasMessageContaining("it may have committed: retrying with the same event ids is safe");
        assertThat(store.readAll(EventStore.START, 10, EventFilter.ALL).events().size()).isIn(0, 2);

        store.appendAll(appends);
        assertThat(store.readAll(EventStore.START, 10, EventFilter.ALL).events()).hasSize(2);
    }

    @Test
    void aReplyLostAfterTheAppendCommittedIsReportedAsUnknownAndTheRetryReturnsTheFirstResult() {
        List<EventData> batch = events(new ItemAdded("a", 1), new ItemAdded("b", 2));
        faulty.arm(Fault.AFTER_STATEMENT_COMMITS);

        assertThatThrownBy(() -> store.append("cart-1", ExpectedVersion.NO_STREAM, batch))
                .isInstanceOfSatisfying(TransientEventStoreException.class,
                        e -> assertThat(e.outcomeUnknown()).isTrue());
        List<RecordedEvent> stored = store.readStream("cart-1").events();
        assertThat(stored).hasSize(2);

        AppendResult retry = store.append("cart-1", ExpectedVersion.NO_STREAM, batch);

        assertThat(retry).isEqualTo(new AppendResult("cart-1", 2, stored.get(1).position()));
        assertThat(store.readStream("cart-1").events()).hasSize(2);
    }

    @Test
    void failuresAreClassifiedBySqlState() {
        assertThat(SqlFailures.translate("x", new SQLException("gone", "08006"), true))
                .isInstanceOfSatisfying(TransientEventStoreException.class, e -> assertThat(e.outcomeUnknown()).isTrue());
        assertThat(SqlFailures.translate("x", new SQLException("gone", "08006"), false))
                .isInstanceOfSatisfying(TransientEventStoreException.class,
                        e -> assertThat(e.outcomeUnknown()).isFalse());
        assertThat(SqlFailures.translate("x", new SQLException("deadlock", "40P01"), true))
                .isInstanceOfSatisfying(TransientEventStoreException.class,
                        e -> assertThat(e.outcomeUnknown()).isFalse());
        assertThat(SqlFailures.translate("x", new SQLException("serialization", "40001"), true))
                .isInstanceOf(TransientEventStoreException.class);
        assertThat(SqlFailures.translate("x", new SQLException("shutdown", "57P01"), true))
                .isInstanceOf(TransientEventStoreException.class);
        assertThat(SqlFailures.translate("x", new SQLTransientConnectionException("pool empty"), false))
                .isInstanceOf(TransientEventStoreException.class);
        assertThat(SqlFailures.translate("read stream x", new SQLException("relation does not exist", "42P01"), false))
                .isNotInstanceOf(TransientEventStoreException.class)
                .hasMessage("read stream x failed: relation does not exist (SQLSTATE 42P01)");
    }
}
