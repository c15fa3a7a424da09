package dev.bulwark.eventstore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes subscribers after appends that committed without notifying in their own transaction.
 *
 * <p>Why not always NOTIFY in the append's transaction: PostgreSQL makes every notifying transaction take one lock
 * and hold it until its commit is complete, WAL flush included, so with {@code synchronous_commit = on} concurrent
 * notifying appends would commit one flush at a time instead of sharing flushes (group commit). So an append that
 * runs while others of this store are in flight commits without NOTIFY, and afterwards makes sure that one NOTIFY
 * is sent after its commit, in a tiny transaction of its own whose commit need not wait for the disk.
 *
 * <p>Coalescing, and why no wake-up is lost: {@code committed} counts such appends as they finish committing;
 * {@code claimed} is the highest count for which some thread has promised to send a NOTIFY after raising it. An
 * append with count {@code n} returns at once if {@code claimed >= n} (that NOTIFY will be sent after its commit);
 * otherwise it raises {@code claimed} to the current count and sends the NOTIFY itself. Every count up to the value
 * it raised to belongs to an append that had committed before, so each is covered by a NOTIFY sent later.
 */
final class PostgresNotifier {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresNotifier.class);

    private final DataSource dataSource;
    private final String channel;
    private final AtomicLong committed = new AtomicLong();
    private final AtomicLong claimed = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();

    PostgresNotifier(DataSource dataSource, PostgresNames names) {
        this.dataSource = dataSource;
        this.channel = names.channel();
    }

    /** Called after an append committed without notifying; returns once a NOTIFY after that commit is certain. */
    void committed() {
        long mine = committed.incrementAndGet();
        while (true) {
            long covered = claimed.get();
            if (covered >= mine) {
                return;
            }
            if (claimed.compareAndSet(covered, committed.get())) {
                send();
                return;
            }
        }
    }

    /** How many NOTIFYs this notifier sent (for tests). */
    long sent() {
        return sent.get();
    }

    private void send() {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(true);
            try (PreparedStatement notify = connection.prepareStatement(
                    "SELECT set_config('synchronous_commit', 'off', true), pg_notify(?, '')")) {
                notify.setString(1, channel);
                notify.execute();
                sent.incrementAndGet();
            } finally {
                Transactions.restore(connection, autoCommit);
            }
        } catch (SQLException e) {
            // The events are committed; subscribers will find them at their next safety poll.
            LOG.warn("could not notify subscribers on channel {}: {}", channel, e.getMessage());
        }
    }
}
