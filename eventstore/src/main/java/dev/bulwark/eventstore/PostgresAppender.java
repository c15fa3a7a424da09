package dev.bulwark.eventstore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Appends for {@link PostgresEventStore}: one statement per stream that checks the expected version, moves the
 * stream row, inserts the events and notifies listeners, all or nothing.
 *
 * <p>The check comes first. The statement's first step updates (or inserts) the stream row only where the expected
 * version holds, and the events are inserted only for the row it returned. A loser of a race therefore updates
 * nothing and inserts nothing; no sequence exists to burn, since positions come from the transaction id. The stream
 * row is also what serializes appenders of one stream: the second waits for the first to commit, then re-checks
 * against the committed row.
 *
 * <p>Positions: {@code (transaction id << 16) + index within the transaction}, the index continuing after the
 * transaction's own earlier events. The stream row keeps its last event's position, and the update requires it to
 * be below this transaction's range, so every stream's positions rise with its versions. When a transaction that
 * already had its id waited for a newer one on the same stream, that test fails: the statement changes nothing and
 * the append is retried in a fresh transaction (or reported as transient, in the caller's transaction).
 *
 * <p>When a statement changes nothing, the reason is read back: a failed check (the conflict exception), a retry of
 * events already stored at that place (the first append's result), or a lost race (try again).
 */
final class PostgresAppender {
    private static final int MAX_ATTEMPTS = 10;
    private static final String XID = "(pg_current_xact_id()::text::bigint)";
    /** Positions hold the transaction id in 47 bits; past that the guard yields NULL and the insert fails. */
    private static final String MAX_XID = "140737488355328";
    private static final int IN_CALLER_TRANSACTION = -1;

    private final DataSource dataSource;
    private final PostgresNames names;
    private final EventStoreSettings settings;
    /** Statements for appends whose transaction this appender began, so it knows the position offset. */
    private final Map<ExpectedVersion.Kind, NamedSql> ownSql = new EnumMap<>(ExpectedVersion.Kind.class);
    /** Statements for appends in a caller's transaction, which may have appended before: they look it up. */
    private final Map<ExpectedVersion.Kind, NamedSql> callerSql = new EnumMap<>(ExpectedVersion.Kind.class);
    private final NamedSql stateSql;
    private final NamedSql foundSql;

    PostgresAppender(DataSource dataSource, PostgresNames names, EventStoreSettings settings) {
        this.dataSource = dataSource;
        this.names = names;
        this.settings = settings;
        String own = "(CASE WHEN " + XID + " < " + MAX_XID + " THEN (" + XID + " << 16) + :offset END)";
        String caller = "(CASE WHEN " + XID + " < " + MAX_XID + " THEN (SELECT coalesce(max(position) + 1, " + XID
                + " << 16) FROM " + names.events() + " WHERE position >= " + XID + " << 16 AND position < (" + XID
                + " + 1) << 16) END)";
        for (ExpectedVersion.Kind kind : ExpectedVersion.Kind.values()) {
            ownSql.put(kind, NamedSql.parse(appendStatement(kind, own)));
            callerSql.put(kind, NamedSql.parse(appendStatement(kind, caller)));
        }
        stateSql = NamedSql.parse("SELECT version, first_version, deleted FROM " + names.streams()
                + " WHERE stream_id = :streamId");
        foundSql = NamedSql.parse("SELECT event_id, stream_id, version, position FROM " + names.events()
                + " WHERE event_id = ANY(:ids::uuid[])");
    }

    /**
     * The statement of one stream's append.
     *
     * @param first the position of the append's first event (NULL once transaction ids outgrow positions)
     */
    private String appendStatement(ExpectedVersion.Kind kind, String first) {
        String ordered = "s.last_position < ((" + XID + " + 1) << 16)";
        String stream = switch (kind) {
            case ANY, NO_STREAM -> "INSERT INTO " + names.streams() + " AS s (stream_id, version, first_version, "
                    + "truncate_before, last_position, stream_no, deleted) VALUES (:streamId, :count, 1, 1, " + first
                    + " + :count - 1, " + first + ", false) ON CONFLICT (stream_id) DO UPDATE SET "
                    + "version = s.version + EXCLUDED.version, "
                    + "first_version = CASE WHEN s.deleted THEN s.version + 1 ELSE s.first_version END, "
                    + "deleted = false, last_position = EXCLUDED.last_position WHERE "
                    + (kind == ExpectedVersion.Kind.ANY ? "(NOT s.deleted OR :recreate)" : "(s.deleted AND :recreate)")
                    + " AND " + ordered;
            case STREAM_EXISTS, EXACTLY -> "UPDATE " + names.streams() + " AS s SET version = s.version + :count, "
                    + "last_position = " + first + " + :count - 1 WHERE s.stream_id = :streamId AND NOT s.deleted"
                    + (kind == ExpectedVersion.Kind.EXACTLY ? " AND s.version = :expected" : "") + " AND " + ordered;
        };
        // Payloads travel as bytea arrays in binary: the serializer's bytes as they are, no escaping on the way in.
        return "WITH s AS (" + stream + " RETURNING s.version - :count AS base_version, "
                + "s.last_position - :count + 1 AS base_position, s.stream_no), "
                + "e AS (INSERT INTO " + names.events() + " (position, version, created_at, stream_no, event_id, "
                + "schema_version, stream_id, event_type, data, metadata) "
                + "SELECT s.base_position + x.ord - 1, s.base_version + x.ord, :timestamp, s.stream_no, x.id, x.sv, "
                + ":streamId, x.type, convert_from(x.data, 'UTF8')::json, convert_from(x.meta, 'UTF8')::json "
                + "FROM s CROSS JOIN ROWS FROM (unnest(:ids::uuid[]), unnest(:types::text[]), "
                + "unnest(:schemaVersions::int[]), unnest(:datas::bytea[]), unnest(:metas::bytea[])) "
                + "WITH ORDINALITY AS x(id, type, sv, data, meta, ord)) "
                + "SELECT s.base_version + :count, s.base_position + :count - 1, pg_notify(:channel, :streamId) "
                + "FROM s";
    }

    /** Appends on a connection of its own, retrying lost races; atomic across the batches. */
    List<AppendResult> append(List<PreparedEvent.Batch> batches) {
        List<PreparedEvent.Batch> ordered = lockOrder(batches);
        String what = describe(batches);
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            List<AppendResult> results = attempt(ordered, what);
            if (results != null) {
                return inCallerOrder(batches, ordered, results);
            }
        }
        throw new TransientEventStoreException(what + " lost " + MAX_ATTEMPTS + " races in a row against concurrent "
                + "appends; nothing was stored, retrying is safe", false, null);
    }

    private List<AppendResult> attempt(List<PreparedEvent.Batch> batches, String what) {
        Instant timestamp = Instant.ofEpochMilli(settings.clock().currentTimeMillis());
        boolean oneStatement = batches.size() == 1;
        // Whether a failure could come after the commit happened: set once the auto-committed statement or the
        // COMMIT has been sent.
        boolean mayHaveCommitted = false;
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(oneStatement);
            try {
                List<AppendResult> results = new ArrayList<>(batches.size());
                int offset = 0;
                for (PreparedEvent.Batch batch : batches) {
                    mayHaveCommitted = oneStatement;
                    AppendResult result = execute(connection, batch, timestamp, offset);
                    offset += batch.events().size();
                    if (result == null) {
                        rollback(connection, oneStatement);
                        return diagnose(connection, batches, true);
                    }
                    results.add(result);
                }
                if (!oneStatement) {
                    mayHaveCommitted = true;
                    connection.commit();
                }
                return results;
            } catch (SQLException e) {
                rollback(connection, oneStatement);
                if (violates(e, "event_id_key")) {
                    return diagnose(connection, batches, true);
                }
                if (violates(e, "stream_no_version_key")) {
                    return null;
                }
                throw e;
            } finally {
                Transactions.restore(connection, autoCommit);
            }
        } catch (SQLException e) {
            throw SqlFailures.translate(what, e, mayHaveCommitted);
        }
    }

    /** Ends an explicit transaction that must not commit; a broken connection has rolled back already. */
    private static void rollback(Connection connection, boolean autoCommitted) {
        if (autoCommitted) {
            return;
        }
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // The server rolls back a transaction whose connection is gone.
        }
    }

    /**
     * Appends within the caller's transaction: atomic with the caller's other work, visible when the caller commits.
     * On failure, everything this call wrote is rolled back to a savepoint and the transaction stays usable.
     */
    List<AppendResult> append(Connection connection, List<PreparedEvent.Batch> batches) {
        String what = describe(batches);
        try {
            if (connection.getAutoCommit()) {
                throw new IllegalStateException("connection must be in a transaction (autoCommit false) to append "
                        + "in it; use append(streamId, ...) to let the store commit");
            }
            List<PreparedEvent.Batch> ordered = lockOrder(batches);
            Instant timestamp = Instant.ofEpochMilli(settings.clock().currentTimeMillis());
            Savepoint savepoint = connection.setSavepoint();
            List<AppendResult> results = new ArrayList<>();
            try {
                for (PreparedEvent.Batch batch : ordered) {
                    AppendResult result = execute(connection, batch, timestamp, IN_CALLER_TRANSACTION);
                    if (result == null) {
                        connection.rollback(savepoint);
                        return inCallerOrder(batches, ordered, diagnoseInTransaction(connection, ordered, what));
                    }
                    results.add(result);
                }
            } catch (SQLException e) {
                connection.rollback(savepoint);
                if (violates(e, "event_id_key")) {
                    return inCallerOrder(batches, ordered, diagnoseInTransaction(connection, ordered, what));
                }
                throw e;
            }
            connection.releaseSavepoint(savepoint);
            return inCallerOrder(batches, ordered, results);
        } catch (SQLException e) {
            throw SqlFailures.translate(what, e, false);
        }
    }

    private List<AppendResult> diagnoseInTransaction(Connection connection, List<PreparedEvent.Batch> batches,
            String what) throws SQLException {
        List<AppendResult> stored = diagnose(connection, batches, false);
        if (stored == null) {
            throw new TransientEventStoreException(what + " raced with a concurrent transaction on the same stream "
                    + "(or would have put its positions below that stream's last); nothing was appended, retry the "
                    + "transaction", false, null);
        }
        return stored;
    }

    /**
     * Runs one stream's append statement; {@code null} if it changed nothing.
     *
     * @param offset how many events this transaction appended before, or {@link #IN_CALLER_TRANSACTION}
     */
    private AppendResult execute(Connection connection, PreparedEvent.Batch batch, Instant timestamp, int offset)
            throws SQLException {
        List<PreparedEvent> events = batch.events();
        int n = events.size();
        UUID[] ids = new UUID[n];
        String[] types = new String[n];
        Integer[] schemaVersions = new Integer[n];
        byte[][] datas = new byte[n][];
        byte[][] metas = new byte[n][];
        for (int i = 0; i < n; i++) {
            PreparedEvent event = events.get(i);
            ids[i] = event.eventId();
            types[i] = event.type();
            schemaVersions[i] = event.schemaVersion();
            datas[i] = event.data();
            metas[i] = isEmptyObject(event.metadata()) ? null : event.metadata();
        }
        Map<String, Object> values = new HashMap<>();
        values.put("streamId", batch.streamId());
        values.put("count", (long) n);
        values.put("offset", (long) offset);
        values.put("expected", batch.expectedVersion().version());
        values.put("recreate", settings.recreateDeletedStreams());
        values.put("timestamp", OffsetDateTime.ofInstant(timestamp, ZoneOffset.UTC));
        values.put("channel", names.channel());
        values.put("ids", connection.createArrayOf("uuid", ids));
        values.put("types", types);
        values.put("schemaVersions", connection.createArrayOf("int4", schemaVersions));
        values.put("datas", datas);
        values.put("metas", metas);
        NamedSql sql = (offset == IN_CALLER_TRANSACTION ? callerSql : ownSql).get(batch.expectedVersion().kind());
        try (PreparedStatement statement = sql.prepare(connection, values); ResultSet rows = statement.executeQuery()) {
            return rows.next() ? new AppendResult(batch.streamId(), rows.getLong(1), rows.getLong(2)) : null;
        }
    }

    /** Empty metadata is stored as NULL: nothing to store, nothing to parse on the way back. */
    private static boolean isEmptyObject(byte[] json) {
        return json.length == 2 && json[0] == '{' && json[1] == '}';
    }

    /**
     * Why an append changed nothing: throws the conflict, returns the stored results of a retry, or returns
     * {@code null} when every stream would accept the append now (a lost race: try again).
     */
    private List<AppendResult> diagnose(Connection connection, List<PreparedEvent.Batch> batches,
            boolean ownConnection) throws SQLException {
        if (ownConnection) {
            connection.setAutoCommit(true);
        }
        List<AppendResult> stored = new ArrayList<>();
        PreparedEvent.Batch firstStored = null;
        boolean appendable = false;
        for (PreparedEvent.Batch batch : batches) {
            AppendRules.StreamState state = state(connection, batch.streamId());
            List<AppendRules.StoredEvent> found = found(connection, batch.eventIds());
            AppendRules.Verdict verdict = AppendRules.check(batch.expectedVersion(), state,
                    settings.recreateDeletedStreams());
            AppendResult retry = AppendRules.alreadyStored(batch, state, found);
            if (retry != null) {
                stored.add(retry);
                firstStored = firstStored == null ? batch : firstStored;
                continue;
            }
            if (verdict != AppendRules.Verdict.APPEND) {
                throw AppendRules.conflict(batch.streamId(), batch.expectedVersion(), state, verdict);
            }
            if (!found.isEmpty()) {
                throw AppendRules.duplicateEventId(batch.streamId(), found.get(0));
            }
            appendable = true;
        }
        if (!appendable) {
            return stored;
        }
        if (firstStored != null) {
            AppendRules.StreamState state = state(connection, firstStored.streamId());
            throw new WrongExpectedVersionException(firstStored.streamId(), firstStored.expectedVersion(),
                    state.version(), state.deleted());
        }
        return null;
    }

    private AppendRules.StreamState state(Connection connection, String streamId) throws SQLException {
        try (PreparedStatement statement = stateSql.prepare(connection, Map.of("streamId", streamId));
                ResultSet rows = statement.executeQuery()) {
            return rows.next()
                    ? new AppendRules.StreamState(rows.getLong(1), rows.getLong(2), rows.getBoolean(3))
                    : AppendRules.StreamState.NEW;
        }
    }

    private List<AppendRules.StoredEvent> found(Connection connection, List<UUID> ids) throws SQLException {
        List<AppendRules.StoredEvent> found = new ArrayList<>();
        try (PreparedStatement statement = foundSql.prepare(connection,
                Map.of("ids", connection.createArrayOf("uuid", ids.toArray(UUID[]::new))));
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                found.add(new AppendRules.StoredEvent(rows.getObject(1, UUID.class), rows.getString(2),
                        rows.getLong(3), rows.getLong(4)));
            }
        }
        return found;
    }

    /** Whether {@code e} is a unique violation of the constraint whose name ends with {@code suffix}. */
    private static boolean violates(SQLException e, String suffix) {
        if (!"23505".equals(e.getSQLState()) || !(e instanceof PSQLException psql)) {
            return false;
        }
        ServerErrorMessage message = psql.getServerErrorMessage();
        return message != null && message.getConstraint() != null && message.getConstraint().endsWith(suffix);
    }

    /** Streams in id order, so that concurrent multi-stream appends lock rows in one order and never deadlock. */
    private static List<PreparedEvent.Batch> lockOrder(List<PreparedEvent.Batch> batches) {
        if (batches.size() == 1) {
            return batches;
        }
        List<PreparedEvent.Batch> ordered = new ArrayList<>(batches);
        ordered.sort(Comparator.comparing(PreparedEvent.Batch::streamId));
        return ordered;
    }

    private static List<AppendResult> inCallerOrder(List<PreparedEvent.Batch> batches,
            List<PreparedEvent.Batch> ordered, List<AppendResult> results) {
        if (batches == ordered) {
            return results;
        }
        Map<String, AppendResult> byStream = new HashMap<>();
        for (int i = 0; i < ordered.size(); i++) {
            byStream.put(ordered.get(i).streamId(), results.get(i));
        }
        return batches.stream().map(batch -> byStream.get(batch.streamId())).toList();
    }

    private static String describe(List<PreparedEvent.Batch> batches) {
        return batches.size() == 1 ? "append to stream " + batches.get(0).streamId()
                : "append to streams " + batches.stream().map(PreparedEvent.Batch::streamId).toList();
    }
}
