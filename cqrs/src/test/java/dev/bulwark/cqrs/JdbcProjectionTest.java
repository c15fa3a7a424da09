package dev.bulwark.cqrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.bulwark.cqrs.Bank.Deposited;
import dev.bulwark.cqrs.Bank.Opened;
import dev.bulwark.cqrs.Bank.Withdrawn;
import dev.bulwark.eventstore.AppendResult;
import dev.bulwark.eventstore.EventStore;
import dev.bulwark.testsupport.TestPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A JDBC projection on PostgreSQL: checkpoint with the read model, restart, parking, rebuild, fencing. */
class JdbcProjectionTest {

    private final EventStore store = Bank.store();
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<ProjectionRunner> runners = new ArrayList<>();
    private DataSource dataSource;

    @BeforeEach
    void setUp() throws Exception {
        dataSource = TestPostgres.freshDatabase().dataSource();
        ProjectionRunner.createJdbcSchema(dataSource);
        ProjectionRunner.createJdbcSchema(dataSource);
        JdbcBalances.createTables(dataSource);
    }

    @AfterEach
    void tearDown() {
        runners.forEach(ProjectionRunner::close);
        store.close();
        executor.shutdownNow();
    }

    private final JdbcBalances projection = new JdbcBalances();

    private ProjectionRunner runner() {
        ProjectionRunner runner = ProjectionRunner.jdbc("balances", store, dataSource, projection,
                ProjectionConfig.builder(executor).batchSize(3)
                        .retries(2, Duration.ofMillis(10), Duration.ofMillis(10))
                        .restartDelay(Duration.ofMillis(50))
                        .lockPollInterval(Duration.ofMillis(50))
                        .awaitPollInterval(Duration.ofMillis(20))
                        .build());
        runners.add(runner);
        return runner;
    }

    private AppendResult append(String stream, Object... events) {
        return Bank.append(store, stream, events);
    }

    private static void reach(ProjectionRunner runner, long position) {
        runner.awaitPosition(position, Duration.ofSeconds(30)).toCompletableFuture().join();
    }

    @Test
    void events_are_applied_with_the_checkpoint_in_the_same_transaction() throws Exception {
        append("account-1", new Opened("alice"), new Deposited(100), new Withdrawn(30));
        append("account-2", new Opened("bob"), new Deposited(5));
        ProjectionRunner runner = runner();

        runner.start();
        reach(runner, 5);
        AppendResult live = append("account-2", new Deposited(1));
        reach(runner, live.position());

        assertThat(JdbcBalances.balances(dataSource)).isEqualTo(Map.of("account-1", 70L, "account-2", 6L));
        assertThat(JdbcBalances.applied(dataSource)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(JdbcBalances.storedCheckpoint(dataSource, "balances")).isEqualTo(6);
        assertThat(projection.committed).as("told after each commit").containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    }

    @Test
    void a_new_runner_resumes_from_the_stored_checkpoint_without_applying_anything_twice() throws Exception {
        append("account-1", new Opened("alice"), new Deposited(100));
        ProjectionRunner first = runner();
        first.start();
        reach(first, 2);
        first.close();

        AppendResult more = append("account-1", new Deposited(1));
        ProjectionRunner second = runner();
        second.start();
        reach(second, more.position());

        assertThat(JdbcBalances.applied(dataSource)).containsExactly(1L, 2L, 3L);
        assertThat(JdbcBalances.balances(dataSource)).containsEntry("account-1", 101L);
    }

    @Test
    void an_event_the_projections_sql_fails_on_is_parked_in_the_table_and_visible_from_any_node() throws Exception {
        append("poison-1", new Opened("mallory"));
        AppendResult good = append("account-1", new Opened("alice"));
        ProjectionRunner runner = runner();
        runner.start();
        reach(runner, good.position());

        List<ParkedEvent> parked = runner().parkedEvents();

        assertThat(parked).hasSize(1);
        assertThat(parked.get(0).streamId()).isEqualTo("poison-1");
        assertThat(parked.get(0).attempts()).isEqualTo(2);
        assertThat(parked.get(0).error()).contains("division by zero");
        assertThat(JdbcBalances.applied(dataSource)).containsExactly(good.position());
        assertThat(runner.status()).isEqualTo(ProjectionRunner.Status.LIVE);
    }

    @Test
    void retrying_a_parked_key_after_the_fix_applies_its_events_in_one_transaction() throws Exception {
        append("poison-1", new Opened("mallory"));
        append("poison-1", new Deposited(4));
        ProjectionRunner runner = runner();
        runner.start();
        reach(runner, 2);
        assertThat(runner.parkedEvents()).extracting(ParkedEvent::attempts).containsExactly(2, 0);

        CompletableFuture<Integer> stillFailing = runner.retryParked("poison-1").toCompletableFuture();
        assertThatThrownBy(stillFailing::join).hasMessageContaining("division by zero");
        assertThat(JdbcBalances.applied(dataSource)).as("rolled back").isEmpty();
        projection.poisonFails = false;
        int retried = runner.retryParked("poison-1").toCompletableFuture().join();

        assertThat(retried).isEqualTo(2);
        assertThat(runner.parkedEvents()).isEmpty();
        assertThat(JdbcBalances.applied(dataSource)).containsExactly(1L, 2L);
        assertThat(JdbcBalances.balances(dataSource)).containsEntry("poison-1", 4L);
        assertThat(projection.committed).containsExactly(1L, 2L);
        AppendResult next = append("poison-1", new Deposited(1));
        reach(runner, next.position());
        assertThat(JdbcBalances.balances(dataSource)).as("the key is no longer parked").containsEntry("poison-1", 5L);
    }

    @Test
    void discarding_and_rebuilding_work_on_the_active_runner() throws Exception {
        append("poison-1", new Opened("mallory"));
        append("account-1", new Opened("alice"), new Deposited(3));
        ProjectionRunner runner = runner();
        runner.start();
        reach(runner, 3);

        assertThat(runner.discardParked("poison-1").toCompletableFuture().join()).isEqualTo(1);
        assertThat(runner.parkedEvents()).isEmpty();
        runner.rebuild().toCompletableFuture().join();
        reach(runner, 3);

        assertThat(JdbcBalances.applied(dataSource)).containsExactly(2L, 3L);
        assertThat(JdbcBalances.balances(dataSource)).containsEntry("account-1", 3L);
        assertThat(runner.parkedEvents()).extracting(ParkedEvent::streamId).containsExactly("poison-1");
    }

    @Test
    void a_runner_whose_turn_was_taken_rolls_back_and_starts_again_without_applying_twice() throws Exception {
        append("account-1", new Opened("alice"));
        ProjectionRunner runner = runner();
        runner.start();
        reach(runner, 1);
        await().until(() -> runner.status() == ProjectionRunner.Status.LIVE);

        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("UPDATE bulwark_projection_checkpoints SET epoch = epoch + 1");
        }
        AppendResult next = append("account-1", new Deposited(10));
        reach(runner, next.position());
        AppendResult after = append("account-1", new Deposited(1));
        reach(runner, after.position());

        assertThat(JdbcBalances.applied(dataSource)).containsExactly(1L, 2L, 3L);
        assertThat(JdbcBalances.balances(dataSource)).containsEntry("account-1", 11L);
    }
}
