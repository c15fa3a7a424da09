package dev.bulwark.testsupport;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A minimal connection pool for tests and benchmarks, so that code which borrows a connection per operation does
 * not open a physical connection each time. Connections handed out are proxies whose {@code close()} returns the
 * physical connection to the pool (or discards it if it broke); {@code unwrap} reaches the driver's connection.
 *
 * <pre>{@code
 * try (TestConnectionPool pool = TestConnectionPool.of(TestPostgres.freshDatabase(), 8)) {
 *     try (Connection c = pool.getConnection()) { ... }
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #getConnection()} blocks while all {@code size} connections are out (up to 60 s).
 */
public final class TestConnectionPool implements DataSource, AutoCloseable {
    private final DataSource physical;
    private final Semaphore permits;
    private final BlockingQueue<Connection> idle;
    private final List<Connection> all = new ArrayList<>();
    private volatile boolean closed;

    private TestConnectionPool(DataSource physical, int size) {
        this.physical = physical;
        this.permits = new Semaphore(size);
        this.idle = new ArrayBlockingQueue<>(size);
    }

    /**
     * A pool of at most {@code size} connections to the database.
     *
     * @throws IllegalArgumentException if {@code size} is below 1
     */
    public static TestConnectionPool of(TestDatabase database, int size) {
        Objects.requireNonNull(database, "database");
        if (size < 1) {
            throw new IllegalArgumentException("size must be >= 1, was " + size);
        }
        return new TestConnectionPool(database.dataSource(), size);
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (closed) {
            throw new SQLException("the pool is closed");
        }
        try {
            if (!permits.tryAcquire(60, TimeUnit.SECONDS)) {
                throw new SQLException("no pooled connection became free within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for a pooled connection", e);
        }
        try {
            Connection connection = idle.poll();
            if (connection == null) {
                connection = physical.getConnection();
                synchronized (all) {
                    all.add(connection);
                }
            }
            return lease(connection);
        } catch (SQLException | RuntimeException e) {
            permits.release();
            throw e;
        }
    }

    private Connection lease(Connection connection) {
        InvocationHandler handler = new InvocationHandler() {
            private boolean returned;

            @Override
            public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
                switch (method.getName()) {
                    case "close" -> {
                        giveBack();
                        return null;
                    }
                    case "isClosed" -> {
                        return returned || connection.isClosed();
                    }
                    default -> {
                        if (returned) {
                            throw new SQLException("connection already returned to the pool");
                        }
                        try {
                            return method.invoke(connection, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    }
                }
            }

            private void giveBack() throws SQLException {
                if (returned) {
                    return;
                }
                returned = true;
                try {
                    // isClosed() is local: the driver marks a connection closed when it hits an I/O error, and no
                    // round trip is spent per loan (benchmarks measure through this pool).
                    if (!closed && !connection.isClosed()) {
                        if (!connection.getAutoCommit()) {
                            connection.rollback();
                            connection.setAutoCommit(true);
                        }
                        idle.add(connection);
                    } else {
                        connection.close();
                    }
                } finally {
                    permits.release();
                }
            }
        };
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                handler);
    }

    /** Closes every physical connection. */
    @Override
    public void close() {
        closed = true;
        synchronized (all) {
            for (Connection connection : all) {
                try {
                    connection.close();
                } catch (SQLException ignored) {
                    // Closing anyway.
                }
            }
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the pool has fixed credentials");
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // No logging.
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
        throw new SQLFeatureNotSupportedException("no java.util.logging");
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException("not a wrapper of " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }
}
