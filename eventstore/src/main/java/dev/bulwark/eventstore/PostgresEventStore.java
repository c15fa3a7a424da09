package dev.bulwark.eventstore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * An event store in PostgreSQL (13 or newer), on a {@link DataSource} the caller supplies: several application
 * instances can share one database. Needs the PostgreSQL JDBC driver.
 *
 * <pre>{@code
 * PostgresEventStore store = PostgresEventStore.builder(dataSource, settings).schema("events").build();
 * store.createSchema(); // or apply postgres-schema.sql (see schemaSql()) with your migration tool
 * store.append("order-42", ExpectedVersion.NO_STREAM, List.of(EventData.of(new OrderPlaced("42"))));
 * }</pre>
 *
 * <h2>Why a reader never skips an event that committed late</h2>
 * A global sequence cannot give this: a transaction can draw number 7, another draw 8 and commit first, and a
 * reader that has passed 8 never sees 7. Gap lists and timeouts only guess. Here an event's position is
 * {@code (id of its transaction << 16) + its index in that transaction} (transaction ids are PostgreSQL's 64-bit
 * {@code pg_current_xact_id()}; the index continues across the appends of one transaction), and a read of the global
 * log returns only positions below {@code pg_snapshot_xmin(pg_current_snapshot()) << 16}, computed in the same
 * statement as the read. That bound is the id of the oldest transaction still running: every transaction below it
 * has ended, so its events are in the read's snapshot or never will be, and every transaction yet to commit has a
 * higher id, so all its events land above the bound. Positions handed to readers therefore form a total order that
 * never goes backwards, with no gap list and no timeout. The price: one long-running transaction anywhere in the
 * cluster delays (never drops) delivery of events committed after it began, until it ends. Keep transactions short,
 * or set {@code idle_in_transaction_session_timeout}.
 *
 * <p>Appends check the expected version before any position exists (see the appender's comment), serialize per
 * stream on the stream's row, and keep each stream's positions rising with its versions. There is no sequence:
 * losers of a race burn nothing. One append of one stream is one auto-committed statement, so a connection lost
 * midway leaves it either committed or not; when it is unknown which, {@link TransientEventStoreException} says so,
 * and retrying with the same event ids is safe. A transaction holds at most 65,535 events.
 *
 * <p>Live subscriptions LISTEN on a channel that every append NOTIFYs in its own statement (so a notification is
 * sent exactly when the append commits), and poll slowly as a safety net (see
 * {@link EventStoreSettings#safetyPollInterval()}); each holds one connection of the data source while it runs.
 * Know the cost: PostgreSQL lets one notifying transaction commit at a time (it holds a lock until the commit is
 * complete), so with {@code synchronous_commit = on} concurrent appends do not share WAL flushes. Notifying after
 * the commit instead costs a second round trip per append, which measured slower on every workload tried.
 * Table and schema names are checked to be plain identifiers; every value reaches SQL as a bind parameter.
 */
public final class PostgresEventStore extends BaseEventStore {

    private final DataSource dataSource;
    private final PostgresNames names;
    private final Transactions transactions;
    private final PostgresAppender appender;
    private final PostgresReader reader;
    private final NamedSql lockStream;
    private final NamedSql markDeleted;
    private final NamedSql dropSnapshot;
    private final NamedSql truncate;
    private final NamedSql dropEvents;
    private final NamedSql saveSnapshot;

    private PostgresEventStore(DataSource dataSource, PostgresNames names, EventStoreSettings settings) {
        super(settings);
        this.dataSource = dataSource;
        this.names = names;
        this.transactions = new Transactions(dataSource);
        this.appender = new PostgresAppender(dataSource, names, settings);
        this.reader = new PostgresReader(names, codec);
        lockStream = NamedSql.parse("SELECT version, first_version, deleted FROM " + names.streams()
                + " WHERE stream_id = :streamId FOR UPDATE");
        markDeleted = NamedSql.parse("UPDATE " + names.streams() + " SET deleted = true, truncate_before = version + 1 "
                + "WHERE stream_id = :streamId");
        dropSnapshot = NamedSql.parse("DELETE FROM " + names.snapshots() + " WHERE stream_id = :streamId");
        truncate = NamedSql.parse("UPDATE " + names.streams() + " SET truncate_before = :beforeVersion "
                + "WHERE stream_id = :streamId AND truncate_before < :beforeVersion");
        dropEvents = NamedSql.parse("DELETE FROM " + names.events() + " WHERE stream_no = (SELECT stream_no FROM "
                + names.streams() + " WHERE stream_id = :streamId) AND version < :beforeVersion");
        saveSnapshot = NamedSql.parse("INSERT INTO " + names.snapshots() + " AS n (stream_id, version, snapshot_type, "
                + "schema_version, data, created_at) VALUES (:streamId, :version, :type, :schemaVersion, "
                + ":data::json, :timestamp) ON CONFLICT (stream_id) DO UPDATE SET version = EXCLUDED.version, "
                + "snapshot_type = EXCLUDED.snapshot_type, schema_version = EXCLUDED.schema_version, "
                + "data = EXCLUDED.data, created_at = EXCLUDED.created_at WHERE n.version <= EXCLUDED.version");
    }

    /** A builder for a store on this data source, with these settings. */
    public static Builder builder(DataSource dataSource, EventStoreSettings settings) {
        return new Builder(dataSource, settings);
    }

    /**
     * Creates the schema and tables if they do not exist: the statements of {@link #schemaSql()}, under an advisory
     * lock so that several instances starting at once do not trip over each other.
     */
    public void createSchema() {
        checkOpen();
        transactions.write("create the event store schema", connection -> {
            try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
                lock.setString(1, "bulwark-eventstore-schema:" + names.channel());
                lock.execute();
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute(names.schemaSql());
            }
            return null;
        });
    }

    /** The DDL {@link #createSchema()} runs, for those who apply migrations with their own tools. */
    public String schemaSql() {
        return names.schemaSql();
    }

    /**
     * Appends to one stream within the caller's transaction, so that the events commit (or roll back) with the
     * caller's other writes. The connection must not be in auto-commit mode. On failure, everything this call
     * wrote is rolled back to a savepoint and the transaction stays usable. A race lost to a concurrent transaction
     * is reported as {@link TransientEventStoreException}: retry the whole transaction.
     *
     * @throws IllegalStateException if the connection is in auto-commit mode
     * @see EventStore#append(String, ExpectedVersion, List)
     */
    public AppendResult append(Connection connection, String streamId, ExpectedVersion expectedVersion,
            List<EventData> events) {
        checkOpen();
        Objects.requireNonNull(connection, "connection");
        return appender.append(connection, List.of(codec.prepare(streamId, expectedVersion, events))).get(0);
    }

    /**
     * Appends to several streams within the caller's transaction; see {@link #append(Connection, String,
     * ExpectedVersion, List)}.
     */
    public List<AppendResult> appendAll(Connection connection, List<StreamAppend> appends) {
        checkOpen();
        Objects.requireNonNull(connection, "connection");
        return appender.append(connection, codec.prepare(appends));
    }

    @Override
    List<AppendResult> doAppend(List<PreparedEvent.Batch> batches) {
        return appender.append(batches);
    }

    @Override
    StreamSlice doReadStream(String streamId, ReadDirection direction, long fromVersion, int maxCount) {
        return transactions.read("read stream " + streamId,
                connection -> reader.readStream(connection, streamId, direction, fromVersion, maxCount));
    }

    @Override
    GlobalSlice doReadAll(long afterPosition, int maxCount, EventFilter filter) {
        return transactions.read("read the global log after " + afterPosition,
                connection -> reader.readAll(connection, afterPosition, maxCount, filter).slice());
    }

    @Override
    long doHeadPosition() {
        return transactions.read("read the head position", reader::headPosition);
    }

    @Override
    void doDeleteStream(String streamId, ExpectedVersion expectedVersion) {
        transactions.write("delete stream " + streamId, connection -> {
            AppendRules.StreamState state = lockedState(connection, streamId);
            switch (AppendRules.checkDelete(expectedVersion, state)) {
                case DELETE -> {
                    update(connection, markDeleted, Map.of("streamId", streamId));
                    update(connection, dropSnapshot, Map.of("streamId", streamId));
                }
                case NOTHING -> { }
                case CONFLICT -> throw new WrongExpectedVersionException(streamId, expectedVersion, state.version(),
                        state.deleted());
            }
            return null;
        });
    }

    @Override
    void doTruncateStream(String streamId, long beforeVersion) {
        transactions.write("truncate stream " + streamId, connection -> {
            AppendRules.StreamState state = lockedState(connection, streamId);
            AppendRules.requireExists(streamId, "truncate", state.version() > 0, state.deleted());
            AppendRules.requireTruncatable(streamId, beforeVersion, state.version());
            Map<String, Object> values = Map.of("streamId", streamId, "beforeVersion", beforeVersion);
            if (update(connection, truncate, values) > 0) {
                update(connection, dropEvents, values);
            }
            return null;
        });
    }

    @Override
    void doSaveSnapshot(String streamId, long version, SerializedEvent state) {
        Instant timestamp = Instant.ofEpochMilli(settings.clock().currentTimeMillis());
        transactions.write("save the snapshot of " + streamId, connection -> {
            AppendRules.StreamState stream = lockedState(connection, streamId);
            AppendRules.requireExists(streamId, "snapshot", stream.version() > 0, stream.deleted());
            AppendRules.requireSnapshotVersion(streamId, version, stream.version());
            update(connection, saveSnapshot, Map.of("streamId", streamId, "version", version, "type", state.type(),
                    "schemaVersion", state.schemaVersion(), "data", state.json(),
                    "timestamp", OffsetDateTime.ofInstant(timestamp, ZoneOffset.UTC)));
            return null;
        });
    }

    @Override
    Optional<Snapshot> doLoadSnapshot(String streamId) {
        return transactions.read("load the snapshot of " + streamId,
                connection -> reader.loadSnapshot(connection, streamId));
    }

    private AppendRules.StreamState lockedState(Connection connection, String streamId) throws SQLException {
        try (PreparedStatement statement = lockStream.prepare(connection, Map.of("streamId", streamId));
                ResultSet rows = statement.executeQuery()) {
            return rows.next()
                    ? new AppendRules.StreamState(rows.getLong(1), rows.getLong(2), rows.getBoolean(3))
                    : AppendRules.StreamState.NEW;
        }
    }

    private static int update(Connection connection, NamedSql sql, Map<String, ?> values) throws SQLException {
        try (PreparedStatement statement = sql.prepare(connection, values)) {
            return statement.executeUpdate();
        }
    }

    @Override
    SubscriptionSource globalSource(EventFilter filter) {
        return new PostgresSource(dataSource, names, null, (connection, checkpoint, maxCount) -> {
            PostgresReader.LogPage page = reader.readAll(connection, checkpoint, maxCount, filter);
            return new PostgresSource.Read(SubscriptionSource.Page.of(page.slice()), page.heldBack());
        }, settings.safetyPollInterval().toMillis());
    }

    @Override
    SubscriptionSource streamSource(String streamId) {
        return new PostgresSource(dataSource, names, streamId, (connection, checkpoint, maxCount) -> {
            StreamSlice slice = reader.readStream(connection, streamId, ReadDirection.FORWARD, checkpoint + 1, maxCount);
            return new PostgresSource.Read(SubscriptionSource.Page.of(slice, checkpoint), false);
        }, settings.safetyPollInterval().toMillis());
    }

    @Override
    public String toString() {
        return "PostgresEventStore[" + names.events() + "]";
    }

    /** Builds a {@link PostgresEventStore}. Not thread-safe. */
    public static final class Builder {
        private final DataSource dataSource;
        private final EventStoreSettings settings;
        private String schema;
        private String tablePrefix = PostgresNames.DEFAULT_PREFIX;

        private Builder(DataSource dataSource, EventStoreSettings settings) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            this.settings = Objects.requireNonNull(settings, "settings");
        }

        /**
         * The schema of the tables (created by {@link #createSchema()} if missing); by default none, so the
         * connection's search path decides.
         *
         * @throws IllegalArgumentException unless lower-case letters, digits and {@code _}, not starting with a
         *     digit, at most 63
         */
        public Builder schema(String schema) {
            Objects.requireNonNull(schema, "schema");
            new PostgresNames(schema, tablePrefix);
            this.schema = schema;
            return this;
        }

        /**
         * The prefix of the table names ({@code prefix + "events"}, {@code "streams"}, {@code "snapshots"});
         * {@code "bulwark_"} by default.
         *
         * @throws IllegalArgumentException unless lower-case letters, digits and {@code _}, not starting with a
         *     digit, at most 40
         */
        public Builder tablePrefix(String tablePrefix) {
            Objects.requireNonNull(tablePrefix, "tablePrefix");
            new PostgresNames(schema, tablePrefix);
            this.tablePrefix = tablePrefix;
            return this;
        }

        /** The store. It does not touch the database until used; call {@link #createSchema()} if needed. */
        public PostgresEventStore build() {
            return new PostgresEventStore(dataSource, new PostgresNames(schema, tablePrefix), settings);
        }
    }
}
