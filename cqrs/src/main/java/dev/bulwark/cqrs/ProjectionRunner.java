package dev.bulwark.cqrs;

import dev.bulwark.eventstore.EventStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import javax.sql.DataSource;

/**
 * Runs one projection: follows the global log from the projection's stored checkpoint, applies each event the
 * filter keeps, in order, and stores the new checkpoint with what the event did.
 *
 * <pre>{@code
 * ProjectionRunner.createJdbcSchema(dataSource); // once, or apply projection-schema.sql with your migrations
 * ProjectionRunner runner = ProjectionRunner.jdbc("order-totals", store, dataSource, new OrderTotals(),
 *         ProjectionConfig.builder(executor).filter(EventFilter.categories("order")).build());
 * runner.start();
 * ...
 * runner.close();
 * }</pre>
 *
 * <p><b>Exactly once.</b> An in-memory projection keeps its checkpoint in memory with its read model. A JDBC
 * projection writes its checkpoint in the transaction that changes its read model. Either way, after a crash the
 * read model and the checkpoint agree, and no event is applied twice or skipped.
 *
 * <p><b>Several nodes.</b> Every node may run the same JDBC projection: one runner is active, chosen by a
 * PostgreSQL advisory lock, and the others stand by, trying to take the lock every
 * {@link ProjectionConfig#lockPollInterval()}. When the active node dies, its connection and the lock go with it
 * and a standby takes over from the stored checkpoint. Each takeover also raises a fencing number stored with the
 * checkpoint; a transaction of a runner that lost its turn (a stalled node whose lock connection broke) fails to
 * write the checkpoint and rolls back, so even then no event is applied twice. A node that vanishes without
 * closing its connection (power loss, network partition) holds the lock until the server notices: configure TCP
 * keepalives on the server (or the driver's {@code tcpKeepAlive}) so that it does within the takeover time you
 * need.
 *
 * <p><b>Failures.</b> An event whose projection throws is tried {@link ProjectionConfig#maxAttempts()} times with
 * backoff, then parked under its key, and later events with that key are parked behind it, while other keys go on.
 * Parked events count as processed for {@link #awaitPosition}. When the event store or the database fails, the
 * runner gives up its turn, waits {@link ProjectionConfig#restartDelay()} and starts again from the stored
 * checkpoint.
 *
 * <p><b>Operator actions</b> ({@link #retryParked}, {@link #discardParked}, {@link #rebuild}) run on the runner's
 * thread between two events; they fail with {@link IllegalStateException} on a runner that is not active.
 *
 * <p>Thread-safe.
 */
public interface ProjectionRunner extends AutoCloseable {

    /** What a runner is doing. */
    enum Status {
        /** Built, not started. */
        NEW,
        /** Started, not yet active or on standby. */
        STARTING,
        /** Started; another node's runner is active (JDBC), so this one waits to take over. */
        STANDBY,
        /** Active, reading the log in batches to reach its end. */
        CATCHING_UP,
        /** Active and at the end of the log, applying events as they are appended. */
        LIVE,
        /** The event store or the database failed; starts again after the restart delay. */
        RESTARTING,
        /** Closed. */
        STOPPED,
        /** Stopped by an {@link Error}, which it does not try to survive. */
        FAILED
    }

    /** A runner for a projection held in memory, with its checkpoint in memory. */
    static ProjectionRunner inMemory(String name, EventStore store, Projection projection, ProjectionConfig config) {
        return DefaultProjectionRunner.create(name, store, new MemoryReadModel(name, projection), config);
    }

    /**
     * A runner for a projection held in PostgreSQL tables, with its checkpoint and parked events in the tables of
     * {@link #createJdbcSchema} (on the connection's search path) and one connection of {@code dataSource} held
     * while it runs.
     */
    static ProjectionRunner jdbc(String name, EventStore store, DataSource dataSource, JdbcProjection projection,
            ProjectionConfig config) {
        return DefaultProjectionRunner.create(name, store, new JdbcReadModel(name, dataSource, projection, config.clock()),
                config);
    }

    /**
     * Creates the checkpoint and parked-event tables if they do not exist: {@code bulwark_projection_checkpoints}
     * and {@code bulwark_projection_parked}. The SQL is the bundled file {@code dev/bulwark/cqrs/projection-schema.sql}.
     * Several nodes may call it at the same time: a transaction-scoped advisory lock makes them take turns.
     */
    static void createJdbcSchema(DataSource dataSource) {
        JdbcReadModel.createSchema(dataSource);
    }

    /** The projection's name: its checkpoint's key. */
    String name();

    /**
     * Starts following the log on the configured executor.
     *
     * @throws IllegalStateException if it was started before
     */
    void start();

    /** What it is doing now. */
    Status status();

    /** The position up to which this runner knows the log is processed: its own progress, or the stored one. */
    long position();

    /**
     * Completes once every event the filter keeps up to {@code position} is processed (applied or parked), here or by
     * the active runner of another node; fails with {@link WaitTimeoutException} after {@code timeout}.
     */
    CompletionStage<Void> awaitPosition(long position, Duration timeout);

    /** How far behind the head of the log it is; reads the log. */
    ProjectionLag lag();

    /** The parked events, in log order. */
    List<ParkedEvent> parkedEvents();

    /**
     * Applies the parked events of a key again, in order; on success they are no longer parked. If one fails
     * again, nothing changes (for JDBC; in memory, those before it stay applied) and the stage fails with its error.
     *
     * @return a stage with the number of events applied
     */
    CompletionStage<Integer> retryParked(String key);

    /** Drops the parked events of a key without applying them; the stage holds how many. */
    CompletionStage<Integer> discardParked(String key);

    /** Empties the read model, the checkpoint and the parked events, then replays the log from the start. */
    CompletionStage<Void> rebuild();

    /** Stops following the log; waits for the event being applied. Idempotent. */
    @Override
    void close();
}
