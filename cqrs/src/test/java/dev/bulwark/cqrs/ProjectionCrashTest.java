package dev.bulwark.cqrs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.eventstore.EventFilter;
import dev.bulwark.eventstore.EventStore;
import dev.bulwark.eventstore.PostgresEventStore;
import dev.bulwark.eventstore.RecordedEvent;
import dev.bulwark.testsupport.TestDatabase;
import dev.bulwark.testsupport.TestPostgres;
import java.io.File;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Durability of a JDBC projection on PostgreSQL: the projection process, reading a {@link PostgresEventStore}, is
 * killed with SIGKILL in the middle of its run, twice, and started again; at the end, the read model equals the one a
 * replay from scratch builds, every event applied exactly once.
 */
class ProjectionCrashTest {
    private static final int EVENTS = 800;
    private static final String NAME = "crash-balances";

    @Test
    void a_projection_process_killed_mid_run_and_restarted_ends_equal_to_a_replay_from_scratch() throws Exception {
        TestDatabase db = TestPostgres.freshDatabase();
        DataSource dataSource = db.dataSource();
        ProjectionRunner.createJdbcSchema(dataSource);
        JdbcBalances.createTables(dataSource);
        List<Long> positions = writeLog(dataSource);

        Process first = startChild(db, 1);
        long killedAt = killWhenPast(first, dataSource, positions.get(EVENTS / 4));
        Process second = startChild(db, 2);
        long killedAgainAt = killWhenPast(second, dataSource, positions.get(EVENTS / 2));
        Process last = startChild(db, 3);
        assertThat(last.waitFor(120, TimeUnit.SECONDS)).as("the last run finishes").isTrue();

        assertThat(last.exitValue()).isZero();
        assertThat(killedAt).isLessThan(killedAgainAt).isLessThan(positions.get(EVENTS - 1));
        assertThat(JdbcBalances.storedCheckpoint(dataSource, NAME)).isGreaterThanOrEqualTo(positions.get(EVENTS - 1));
        assertThat(JdbcBalances.applied(dataSource)).as("every event exactly once").isEqualTo(positions);
        assertThat(JdbcBalances.balances(dataSource)).isEqualTo(replayFromScratch());
    }

    /** Writes the log into a PostgreSQL event store in this database; returns the positions of its events. */
    private static List<Long> writeLog(DataSource dataSource) {
        try (PostgresEventStore store = PostgresEventStore.builder(dataSource, Bank.settings().build()).build()) {
            store.createSchema();
            ProjectionCrashChild.writeLog(store, EVENTS);
            List<Long> positions = store.readAll(EventStore.START, EVENTS + 1, EventFilter.ALL).events().stream()
                    .map(RecordedEvent::position).toList();
            assertThat(positions).hasSize(EVENTS);
            return positions;
        }
    }

    /** The read model a single uninterrupted run builds, from the same log written anew in a database of its own. */
    private static Map<String, Long> replayFromScratch() throws Exception {
        DataSource fresh = TestPostgres.freshDatabase().dataSource();
        ProjectionRunner.createJdbcSchema(fresh);
        JdbcBalances.createTables(fresh);
        List<Long> positions = writeLog(fresh);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try (EventStore store = PostgresEventStore.builder(fresh, Bank.settings().build()).build()) {
            try (ProjectionRunner runner = ProjectionRunner.jdbc(NAME, store, fresh, new JdbcBalances(),
                    ProjectionConfig.builder(executor).batchSize(500).build())) {
                runner.start();
                runner.awaitPosition(positions.get(EVENTS - 1), Duration.ofSeconds(60)).toCompletableFuture().join();
            }
        } finally {
            executor.shutdownNow();
        }
        Map<String, Long> balances = JdbcBalances.balances(fresh);
        assertThat(balances).hasSize(20);
        return balances;
    }

    private static Process startChild(TestDatabase db, int run) throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        File log = new File("target", "projection-crash-child-" + run + ".log");
        return new ProcessBuilder(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                ProjectionCrashChild.class.getName(), db.jdbcUrl(), orEmpty(db.user()), orEmpty(db.password()), "0"))
                .redirectErrorStream(true)
                .redirectOutput(log)
                .start();
    }

    /** Kills the process with SIGKILL once its stored checkpoint passed {@code position}; returns the checkpoint. */
    private static long killWhenPast(Process process, DataSource dataSource, long position) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement checkpoint = connection.prepareStatement(
                        "SELECT position FROM bulwark_projection_checkpoints WHERE name = ?")) {
            checkpoint.setString(1, NAME);
            while (read(checkpoint) < position) {
                assertThat(process.isAlive()).as("the projection process is running").isTrue();
                assertThat(System.nanoTime() - deadline).as("time left to reach position " + position).isNegative();
                Thread.sleep(2);
            }
            process.destroyForcibly();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            return read(checkpoint);
        }
    }

    private static long read(PreparedStatement checkpoint) throws Exception {
        try (ResultSet row = checkpoint.executeQuery()) {
            return row.next() ? row.getLong(1) : 0;
        }
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
