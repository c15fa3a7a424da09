package dev.bulwark.cqrs;

import dev.bulwark.eventstore.RecordedEvent;
import dev.bulwark.resilience.Clock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A read model in PostgreSQL. The runner holds one connection: on it, a session-level advisory lock on the
 * projection's name makes it the active runner, and every change is one transaction on it that also writes the
 * checkpoint row.
 *
 * <p>Why no event is applied twice, even if two runners believe they are active (the lock connection of one broke
 * while it was stalled, say): taking over ({@link #begin()}) raises the row's epoch and remembers the new value, and
 * every later transaction writes the checkpoint with {@code WHERE epoch = <remembered>}. Once a newer runner has
 * taken over, an older one's update matches no row, so it rolls back its whole transaction, read-model changes
 * included. The row lock taken by that update also orders the two runners' transactions.
 */
final class JdbcReadModel implements ReadModel {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcReadModel.class);

    private final String name;
    private final String lockKey;
    private final DataSource dataSource;
    private final JdbcProjection projection;
    private final Clock clock;
    /** The runner's connection; only the runner's thread uses it. */
    private Connection connection;
    private boolean locked;
    private long epoch;

    JdbcReadModel(String name, DataSource dataSource, JdbcProjection projection, Clock clock) {
        this.name = name;
        this.lockKey = "bulwark.projection:" + name;
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.projection = Objects.requireNonNull(projection, "projection");
        this.clock = clock;
    }

    static void createSchema(DataSource dataSource) {
        ProjectionSql.createSchema(Objects.requireNonNull(dataSource, "dataSource"));
    }

    @Override
    public boolean acquire() {
        try {
            if (connection == null) {
                connection = dataSource.getConnection();
                connection.setAutoCommit(true);
            }
            try (PreparedStatement tryLock = connection.prepareStatement(ProjectionSql.TRY_LOCK)) {
                tryLock.setString(1, lockKey);
                try (ResultSet row = tryLock.executeQuery()) {
                    row.next();
                    locked = row.getBoolean(1);
                }
            }
            if (locked) {
                connection.setAutoCommit(false);
            }
            return locked;
        } catch (SQLException e) {
            release();
            throw new Unavailable("projection '" + name + "' could not reach the database: " + e.getMessage(), e);
        }
    }

    @Override
    public long begin() {
        try {
            try (PreparedStatement insert = connection.prepareStatement(ProjectionSql.INSERT_CHECKPOINT)) {
                insert.setString(1, name);
                insert.setObject(2, now());
                insert.executeUpdate();
            }
            long position;
            try (PreparedStatement takeOver = connection.prepareStatement(ProjectionSql.TAKE_OVER)) {
                takeOver.setObject(1, now());
                takeOver.setString(2, name);
                try (ResultSet row = takeOver.executeQuery()) {
                    row.next();
                    position = row.getLong(1);
                    epoch = row.getLong(2);
                }
            }
            connection.commit();
            LOG.info("projection '{}' is active on this node from position {} (epoch {})", name, position, epoch);
            return position;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public Set<String> parkedKeys() {
        try (PreparedStatement select = connection.prepareStatement(ProjectionSql.SELECT_PARKED_KEYS)) {
            select.setString(1, name);
            Set<String> keys = new HashSet<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    keys.add(rows.getString(1));
                }
            }
            connection.commit();
            return keys;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public void apply(List<RecordedEvent> events, long checkpoint) throws ApplyFailure {
        for (RecordedEvent event : events) {
            applyOrRollBack(event);
        }
        commitAt(checkpoint);
        committed(events);
    }

    private void committed(List<RecordedEvent> events) {
        try {
            projection.committed(events);
        } catch (RuntimeException e) {
            LOG.warn("projection '{}': its committed() hook failed; the events stay applied", name, e);
        }
    }

    private void applyOrRollBack(RecordedEvent event) throws ApplyFailure {
        try {
            projection.apply(event, connection);
        } catch (Exception e) {
            rollBack(e);
            throw new ApplyFailure(0, event, e);
        }
    }

    @Override
    public void park(ParkedEvent parked) {
        try {
            ProjectionSql.insertParked(connection, parked);
        } catch (SQLException e) {
            throw unavailable(e);
        }
        commitAt(parked.position());
    }

    @Override
    public void advance(long checkpoint) {
        commitAt(checkpoint);
    }

    @Override
    public List<ParkedEvent> parked() throws SQLException {
        try (Connection reader = dataSource.getConnection()) {
            return ProjectionSql.selectParked(reader, ProjectionSql.SELECT_PARKED, name, null);
        }
    }

    @Override
    public int retryParked(String key, Function<ParkedEvent, RecordedEvent> events, long checkpoint)
            throws ApplyFailure {
        List<ParkedEvent> parked;
        try {
            parked = ProjectionSql.selectParked(connection, ProjectionSql.SELECT_PARKED_KEY, name, key);
        } catch (SQLException e) {
            throw unavailable(e);
        }
        List<RecordedEvent> applied = new ArrayList<>(parked.size());
        for (ParkedEvent event : parked) {
            RecordedEvent recorded;
            try {
                recorded = events.apply(event);
            } catch (RuntimeException e) {
                rollBack(e);
                throw e;
            }
            applyOrRollBack(recorded);
            applied.add(recorded);
        }
        deleteParked(key);
        commitAt(checkpoint);
        committed(applied);
        return parked.size();
    }

    @Override
    public int discardParked(String key, long checkpoint) {
        int deleted = deleteParked(key);
        commitAt(checkpoint);
        return deleted;
    }

    private int deleteParked(String key) {
        try (PreparedStatement delete = connection.prepareStatement(ProjectionSql.DELETE_PARKED_KEY)) {
            delete.setString(1, name);
            delete.setString(2, key);
            return delete.executeUpdate();
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public void reset() throws Exception {
        try {
            projection.reset(connection);
        } catch (Exception e) {
            rollBack(e);
            throw e;
        }
        try (PreparedStatement delete = connection.prepareStatement(ProjectionSql.DELETE_PARKED)) {
            delete.setString(1, name);
            delete.executeUpdate();
        } catch (SQLException e) {
            throw unavailable(e);
        }
        commitAt(0);
    }

    @Override
    public long storedCheckpoint() throws SQLException {
        try (Connection reader = dataSource.getConnection();
                PreparedStatement select = reader.prepareStatement(ProjectionSql.SELECT_CHECKPOINT)) {
            select.setString(1, name);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getLong(1) : 0;
            }
        }
    }

    /** Writes the checkpoint, fenced by the epoch, and commits. */
    private void commitAt(long checkpoint) {
        try (PreparedStatement update = connection.prepareStatement(ProjectionSql.FENCED_CHECKPOINT)) {
            update.setLong(1, checkpoint);
            update.setObject(2, now());
            update.setString(3, name);
            update.setLong(4, epoch);
            if (update.executeUpdate() != 1) {
                connection.rollback();
                throw new Unavailable("projection '" + name + "' was taken over by another runner (epoch " + epoch
                        + " is no longer current); this runner's transaction was rolled back", null);
            }
            connection.commit();
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** Rolls back after the projection failed; a connection that cannot even roll back is unavailable. */
    private void rollBack(Exception failure) {
        if (ProjectionSql.isConnectionFailure(failure)) {
            throw unavailable(failure);
        }
        try {
            connection.rollback();
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private Unavailable unavailable(Exception e) {
        try {
            connection.rollback();
        } catch (SQLException | RuntimeException ignored) {
            // The connection is already broken; release() closes it.
        }
        return new Unavailable("projection '" + name + "' lost its database connection: " + e.getMessage(), e);
    }

    private java.time.OffsetDateTime now() {
        return ProjectionSql.timestamp(Instant.ofEpochMilli(clock.currentTimeMillis()));
    }

    @Override
    public void release() {
        Connection held = connection;
        connection = null;
        if (held == null) {
            return;
        }
        try {
            if (locked) {
                locked = false;
                if (!held.getAutoCommit()) {
                    held.rollback();
                    held.setAutoCommit(true);
                }
                // Unlock explicitly: a pooled connection keeps session locks when it goes back to the pool.
                try (PreparedStatement unlock = held.prepareStatement(ProjectionSql.UNLOCK)) {
                    unlock.setString(1, lockKey);
                    unlock.execute();
                }
            }
        } catch (SQLException e) {
            LOG.debug("projection '{}': releasing its lock failed (the connection is gone, and the lock with it)",
                    name, e);
        } finally {
            try {
                held.close();
            } catch (SQLException e) {
                LOG.debug("projection '{}': closing its connection failed", name, e);
            }
        }
    }

    @Override
    public String toString() {
        return "JDBC read model of " + name;
    }
}
