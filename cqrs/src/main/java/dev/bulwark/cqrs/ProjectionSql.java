package dev.bulwark.cqrs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/** The SQL of JDBC projections: the schema, and the statements on the checkpoint and parked-event tables. */
final class ProjectionSql {

    static final String TRY_LOCK = "SELECT pg_try_advisory_lock(hashtextextended(?, 0))";
    static final String UNLOCK = "SELECT pg_advisory_unlock(hashtextextended(?, 0))";
    static final String INSERT_CHECKPOINT = "INSERT INTO bulwark_projection_checkpoints (name, position, epoch, "
            + "updated_at) VALUES (?, 0, 0, ?) ON CONFLICT (name) DO NOTHING";
    static final String TAKE_OVER = "UPDATE bulwark_projection_checkpoints SET epoch = epoch + 1, updated_at = ? "
            + "WHERE name = ? RETURNING position, epoch";
    static final String FENCED_CHECKPOINT = "UPDATE bulwark_projection_checkpoints SET position = ?, updated_at = ? "
            + "WHERE name = ? AND epoch = ?";
    static final String SELECT_CHECKPOINT = "SELECT position FROM bulwark_projection_checkpoints WHERE name = ?";
    static final String INSERT_PARKED = "INSERT INTO bulwark_projection_parked (name, position, event_key, stream_id, "
            + "version, event_id, event_type, attempts, error, parked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    static final String SELECT_PARKED = "SELECT name, event_key, position, stream_id, version, event_id, event_type, "
            + "attempts, error, parked_at FROM bulwark_projection_parked WHERE name = ? ORDER BY position";
    static final String SELECT_PARKED_KEY = "SELECT name, event_key, position, stream_id, version, event_id, "
            + "event_type, attempts, error, parked_at FROM bulwark_projection_parked WHERE name = ? AND event_key = ? "
            + "ORDER BY position";
    static final String SELECT_PARKED_KEYS = "SELECT DISTINCT event_key FROM bulwark_projection_parked WHERE name = ?";
    static final String DELETE_PARKED_KEY = "DELETE FROM bulwark_projection_parked WHERE name = ? AND event_key = ?";
    static final String DELETE_PARKED = "DELETE FROM bulwark_projection_parked WHERE name = ?";

    private ProjectionSql() {}

    /** Runs the bundled schema file. */
    static void createSchema(DataSource dataSource) {
        String sql;
        try (InputStream in = ProjectionSql.class.getResourceAsStream("projection-schema.sql")) {
            if (in == null) {
                throw new IllegalStateException("projection-schema.sql is missing from the bulwark-cqrs jar");
            }
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read projection-schema.sql", e);
        }
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            // Several nodes starting at once would race on CREATE ... IF NOT EXISTS; a transaction lock orders them.
            connection.setAutoCommit(false);
            statement.execute("SELECT pg_advisory_xact_lock(hashtextextended('bulwark.projection.schema', 0))");
            statement.execute(sql);
            connection.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("could not create the projection tables: " + e.getMessage(), e);
        }
    }

    static OffsetDateTime timestamp(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    static void insertParked(Connection connection, ParkedEvent parked) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT_PARKED)) {
            insert.setString(1, parked.projection());
            insert.setLong(2, parked.position());
            insert.setString(3, parked.key());
            insert.setString(4, parked.streamId());
            insert.setLong(5, parked.version());
            insert.setObject(6, parked.eventId());
            insert.setString(7, parked.type());
            insert.setInt(8, parked.attempts());
            insert.setString(9, parked.error());
            insert.setObject(10, timestamp(parked.parkedAt()));
            insert.executeUpdate();
        }
    }

    /** Runs a parked-event query whose parameters are the name and, optionally, the key. */
    static List<ParkedEvent> selectParked(Connection connection, String sql, String name, String key)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, name);
            if (key != null) {
                select.setString(2, key);
            }
            List<ParkedEvent> parked = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    parked.add(new ParkedEvent(rows.getString(1), rows.getString(2), rows.getLong(3),
                            rows.getString(4), rows.getLong(5), rows.getObject(6, UUID.class), rows.getString(7),
                            rows.getInt(8), rows.getString(9), rows.getObject(10, OffsetDateTime.class).toInstant()));
                }
            }
            return parked;
        }
    }

    /** Whether a failure means the connection or the server is gone, rather than a statement failing. */
    static boolean isConnectionFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state != null && (state.startsWith("08") || state.startsWith("53") || state.startsWith("57P"))) {
                    return true;
                }
                if (sql instanceof java.sql.SQLTransientConnectionException
                        || sql instanceof java.sql.SQLNonTransientConnectionException) {
                    return true;
                }
            }
        }
        return false;
    }
}
