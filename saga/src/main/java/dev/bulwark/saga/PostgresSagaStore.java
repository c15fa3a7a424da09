package dev.bulwark.saga;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * A saga store in PostgreSQL, shared by every node of an application. Two tables hold it: the instances
 * ({@code bulwark_saga} by default) and their step history ({@code <table>_step}); {@link #createTables()}
 * creates them, or run {@code dev/bulwark/saga/schema.sql} from this module's jar yourself.
 *
 * <pre>{@code
 * PostgresSagaStore store = PostgresSagaStore.builder(dataSource).table("orders_saga").build();
 * store.createTables();
 * }</pre>
 *
 * <p>Every write is a single statement, committed on its own: a step's completion, the next step's start and
 * the history entry travel together, so a three-step saga costs four commits. Nodes claim sagas whose lease
 * expired with {@code FOR UPDATE SKIP LOCKED}, and every transition is fenced by the lease owner. Values are
 * only ever bind parameters; the table name is a validated identifier. Give it a pooled {@link DataSource}:
 * it borrows a connection per statement.
 */
public final class PostgresSagaStore extends SagaStore {
    static final String DEFAULT_TABLE = "bulwark_saga";
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,50}");

    private final DataSource dataSource;
    private final String table;
    private final PostgresJournal journal;

    private PostgresSagaStore(DataSource dataSource, String table) {
        this.dataSource = dataSource;
        this.table = table;
        this.journal = new PostgresJournal(dataSource, table);
    }

    /** Starts building a store on {@code dataSource}. */
    public static Builder builder(DataSource dataSource) {
        return new Builder(Objects.requireNonNull(dataSource, "dataSource"));
    }

    /**
     * Creates the tables and indexes if they do not exist yet. Safe to call on every start.
     *
     * @throws SagaStoreException if PostgreSQL refuses
     */
    public void createTables() {
        String sql = schema().replace(DEFAULT_TABLE, table);
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(true);
            statement.execute(sql);
        } catch (SQLException e) {
            throw new SagaStoreException("could not create the saga tables " + table + " and " + table + "_step", e);
        }
    }

    /** The instance table's name; the history table is this name plus {@code _step}. */
    public String table() {
        return table;
    }

    @Override
    Journal journal() {
        return journal;
    }

    static String schema() {
        try (InputStream in = PostgresSagaStore.class.getResourceAsStream("schema.sql")) {
            if (in == null) {
                throw new IllegalStateException("dev/bulwark/saga/schema.sql is missing from the saga module");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read dev/bulwark/saga/schema.sql", e);
        }
    }

    @Override
    public String toString() {
        return "PostgresSagaStore[" + table + "]";
    }

    /** Builds a {@link PostgresSagaStore}. */
    public static final class Builder {
        private final DataSource dataSource;
        private String table;

        private Builder(DataSource dataSource) {
            this.dataSource = dataSource;
        }

        /**
         * The instance table's name (default {@code bulwark_saga}); the history table adds {@code _step}.
         *
         * @throws IllegalArgumentException unless it is a lower-case SQL identifier of at most 51 characters
         */
        public Builder table(String table) {
            Objects.requireNonNull(table, "table");
            if (this.table != null) {
                throw new IllegalStateException("table was already set to " + this.table);
            }
            if (!IDENTIFIER.matcher(table).matches()) {
                throw new IllegalArgumentException(
                        "table must be a lower-case identifier matching [a-z_][a-z0-9_]{0,50}, was '" + table + "'");
            }
            this.table = table;
            return this;
        }

        /** Builds the store; it touches the database only when used. */
        public PostgresSagaStore build() {
            return new PostgresSagaStore(dataSource, table == null ? DEFAULT_TABLE : table);
        }
    }
}
