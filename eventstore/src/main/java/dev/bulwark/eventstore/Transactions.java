package dev.bulwark.eventstore;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * How PostgresEventStore borrows connections: one per operation, returned (closed) at once, with auto-commit set
 * for the operation and restored afterwards, so a pooled connection goes back as it came.
 */
final class Transactions {

    /** Work on a connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final DataSource dataSource;

    Transactions(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Runs reads in auto-commit mode. */
    <T> T read(String what, Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(true);
            try {
                return work.run(connection);
            } finally {
                restore(connection, autoCommit);
            }
        } catch (SQLException e) {
            throw SqlFailures.translate(what, e, false);
        }
    }

    /** Runs writes in one transaction: committed if {@code work} returns, rolled back if it throws. */
    <T> T write(String what, Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection, e);
                throw e;
            } finally {
                restore(connection, autoCommit);
            }
        } catch (SQLException e) {
            throw SqlFailures.translate(what, e, true);
        }
    }

    static void rollbackQuietly(Connection connection, Exception failure) {
        try {
            connection.rollback();
        } catch (SQLException rollbackFailure) {
            failure.addSuppressed(rollbackFailure);
        }
    }

    /** Restores auto-commit, unless the connection broke (then the pool discards it anyway). */
    static void restore(Connection connection, boolean autoCommit) {
        try {
            if (!connection.isClosed()) {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException ignored) {
            // The connection is broken; closing it is all that is left to do.
        }
    }
}
