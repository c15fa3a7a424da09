package dev.bulwark.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.eventstore.EventData;
import dev.bulwark.eventstore.EventFilter;
import dev.bulwark.eventstore.EventSerializer;
import dev.bulwark.eventstore.EventStore;
import dev.bulwark.eventstore.EventStoreSettings;
import dev.bulwark.eventstore.EventTypeRegistry;
import dev.bulwark.eventstore.ExpectedVersion;
import dev.bulwark.eventstore.GlobalSlice;
import dev.bulwark.eventstore.PostgresEventStore;
import dev.bulwark.testsupport.TestConnectionPool;
import dev.bulwark.testsupport.TestDatabase;
import dev.bulwark.testsupport.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.axonframework.common.jdbc.DataSourceConnectionProvider;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.PostgresEventTableFactory;
import org.axonframework.serialization.json.JacksonSerializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Appending to PostgreSQL, in events per second: batches of 10 events of about 200 bytes of JSON, each batch one
 * append to a stream of the benchmark thread's own with its exact expected version.
 *
 * <ul>
 *   <li>{@code bulwark}: {@link PostgresEventStore#append}.
 *   <li>{@code rawJdbc}: the same rows (same columns, same JSON) inserted by a minimal batched JDBC insert into a
 *       plain table with only a primary key, on a connection the thread keeps: the ceiling.
 *   <li>{@code axon}: Axon Framework 4.13 {@code JdbcEventStorageEngine} (Jackson serializer, its PostgreSQL
 *       schema), appending 10 domain events of one aggregate.
 *   <li>{@code bulwarkCatchUp} and {@code axonCatchUp}: reading a prefilled global log of 100,000 events from
 *       the start, 1000 at a time (the catch-up of a new projection), wrapping around at the end; the score is
 *       events read per second. Bulwark's read deserializes every event; Axon's messages deserialize lazily, and
 *       the benchmark does not ask for their payloads.
 * </ul>
 * All run against the same server: the embedded PostgreSQL 17 of the test support (started once per fork; it runs
 * with {@code synchronous_commit=off}), or the one named by {@code BULWARK_PG_URL}. The stores borrow connections
 * from the same small pool ({@link TestConnectionPool}, 8 connections).
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar PostgresAppendBenchmark -t 1} and again with
 * {@code -t 4}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PostgresAppendBenchmark {
    private static final int BATCH = 10;
    private static final int PAGE = 1000;
    private static final int CATCH_UP_EVENTS = 100_000;

    /** The event every method writes: about 200 bytes of JSON. */
    public record OrderLineAdded(String orderId, String customerId, String sku, int quantity, long priceCents,
            String currency, String warehouse, String note) {}

    private TestConnectionPool pool;
    private EventStoreSettings settings;
    private PostgresEventStore bulwark;
    private JdbcEventStorageEngine axon;
    private final ObjectMapper json = new ObjectMapper();

    @Setup(Level.Trial)
    public void setUp() throws SQLException {
        TestDatabase database = TestPostgres.freshDatabase();
        pool = TestConnectionPool.of(database, 8);
        settings = EventStoreSettings.defaults(EventSerializer.create(EventTypeRegistry.builder()
                .register("order-line-added", OrderLineAdded.class).build()));
        bulwark = PostgresEventStore.builder(pool, settings).tablePrefix("bench_").build();
        bulwark.createSchema();
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE raw_events (position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
                    + "stream_id text NOT NULL, version bigint NOT NULL, event_id uuid NOT NULL, event_type text NOT NULL, "
                    + "schema_version integer NOT NULL, category text NOT NULL, data jsonb NOT NULL, "
                    + "metadata jsonb NOT NULL, created_at timestamptz NOT NULL)");
        }
        axon = axonEngine(pool);
    }

    private static JdbcEventStorageEngine axonEngine(TestConnectionPool connections) {
        JdbcEventStorageEngine engine = JdbcEventStorageEngine.builder()
                .connectionProvider(new DataSourceConnectionProvider(connections))
                .transactionManager(NoTransactionManager.INSTANCE)
                .eventSerializer(JacksonSerializer.defaultSerializer())
                .snapshotSerializer(JacksonSerializer.defaultSerializer())
                .build();
        engine.createSchema(PostgresEventTableFactory.INSTANCE);
        return engine;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        bulwark.close();
        pool.close();
    }

    /**
     * The prefilled global logs the catch-up methods read: {@value #CATCH_UP_EVENTS} events each, in streams of
     * 500, in Bulwark's tables and in Axon's (in a database of its own, since Axon's table names are fixed). Only
     * the catch-up methods pay for filling them.
     */
    @State(Scope.Benchmark)
    public static class Logs {
        PostgresEventStore bulwark;
        JdbcEventStorageEngine axon;
        TestConnectionPool axonPool;

        @Setup(Level.Trial)
        public void setUp(PostgresAppendBenchmark benchmark) {
            bulwark = PostgresEventStore.builder(benchmark.pool, benchmark.settings).tablePrefix("log_").build();
            bulwark.createSchema();
            axonPool = TestConnectionPool.of(TestPostgres.freshDatabase(), 8);
            axon = axonEngine(axonPool);
            int perAppend = 500;
            for (int start = 0; start < CATCH_UP_EVENTS; start += perAppend) {
                String stream = "order-" + UUID.randomUUID();
                List<EventData> events = new ArrayList<>(perAppend);
                List<DomainEventMessage<?>> messages = new ArrayList<>(perAppend);
                for (int i = 0; i < perAppend; i++) {
                    OrderLineAdded line = line(stream, start + i);
                    events.add(EventData.of(line));
                    messages.add(new GenericDomainEventMessage<>("Order", stream, i, line));
                }
                bulwark.append(stream, ExpectedVersion.NO_STREAM, events);
                axon.appendEvents(messages);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            bulwark.close();
            axonPool.close();
        }
    }

    static OrderLineAdded line(String orderId, long n) {
        return new OrderLineAdded(orderId, "customer-" + (n % 977), "SKU-" + (100_000 + n % 50_000), (int) (n % 7) + 1,
                1999 + n % 10_000, "EUR", "warehouse-berlin-03", "gift wrap, deliver after 18:00, ring twice");
    }

    /** What each benchmark thread appends to: its own stream, aggregate and connection. */
    @State(Scope.Thread)
    public static class Writer {
        String stream;
        long version;
        long sequence;
        Connection raw;
        PreparedStatement insert;

        @Setup(Level.Trial)
        public void setUp(PostgresAppendBenchmark benchmark) throws SQLException {
            stream = "order-" + UUID.randomUUID();
            raw = benchmark.pool.getConnection();
            insert = raw.prepareStatement("INSERT INTO raw_events (stream_id, version, event_id, event_type, "
                    + "schema_version, category, data, metadata, created_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?)");
        }

        @TearDown(Level.Trial)
        public void tearDown() throws SQLException {
            insert.close();
            raw.close();
        }

        List<OrderLineAdded> nextBatch() {
            List<OrderLineAdded> batch = new ArrayList<>(BATCH);
            for (int i = 0; i < BATCH; i++) {
                batch.add(line(stream, version + i));
            }
            return batch;
        }
    }

    /** Where each benchmark thread is in its catch-up read. */
    @State(Scope.Thread)
    public static class Reader {
        long checkpoint;
        TrackingToken axonToken;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long bulwark(Writer writer) {
        List<EventData> events = writer.nextBatch().stream().map(EventData::of).collect(Collectors.toList());
        ExpectedVersion expected = ExpectedVersion.exactly(writer.version);
        writer.version = bulwark.append(writer.stream, expected, events).version();
        return writer.version;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int[] rawJdbc(Writer writer) throws Exception {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        PreparedStatement insert = writer.insert;
        for (OrderLineAdded line : writer.nextBatch()) {
            insert.setString(1, writer.stream);
            insert.setLong(2, ++writer.version);
            insert.setObject(3, UUID.randomUUID());
            insert.setString(4, "order-line-added");
            insert.setInt(5, 1);
            insert.setString(6, "order");
            insert.setString(7, json.writeValueAsString(line));
            insert.setString(8, "{}");
            insert.setObject(9, now);
            insert.addBatch();
        }
        return insert.executeBatch();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long axon(Writer writer) {
        List<DomainEventMessage<?>> messages = new ArrayList<>(BATCH);
        for (OrderLineAdded line : writer.nextBatch()) {
            messages.add(new GenericDomainEventMessage<>("Order", writer.stream, writer.sequence++, line));
        }
        axon.appendEvents(messages);
        return writer.sequence;
    }

    @Benchmark
    @OperationsPerInvocation(PAGE)
    public void bulwarkCatchUp(Logs logs, Reader reader, Blackhole blackhole) {
        GlobalSlice slice = logs.bulwark.readAll(reader.checkpoint, PAGE, EventFilter.ALL);
        slice.events().forEach(blackhole::consume);
        reader.checkpoint = slice.events().size() < PAGE ? EventStore.START : slice.checkpoint();
    }

    @Benchmark
    @OperationsPerInvocation(PAGE)
    public void axonCatchUp(Logs logs, Reader reader, Blackhole blackhole) {
        TrackingToken[] last = {reader.axonToken};
        long read = logs.axon.readEvents(reader.axonToken, false).limit(PAGE)
                .peek(event -> last[0] = event.trackingToken()).peek(blackhole::consume).count();
        reader.axonToken = read < PAGE ? null : last[0];
    }
}
