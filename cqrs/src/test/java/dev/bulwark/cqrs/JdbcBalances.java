package dev.bulwark.cqrs;

import dev.bulwark.cqrs.Bank.Deposited;
import dev.bulwark.cqrs.Bank.Opened;
import dev.bulwark.cqrs.Bank.Withdrawn;
import dev.bulwark.eventstore.RecordedEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;

/**
 * A JDBC projection for tests: balances per stream, plus a log of the positions applied with no unique constraint,
 * so that an event applied twice shows up. Streams whose id starts with "poison" fail with a division by zero.
 */
final class JdbcBalances implements JdbcProjection {
    private final long sleepMillisPerEvent;
    /** Whether streams named "poison..." fail; an operator's fix sets it to false. */
    volatile boolean poisonFails = true;
    /** The positions {@link #committed} was told about. */
    final List<Long> committed = new CopyOnWriteArrayList<>();

    JdbcBalances() {
        this(0);
    }

    JdbcBalances(long sleepMillisPerEvent) {
        this.sleepMillisPerEvent = sleepMillisPerEvent;
    }

    static void createTables(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS balances (stream_id text PRIMARY KEY, balance bigint NOT NULL)");
            statement.execute("CREATE TABLE IF NOT EXISTS applied (position bigint NOT NULL)");
        }
    }

    @Override
    public void apply(RecordedEvent event, Connection connection) throws Exception {
        if (sleepMillisPerEvent > 0) {
            Thread.sleep(sleepMillisPerEvent);
        }
        if (poisonFails && event.streamId().startsWith("poison")) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SELECT 1 / 0");
            }
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO applied (position) VALUES (?)")) {
            insert.setLong(1, event.position());
            insert.executeUpdate();
        }
        Object data = event.data();
        long change;
        if (data instanceof Opened) {
            change = 0;
        } else if (data instanceof Deposited deposited) {
            change = deposited.amount();
        } else if (data instanceof Withdrawn withdrawn) {
            change = -withdrawn.amount();
        } else {
            return;
        }
        try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO balances (stream_id, balance) "
                + "VALUES (?, ?) ON CONFLICT (stream_id) DO UPDATE SET balance = balances.balance + EXCLUDED.balance")) {
            upsert.setString(1, event.streamId());
            upsert.setLong(2, change);
            upsert.executeUpdate();
        }
    }

    @Override
    public void committed(List<RecordedEvent> events) {
        for (RecordedEvent event : events) {
            committed.add(event.position());
        }
    }

    @Override
    public void reset(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("DELETE FROM balances");
            statement.execute("DELETE FROM applied");
        }
    }

    static Map<String, Long> balances(DataSource dataSource) throws SQLException {
        Map<String, Long> balances = new TreeMap<>();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT stream_id, balance FROM balances")) {
            while (rows.next()) {
                balances.put(rows.getString(1), rows.getLong(2));
            }
        }
        return balances;
    }

    static List<Long> applied(DataSource dataSource) throws SQLException {
        List<Long> applied = new ArrayList<>();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT position FROM applied ORDER BY position")) {
            while (rows.next()) {
                applied.add(rows.getLong(1));
            }
        }
        return applied;
    }

    static long storedCheckpoint(DataSource dataSource, String name) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(
                "SELECT position FROM bulwark_projection_checkpoints WHERE name = ?")) {
            select.setString(1, name);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getLong(1) : 0;
            }
        }
    }
}
