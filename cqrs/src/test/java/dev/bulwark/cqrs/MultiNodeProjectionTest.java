package dev.bulwark.cqrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulwark.cqrs.Bank.Deposited;
import dev.bulwark.cqrs.Bank.Opened;
import dev.bulwark.eventstore.AppendResult;
import dev.bulwark.eventstore.EventData;
import dev.bulwark.eventstore.EventStore;
import dev.bulwark.eventstore.ExpectedVersion;
import dev.bulwark.testsupport.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.LongStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two runners of the same JDBC projection, as on two nodes: one is active at a time, the other takes over when it
 * stops or its connection dies, and no event is applied twice. (Both read one in-memory event store; the lock,
 * the fencing and the checkpoint are all in PostgreSQL.)
 */
class MultiNodeProjectionTest {
    private static final ProjectionRunner.Status LIVE = ProjectionRunner.Status.LIVE;
    private static final ProjectionRunner.Status STANDBY = ProjectionRunner.Status.STANDBY;

    private final EventStore store = Bank.store();
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<ProjectionRunner> runners = new ArrayList<>();
    private DataSource dataSource;

    @BeforeEach
    void setUp() throws Exception {
        dataSource = TestPostgres.freshDatabase().dataSource();
        ProjectionRunner.createJdbcSchema(dataSource);
        JdbcBalances.createTables(dataSource);
        store.append("account-0", ExpectedVersion.NO_STREAM, List.of(EventData.of(new Opened("alice"))));
    }

    @AfterEach
    void tearDown() {
        runners.forEach(ProjectionRunner::close);
        store.close();
        executor.shutdownNow();
    }

    private ProjectionRunner node() {
        ProjectionRunner runner = Nodes.balances(store, dataSource, executor);
        runners.add(runner);
        return runner;
    }

    private AppendResult deposit(int amount) {
        return store.append("account-0", ExpectedVersion.ANY, List.of(EventData.of(new Deposited(amount))));
    }


    private List<Long> everyPositionOnce() {
        return LongStream.rangeClosed(1, store.headPosition()).boxed().toList();
    }

    @Test
    void nodes_creating_the_schema_at_the_same_time_do_not_fail() throws Exception {
        DataSource fresh = TestPostgres.freshDatabase().dataSource();
        List<CompletableFuture<Void>> nodes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            nodes.add(CompletableFuture.runAsync(() -> ProjectionRunner.createJdbcSchema(fresh), executor));
        }

        CompletableFuture.allOf(nodes.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);

        try (Connection connection = fresh.getConnection(); Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT count(*) FROM bulwark_projection_checkpoints")) {
            assertThat(row.next()).isTrue();
            assertThat(row.getLong(1)).isZero();
        }
    }

    @Test
    void one_runner_is_active_the_other_stands_by_and_takes_over_when_the_first_stops() throws Exception {
        ProjectionRunner first = node();
        ProjectionRunner second = node();
        first.start();
        await().until(() -> first.status() == LIVE);
        second.start();
        await().until(() -> second.status() == STANDBY);

        Nodes.reach(first, deposit(1).position());
        first.close();
        await().until(() -> second.status() == LIVE);
        AppendResult last = deposit(2);
        Nodes.reach(second, last.position());

        assertThat(JdbcBalances.applied(dataSource)).isEqualTo(everyPositionOnce());
        assertThat(JdbcBalances.balances(dataSource)).containsEntry("account-0", 3L);
    }

    @Test
    void a_standby_sees_the_active_nodes_progress_and_refuses_operator_actions() throws Exception {
        ProjectionRunner active = node();
        active.start();
        await().until(() -> active.status() == LIVE);
        ProjectionRunner standby = node();
        standby.start();
        await().until(() -> standby.status() == STANDBY);

        AppendResult written = deposit(5);
        Nodes.reach(standby, written.position());
        CompletableFuture<Void> rebuild = standby.rebuild().toCompletableFuture();

        assertThat(JdbcBalances.balances(dataSource)).containsEntry("account-0", 5L);
        assertThat(rebuild).isCompletedExceptionally();
        assertThat(rebuild.handle((done, failure) -> failure.getMessage()).join())
                .isEqualTo("projection 'balances' is on standby: another node's runner is active");
    }

    @Test
    void when_the_active_runners_connection_dies_mid_stream_a_runner_takes_over_and_nothing_is_applied_twice()
            throws Exception {
        ProjectionRunner a = node();
        ProjectionRunner b = node();
        a.start();
        b.start();
        await().until(() -> Nodes.exactlyOneLive(a, b));
        ProjectionRunner active = a.status() == LIVE ? a : b;

        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 200; i++) {
                deposit(1);
                LockSupport.parkNanos(500_000);
            }
        }, executor);
        await().until(() -> active.position() > 20);
        Nodes.terminateTheLockHoldersConnection(dataSource);
        writer.join();
        // An idle runner notices a lost connection at its next transaction; give both one more event.
        AppendResult last = deposit(1);
        await().until(() -> Nodes.exactlyOneLive(a, b) && (a.status() == STANDBY || b.status() == STANDBY));
        Nodes.reach(a, last.position());
        Nodes.reach(b, last.position());

        assertThat(JdbcBalances.applied(dataSource)).isEqualTo(everyPositionOnce());
        assertThat(JdbcBalances.balances(dataSource)).containsEntry("account-0", 201L);
        assertThat(epoch()).as("a runner took over after the kill").isGreaterThanOrEqualTo(2);
    }


    private long epoch() throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT epoch FROM bulwark_projection_checkpoints")) {
            assertThat(row.next()).isTrue();
            return row.getLong(1);
        }
    }

}
