package dev.bulwark.eventstore;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.postgresql.PGConnection;

/**
 * A data source that cuts its connections at chosen moments of an append, by terminating the server process of the
 * connection (as a crash or a network cut would), to test what an append reports and leaves behind.
 */
final class FaultyDataSource implements DataSource {

    /** Where to cut. */
    enum Fault {
        /** Cut before the second append statement of a multi-stream append runs: its transaction is lost. */
        BEFORE_SECOND_STATEMENT,
        /** Cut when COMMIT is about to be sent. */
        BEFORE_COMMIT,
        /** Let an auto-committed append statement commit, then cut before its reply is read. */
        AFTER_STATEMENT_COMMITS
    }

    private final DataSource pool;
    private final DataSource admin;
    private final AtomicReference<Fault> armed = new AtomicReference<>();
    private final AtomicInteger appendStatements = new AtomicInteger();

    /**
     * @param pool where connections come from
     * @param admin a separate way in, to terminate the victim's server process
     */
    FaultyDataSource(DataSource pool, DataSource admin) {
        this.pool = pool;
        this.admin = admin;
    }

    /** Cuts the next connection at this moment (once). */
    void arm(Fault fault) {
        appendStatements.set(0);
        armed.set(fault);
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection connection = pool.getConnection();
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().equals("commit") && armed.compareAndSet(Fault.BEFORE_COMMIT, null)) {
                cut(connection);
            }
            Object result = invoke(connection, method, args);
            if (method.getName().equals("prepareStatement") && ((String) args[0]).contains("pg_notify")) {
                return statement(connection, (PreparedStatement) result);
            }
            return result;
        };
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                handler);
    }

    private PreparedStatement statement(Connection connection, PreparedStatement statement) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (!method.getName().equals("executeQuery")) {
                return invoke(statement, method, args);
            }
            int number = appendStatements.incrementAndGet();
            if (number == 2 && armed.compareAndSet(Fault.BEFORE_SECOND_STATEMENT, null)) {
                cut(connection);
            }
            Object result = invoke(statement, method, args);
            if (armed.compareAndSet(Fault.AFTER_STATEMENT_COMMITS, null)) {
                cut(connection);
                throw new SQLException("An I/O error occurred while sending to the backend (simulated)", "08006");
            }
            return result;
        };
        return (PreparedStatement) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {PreparedStatement.class}, handler);
    }

    private void cut(Connection victim) throws SQLException {
        int pid = victim.unwrap(PGConnection.class).getBackendPID();
        try (Connection connection = admin.getConnection();
                PreparedStatement terminate = connection.prepareStatement("SELECT pg_terminate_backend(?, 5000)")) {
            terminate.setInt(1, pid);
            terminate.execute();
        }
        // Let the driver find out, as it would on a real cut, so the pool drops the connection.
        victim.isValid(1);
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // Not used.
    }

    @Override
    public void setLoginTimeout(int seconds) {
        // Not used.
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return false;
    }
}
