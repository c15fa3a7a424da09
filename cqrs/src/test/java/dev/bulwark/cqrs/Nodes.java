package dev.bulwark.cqrs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.eventstore.EventStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Executor;
import javax.sql.DataSource;

/** What the multi-node tests share: runners of one JDBC projection that take over quickly, and a way to kill one. */
final class Nodes {

    private Nodes() {}

    /** A runner of the "balances" projection on {@code store}, polling and restarting every 50 ms. */
    static ProjectionRunner balances(EventStore store, DataSource dataSource, Executor executor) {
        return ProjectionRunner.jdbc("balances", store, dataSource, new JdbcBalances(),
                ProjectionConfig.builder(executor)
                        .restartDelay(Duration.ofMillis(50))
                        .lockPollInterval(Duration.ofMillis(50))
                        .awaitPollInterval(Duration.ofMillis(20))
                        .build());
    }

    static boolean exactlyOneLive(ProjectionRunner a, ProjectionRunner b) {
        return (a.status() == ProjectionRunner.Status.LIVE) != (b.status() == ProjectionRunner.Status.LIVE);
    }

    static void reach(ProjectionRunner runner, long position) {
        runner.awaitPosition(position, Duration.ofSeconds(30)).toCompletableFuture().join();
    }

    /** Terminates the server session that holds the advisory lock, as if the active node's connection died. */
    static void terminateTheLockHoldersConnection(DataSource dataSource) throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT pg_terminate_backend(pid) FROM pg_locks "
                        + "WHERE locktype = 'advisory' AND granted")) {
            assertThat(row.next()).as("an advisory lock is held").isTrue();
            assertThat(row.getBoolean(1)).isTrue();
        }
    }
}
