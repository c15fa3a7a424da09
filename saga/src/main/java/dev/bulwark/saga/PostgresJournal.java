package dev.bulwark.saga;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The PostgreSQL journal. Each method is one statement in autocommit mode, hence one commit: transitions
 * and operator changes use a data-modifying CTE that updates the instance row (fenced by owner, or by state
 * and history length) and appends the history entries only when that update matched.
 */
final class PostgresJournal implements Journal {
    private static final String UNFINISHED = "state IN ('RUNNING', 'COMPENSATING')";
    private static final String ROW_COLUMNS = "saga_id, name, version, state, resume_state, data, active, message, "
            + "pivot_passed, cancel_requested, owner, lease_until, deadline, created_at, updated_at, step_seq";
    private static final String STEP_COLUMNS =
            "seq, step_id, phase, outcome, attempts, output, error, started_at, finished_at";

    private final DataSource dataSource;
    private final String table;
    private final String steps;
    private final String insertSql;
    private final String transitionUpdate;
    private final String reopenUpdate;
    private final String claimSql;
    private final String renewSql;
    private final String releaseSql;
    private final String cancelSql;

    PostgresJournal(DataSource dataSource, String table) {
        this.dataSource = dataSource;
        this.table = table;
        this.steps = table + "_step";
        this.insertSql = "INSERT INTO " + table + " (" + ROW_COLUMNS + ") VALUES "
                + "(?, ?, ?, ?, ?, CAST(? AS jsonb), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (saga_id) DO NOTHING";
        this.transitionUpdate = "UPDATE " + table + " SET state = ?, resume_state = ?, "
                + "data = COALESCE(CAST(? AS jsonb), data), active = ?, message = ?, pivot_passed = ?, owner = ?, "
                + "lease_until = ?, updated_at = ?, step_seq = step_seq + ? WHERE saga_id = ? AND owner = ? "
                + "RETURNING saga_id, step_seq, cancel_requested";
        this.reopenUpdate = "UPDATE " + table + " SET state = ?, resume_state = NULL, active = ?, message = ?, "
                + "owner = NULL, lease_until = 0, updated_at = ?, step_seq = step_seq + ? "
                + "WHERE saga_id = ? AND state = ? AND step_seq = ? RETURNING saga_id, step_seq, cancel_requested";
        this.claimSql = "WITH c AS (SELECT saga_id FROM " + table + " WHERE " + UNFINISHED + " AND lease_until < ? "
                + "ORDER BY lease_until LIMIT ? FOR UPDATE SKIP LOCKED) UPDATE " + table + " t SET owner = ?, "
                + "lease_until = ? FROM c WHERE t.saga_id = c.saga_id RETURNING t.*";
        this.renewSql = "UPDATE " + table + " SET lease_until = ? WHERE saga_id = ANY(?) AND owner = ? AND "
                + UNFINISHED + " RETURNING saga_id, cancel_requested";
        this.releaseSql = "UPDATE " + table + " SET owner = NULL, lease_until = 0 WHERE owner = ? AND " + UNFINISHED;
        this.cancelSql = "UPDATE " + table + " SET cancel_requested = true, updated_at = ? WHERE saga_id = ? "
                + "AND state = 'RUNNING' AND NOT pivot_passed";
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private <T> T with(String what, Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            if (!connection.getAutoCommit()) {
                connection.setAutoCommit(true);
            }
            return work.run(connection);
        } catch (SQLException e) {
            throw new SagaStoreException("could not " + what + " in " + table, e);
        }
    }

    @Override
    public boolean insert(SagaRow r) {
        return with("record saga " + r.sagaId(), c -> {
            try (PreparedStatement s = c.prepareStatement(insertSql)) {
                s.setString(1, r.sagaId());
                s.setString(2, r.name());
                s.setInt(3, r.version());
                s.setString(4, r.state().name());
                s.setString(5, r.resumeState() == null ? null : r.resumeState().name());
                s.setString(6, r.data());
                s.setString(7, String.join(",", r.active()));
                s.setString(8, r.message());
                s.setBoolean(9, r.pivotPassed());
                s.setBoolean(10, r.cancelRequested());
                s.setString(11, r.owner());
                s.setLong(12, r.leaseUntil());
                s.setLong(13, r.deadline());
                s.setLong(14, r.createdAt());
                s.setLong(15, r.updatedAt());
                s.setInt(16, r.sequence());
                // The primary key settles a race between nodes: the loser inserts nothing and is told so.
                return s.executeUpdate() == 1;
            }
        });
    }

    @Override
    public WriteResult transition(Transition t) {
        return with("record a transition of saga " + t.sagaId(), c -> {
            try (PreparedStatement s = c.prepareStatement(withEntries(transitionUpdate, t.entries().size()))) {
                int i = 0;
                s.setString(++i, t.state().name());
                s.setString(++i, t.resumeState() == null ? null : t.resumeState().name());
                s.setString(++i, t.data());
                s.setString(++i, String.join(",", t.active()));
                s.setString(++i, t.message());
                s.setBoolean(++i, t.pivotPassed());
                s.setString(++i, t.release() ? null : t.owner());
                s.setLong(++i, t.release() ? 0 : t.leaseUntil());
                s.setLong(++i, t.now());
                s.setInt(++i, t.entries().size());
                s.setString(++i, t.sagaId());
                s.setString(++i, t.owner());
                bindEntries(s, i, t.entries());
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return WriteResult.LOST;
                    }
                    return rs.getBoolean(1) ? WriteResult.APPLIED_CANCEL_REQUESTED : WriteResult.APPLIED;
                }
            }
        });
    }

    /** Wraps an UPDATE … RETURNING saga_id, step_seq, cancel_requested so that it also appends {@code n} entries. */
    private String withEntries(String update, int n) {
        StringBuilder sql = new StringBuilder("WITH u AS (").append(update).append(')');
        if (n > 0) {
            sql.append(", i AS (INSERT INTO ").append(steps).append(" (saga_id, ").append(STEP_COLUMNS)
                    .append(") SELECT u.saga_id, u.step_seq - ").append(n).append(" + v.ord, v.step_id, v.phase, ")
                    .append("v.outcome, v.attempts, CAST(v.output AS jsonb), v.error, v.started_at, v.finished_at ")
                    .append("FROM u, (VALUES ");
            for (int k = 1; k <= n; k++) {
                sql.append(k > 1 ? ", " : "").append('(').append(k).append(", CAST(? AS text), CAST(? AS text), ")
                        .append("CAST(? AS text), CAST(? AS integer), CAST(? AS text), CAST(? AS text), ")
                        .append("CAST(? AS bigint), CAST(? AS bigint))");
            }
            sql.append(") AS v(ord, step_id, phase, outcome, attempts, output, error, started_at, finished_at))");
        }
        return sql.append(" SELECT cancel_requested FROM u").toString();
    }

    private static void bindEntries(PreparedStatement s, int offset, List<StepRecord> entries) throws SQLException {
        int i = offset;
        for (StepRecord e : entries) {
            s.setString(++i, e.stepId());
            s.setString(++i, e.phase().name());
            s.setString(++i, e.outcome().name());
            s.setInt(++i, e.attempts());
            s.setString(++i, e.output());
            s.setString(++i, e.error());
            s.setLong(++i, e.startedAt().toEpochMilli());
            s.setLong(++i, e.finishedAt().toEpochMilli());
        }
    }

    @Override
    public List<Claim> claim(String owner, long now, long leaseUntil, int limit) {
        return with("claim sagas", c -> {
            List<SagaRow> rows = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(claimSql)) {
                s.setLong(1, now);
                s.setInt(2, limit);
                s.setString(3, owner);
                s.setLong(4, leaseUntil);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        rows.add(row(rs));
                    }
                }
            }
            if (rows.isEmpty()) {
                return List.of();
            }
            Map<String, List<StepRecord>> histories = histories(c, rows.stream().map(SagaRow::sagaId).toList());
            return rows.stream().map(r -> new Claim(r, histories.getOrDefault(r.sagaId(), List.of()))).toList();
        });
    }

    private Map<String, List<StepRecord>> histories(Connection c, List<String> ids) throws SQLException {
        Map<String, List<StepRecord>> histories = new HashMap<>();
        String sql = "SELECT saga_id, " + STEP_COLUMNS + " FROM " + steps + " WHERE saga_id = ANY(?) ORDER BY saga_id, seq";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            Array array = c.createArrayOf("text", ids.toArray());
            s.setArray(1, array);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    histories.computeIfAbsent(rs.getString("saga_id"), k -> new ArrayList<>()).add(entry(rs));
                }
            }
        }
        return histories;
    }

    @Override
    public Map<String, Boolean> renew(String owner, Collection<String> sagaIds, long leaseUntil) {
        return with("renew leases", c -> {
            Map<String, Boolean> held = new HashMap<>();
            try (PreparedStatement s = c.prepareStatement(renewSql)) {
                s.setLong(1, leaseUntil);
                s.setArray(2, c.createArrayOf("text", sagaIds.toArray()));
                s.setString(3, owner);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        held.put(rs.getString(1), rs.getBoolean(2));
                    }
                }
            }
            return held;
        });
    }

    @Override
    public void release(String owner) {
        with("release the leases of " + owner, c -> {
            try (PreparedStatement s = c.prepareStatement(releaseSql)) {
                s.setString(1, owner);
                return s.executeUpdate();
            }
        });
    }

    @Override
    public Optional<SagaRow> find(String sagaId) {
        return with("read saga " + sagaId, c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT " + ROW_COLUMNS + " FROM " + table + " WHERE saga_id = ?")) {
                s.setString(1, sagaId);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(row(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<SagaRow> list(SagaState state, long createdBefore, int limit) {
        return with("list " + state + " sagas", c -> {
            String sql = "SELECT " + ROW_COLUMNS + " FROM " + table
                    + " WHERE state = ? AND created_at <= ? ORDER BY created_at LIMIT ?";
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setString(1, state.name());
                s.setLong(2, createdBefore);
                s.setInt(3, limit);
                List<SagaRow> rows = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        rows.add(row(rs));
                    }
                }
                return rows;
            }
        });
    }

    @Override
    public List<StepRecord> history(String sagaId) {
        return with("read the history of saga " + sagaId,
                c -> histories(c, List.of(sagaId)).getOrDefault(sagaId, List.of()));
    }

    @Override
    public boolean requestCancel(String sagaId, long now) {
        return with("request the cancellation of saga " + sagaId, c -> {
            try (PreparedStatement s = c.prepareStatement(cancelSql)) {
                s.setLong(1, now);
                s.setString(2, sagaId);
                return s.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean reopen(String sagaId, SagaState expected, int expectedSequence, SagaState state, List<String> active,
            String message, List<StepRecord> entries, long now) {
        return with("change parked saga " + sagaId, c -> {
            try (PreparedStatement s = c.prepareStatement(withEntries(reopenUpdate, entries.size()))) {
                int i = 0;
                s.setString(++i, state.name());
                s.setString(++i, String.join(",", active));
                s.setString(++i, message);
                s.setLong(++i, now);
                s.setInt(++i, entries.size());
                s.setString(++i, sagaId);
                s.setString(++i, expected.name());
                s.setInt(++i, expectedSequence);
                bindEntries(s, i, entries);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    private static SagaRow row(ResultSet rs) throws SQLException {
        String resume = rs.getString("resume_state");
        String active = rs.getString("active");
        String owner = rs.getString("owner");
        return new SagaRow(rs.getString("saga_id"), rs.getString("name"), rs.getInt("version"),
                SagaState.valueOf(rs.getString("state")), resume == null ? null : SagaState.valueOf(resume),
                rs.getString("data"), active == null || active.isEmpty() ? List.of() : Arrays.asList(active.split(",")),
                rs.getString("message"), rs.getBoolean("pivot_passed"), rs.getBoolean("cancel_requested"), owner,
                rs.getLong("lease_until"), rs.getLong("deadline"), rs.getLong("created_at"), rs.getLong("updated_at"),
                rs.getInt("step_seq"));
    }

    private static StepRecord entry(ResultSet rs) throws SQLException {
        return new StepRecord(rs.getInt("seq"), rs.getString("step_id"), StepRecord.Phase.valueOf(rs.getString("phase")),
                StepRecord.Outcome.valueOf(rs.getString("outcome")), rs.getInt("attempts"), rs.getString("output"),
                rs.getString("error"), Instant.ofEpochMilli(rs.getLong("started_at")),
                Instant.ofEpochMilli(rs.getLong("finished_at")));
    }
}
