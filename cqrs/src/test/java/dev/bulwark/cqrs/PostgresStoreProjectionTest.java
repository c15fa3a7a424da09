package dev.bulwark.cqrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulwark.cqrs.Bank.Account;
import dev.bulwark.cqrs.Bank.AccountCommand;
import dev.bulwark.cqrs.Bank.AccountEvent;
import dev.bulwark.cqrs.Bank.Deposit;
import dev.bulwark.cqrs.Bank.Deposited;
import dev.bulwark.cqrs.Bank.Open;
import dev.bulwark.eventstore.AppendResult;
import dev.bulwark.eventstore.EventFilter;
import dev.bulwark.eventstore.EventStore;
import dev.bulwark.eventstore.PostgresEventStore;
import dev.bulwark.eventstore.RecordedEvent;
import dev.bulwark.testsupport.TestPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes, each with its own {@link PostgresEventStore} on one database, run the same JDBC projection: the events
 * both append are applied exactly once across a takeover, and a command sent on one node is readable there once the
 * projection, active on either node, has reached it.
 */
class PostgresStoreProjectionTest {
    private static final ProjectionRunner.Status LIVE = ProjectionRunner.Status.LIVE;
    private static final ProjectionRunner.Status STANDBY = ProjectionRunner.Status.STANDBY;

    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private DataSource dataSource;

    @BeforeEach
    void setUp() throws Exception {
        dataSource = TestPostgres.freshDatabase().dataSource();
        ProjectionRunner.createJdbcSchema(dataSource);
        JdbcBalances.createTables(dataSource);
        store().createSchema();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
        executor.shutdownNow();
    }

    /** A node's own event store on the shared database. */
    private PostgresEventStore store() {
        PostgresEventStore store = PostgresEventStore.builder(dataSource, Bank.settings()
                .safetyPollInterval(Duration.ofMillis(200)).build()).build();
        closeables.add(store);
        return store;
    }

    private ProjectionRunner node(EventStore store) {
        ProjectionRunner runner = Nodes.balances(store, dataSource, executor);
        closeables.add(runner);
        return runner;
    }



    @Test
    void events_appended_on_both_nodes_are_applied_exactly_once_across_a_takeover() throws Exception {
        EventStore storeA = store();
        EventStore storeB = store();
        ProjectionRunner a = node(storeA);
        ProjectionRunner b = node(storeB);
        a.start();
        b.start();
        await().until(() -> Nodes.exactlyOneLive(a, b));
        ProjectionRunner active = a.status() == LIVE ? a : b;

        CompletableFuture<Void> writers = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 100; i++) {
                Bank.append(i % 2 == 0 ? storeA : storeB, "account-" + (i % 5), new Deposited(1));
                LockSupport.parkNanos(1_000_000);
            }
        }, executor);
        await().until(() -> active.position() > 0 && !writers.isDone());
        Nodes.terminateTheLockHoldersConnection(dataSource);
        writers.join();
        AppendResult last = Bank.append(storeA, "account-0", new Deposited(1));
        await().until(() -> Nodes.exactlyOneLive(a, b) && (a.status() == STANDBY || b.status() == STANDBY));
        Nodes.reach(a, last.position());
        Nodes.reach(b, last.position());

        List<Long> logged = storeA.readAll(EventStore.START, 1000, EventFilter.ALL).events().stream()
                .map(RecordedEvent::position).toList();
        assertThat(logged).hasSize(101);
        assertThat(JdbcBalances.applied(dataSource)).as("every event exactly once").isEqualTo(logged);
        assertThat(JdbcBalances.balances(dataSource).values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(101);
    }

    @Test
    void a_command_on_one_node_is_read_there_after_the_projection_active_on_the_other_node_reached_it() {
        EventStore storeA = store();
        EventStore storeB = store();
        ProjectionRunner onB = node(storeB);
        onB.start();
        await().until(() -> onB.status() == LIVE);
        ProjectionRunner onA = node(storeA);
        onA.start();
        await().until(() -> onA.status() == STANDBY);
        EventSourcedRepository<AccountCommand, AccountEvent, Account> accounts = EventSourcedRepository.create(
                storeA, Bank.DECIDER, AccountEvent.class, RepositoryConfig.builder("account").build());
        QueryBus queries = QueryBus.create();
        queries.register(String.class, Long.class, id -> JdbcBalances.balances(dataSource).get("account-" + id));

        accounts.handle("7", new Open("alice"));
        Decision<AccountEvent, Account> deposit = accounts.handle("7", new Deposit(25));
        Long balance = queries.query("7", Long.class,
                Consistency.reached(onA, deposit.position(), Duration.ofSeconds(30))).toCompletableFuture().join();

        assertThat(balance).isEqualTo(25L);
    }

}
