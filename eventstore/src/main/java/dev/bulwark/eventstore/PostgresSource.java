package dev.bulwark.eventstore;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * A subscription source on PostgreSQL. It holds one connection for its lifetime (borrowed from the data source on
 * the subscription's thread at the first read, returned at close), LISTENs on the store's channel on it, and reads
 * on it too.
 *
 * <p>Waiting: after a read that reached the end, it blocks in {@code getNotifications} until an append commits and
 * notifies, or the safety poll interval passes. A notification sent during the read is queued on the connection and
 * ends the next wait at once, so none is lost. When the read saw committed events above its bound (an older
 * transaction was still running), it waits only briefly, doubling from 10 ms, since the end of a transaction that
 * appended nothing notifies no one. Waits are socket timeouts, in slices of at most 100 ms so that close() is
 * noticed quickly.
 */
final class PostgresSource implements SubscriptionSource {
    private static final int SLICE_MILLIS = 100;
    private static final long FIRST_HELD_BACK_MILLIS = 10;

    /** One read on the source's connection. */
    interface Reader {
        Read read(Connection connection, long checkpoint, int maxCount) throws SQLException;
    }

    /**
     * What a read returns.
     *
     * @param page the page
     * @param heldBack whether committed events wait above the read's bound
     */
    record Read(Page page, boolean heldBack) {}

    private final DataSource dataSource;
    private final String channel;
    private final String streamId;
    private final Reader reader;
    private final long safetyMillis;
    private final String what;
    private volatile boolean woken;
    /** The fields below are used by the subscription's thread only. */
    private Connection connection;
    private PGConnection listener;
    private boolean heldBack;
    private long heldBackMillis = FIRST_HELD_BACK_MILLIS;

    /**
     * @param streamId the stream whose notifications matter, or {@code null} for all
     */
    PostgresSource(DataSource dataSource, PostgresNames names, String streamId, Reader reader, long safetyMillis) {
        this.dataSource = dataSource;
        this.channel = names.channel();
        this.streamId = streamId;
        this.reader = reader;
        this.safetyMillis = Math.max(1, safetyMillis);
        this.what = "subscription to " + (streamId == null ? "all" : streamId);
    }

    @Override
    public Page read(long checkpoint, int maxCount) {
        try {
            connect();
            Read read = reader.read(connection, checkpoint, maxCount);
            heldBack = read.heldBack();
            return read.page();
        } catch (SQLException e) {
            disconnect();
            throw SqlFailures.translate(what + ": read after " + checkpoint, e, false);
        }
    }

    @Override
    public void await() {
        long budget = heldBack ? heldBackMillis : safetyMillis;
        heldBackMillis = heldBack ? Math.min(heldBackMillis * 2, safetyMillis) : FIRST_HELD_BACK_MILLIS;
        long waited = 0;
        try {
            while (!woken && waited < budget) {
                int slice = (int) Math.min(SLICE_MILLIS, budget - waited);
                PGNotification[] notifications = listener.getNotifications(slice);
                if (relevant(notifications)) {
                    return;
                }
                waited += slice;
            }
        } catch (SQLException e) {
            disconnect();
            throw SqlFailures.translate(what + ": waiting for notifications", e, false);
        }
    }

    private boolean relevant(PGNotification[] notifications) {
        if (notifications == null || notifications.length == 0) {
            return false;
        }
        if (streamId == null) {
            return true;
        }
        for (PGNotification notification : notifications) {
            if (streamId.equals(notification.getParameter())) {
                return true;
            }
        }
        return false;
    }

    private void connect() throws SQLException {
        if (connection != null) {
            return;
        }
        Connection fresh = dataSource.getConnection();
        try {
            fresh.setAutoCommit(true);
            PGConnection pg = fresh.unwrap(PGConnection.class);
            try (Statement statement = fresh.createStatement()) {
                statement.execute("LISTEN " + channel);
            }
            connection = fresh;
            listener = pg;
        } catch (SQLException | RuntimeException e) {
            fresh.close();
            throw e;
        }
    }

    private void disconnect() {
        Connection held = connection;
        connection = null;
        listener = null;
        if (held == null) {
            return;
        }
        try {
            if (!held.isClosed()) {
                try (Statement statement = held.createStatement()) {
                    statement.execute("UNLISTEN *");
                }
            }
        } catch (SQLException ignored) {
            // A broken connection listens no more; the pool drops it.
        } finally {
            try {
                held.close();
            } catch (SQLException ignored) {
                // Nothing more to release.
            }
        }
    }

    @Override
    public void wakeUp() {
        woken = true;
    }

    @Override
    public void close() {
        disconnect();
    }
}
