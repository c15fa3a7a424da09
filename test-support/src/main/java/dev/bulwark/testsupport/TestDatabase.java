package dev.bulwark.testsupport;

import java.util.Objects;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A fresh PostgreSQL database (or, where the server forbids creating databases, a fresh schema) that
 * belongs to one test.
 *
 * <pre>{@code
 * TestDatabase db = TestPostgres.freshDatabase();
 * try (Connection c = db.dataSource().getConnection()) { ... }
 * }</pre>
 *
 * @param dataSource connections to the fresh database, with the fresh schema first on the search path
 * @param name the database name, or the schema name when isolation is by schema
 * @param server a human-readable description of the server, such as
 *     {@code "embedded PostgreSQL on port 41234"} or {@code "external PostgreSQL at jdbc:postgresql://db/x"}
 * @param jdbcUrl a JDBC URL for the same database (and schema), for tools that want a URL, not a data source
 * @param user the user to connect as, or {@code null} when the URL or the server's defaults decide
 * @param password the password, or {@code null}
 */
public record TestDatabase(DataSource dataSource, String name, String server, String jdbcUrl, String user, String password) {
    public TestDatabase {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    }

    /**
     * The same database, reached by sessions that commit durably ({@code synchronous_commit=on}): the embedded
     * server runs with {@code synchronous_commit=off} to keep tests fast, which a benchmark of durable writes
     * must not inherit.
     */
    public TestDatabase durable() {
        PGSimpleDataSource given = (PGSimpleDataSource) dataSource;
        PGSimpleDataSource durable = new PGSimpleDataSource();
        durable.setURL(given.getURL());
        durable.setUser(given.getUser());
        durable.setPassword(given.getPassword());
        durable.setOptions("-c synchronous_commit=on");
        return new TestDatabase(durable, name, server + " (synchronous_commit=on)", durable.getURL(), user, password);
    }
}
