package dev.bulwark.benchmarks;

import dev.bulwark.eventstore.AppendResult;
import dev.bulwark.eventstore.EventData;
import dev.bulwark.eventstore.EventMetadata;
import dev.bulwark.eventstore.EventSerializer;
import dev.bulwark.eventstore.EventStore;
import dev.bulwark.eventstore.EventStoreSettings;
import dev.bulwark.eventstore.EventTypeRegistry;
import dev.bulwark.eventstore.ExpectedVersion;
import dev.bulwark.eventstore.JournalDurability;
import dev.bulwark.eventstore.JournalEventStore;
import dev.bulwark.eventstore.JournalOptions;
import dev.bulwark.eventstore.PostgresEventStore;
import dev.bulwark.testsupport.TestConnectionPool;
import dev.bulwark.testsupport.TestDatabase;
import dev.bulwark.testsupport.TestPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Appending to the embedded journal ({@link JournalEventStore}, group commit) against the disk's ceiling, in
 * events per second: each operation appends a batch of 10 events of about 200 bytes of JSON to the thread's own
 * stream, with an exact expected version.
 *
 * <ul>
 *   <li>{@code bulwark}: {@code JournalEventStore.append}, durable on return (group commit, the default).</li>
 *   <li>{@code rawFsync}: the ceiling. A minimal loop: write the bytes of one group of records to the end of a
 *       file with one write, force, repeat, with as many bytes per force as the journal writes, each force counting
 *       the events the journal forces at once: before the trial, a calibration run of the journal with the same
 *       number of threads measures both (printed as "calibration: ..."). No serialization, no checks, no indexes,
 *       no waiting on other threads. Its file gets the journal's treatment: it grows ahead of the writes by a
 *       megabyte of zeros at a time, so that a force writes data rather than a new file size, as the journal's
 *       segments do. Not a file filled before the clock starts: the journal keeps every record, so it has no old
 *       file to write over and pays for its zeros while it runs, and a ceiling that skipped that cost would
 *       measure a disk no journal of this kind can have.</li>
 *   <li>{@code postgres}: {@link PostgresEventStore#append} on the test support's PostgreSQL (embedded, or the one
 *       named by {@code BULWARK_PG_URL}), with {@code synchronous_commit} on for its sessions (the embedded server
 *       turns it off) so that an append returns once durable, as the journal's do; 8 pooled connections.</li>
 * </ul>
 *
 * <p>Read the {@code :events} rows (events per second, an auxiliary counter of every method): a {@code rawFsync}
 * operation is a whole group of records, the others' one batch.
 *
 * <p>Files go to a fresh directory under {@code -Dbulwark.bench.dir} (default: {@code java.io.tmpdir}), deleted
 * afterwards; put it on the disk you want to measure.
 *
 * <p>Run, from the repository root:
 * <pre>
 * mvn -B -ntp -q package -DskipTests -pl benchmarks -am
 * java -jar benchmarks/target/benchmarks.jar JournalAppendBenchmark -t 1
 * java -jar benchmarks/target/benchmarks.jar JournalAppendBenchmark -t 8
 * </pre>
 * Goal: {@code bulwark} at least 0.7x {@code rawFsync} and at least 5x {@code postgres} with 8 threads.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class JournalAppendBenchmark {
    static final int BATCH = 10;
    private static final String NOTE = "x".repeat(150);

    /** The event: about 200 bytes of JSON. */
    public record Deposited(String account, long amount, String note) {
    }

    static EventStoreSettings settings() {
        return EventStoreSettings.defaults(EventSerializer.create(EventTypeRegistry.builder()
                .register("deposited", Deposited.class).build()));
    }

    /** Ten events with fresh ids (from a per-thread generator, so that id generation is not what is measured). */
    static List<EventData> batch(String account) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        List<EventData> events = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            events.add(new EventData(new UUID(random.nextLong(), random.nextLong()),
                    new Deposited(account, random.nextLong(1_000_000), NOTE), EventMetadata.EMPTY));
        }
        return events;
    }

    static Path freshDirectory(String prefix) {
        try {
            Path parent = Path.of(System.getProperty("bulwark.bench.dir", System.getProperty("java.io.tmpdir")));
            return Files.createTempDirectory(Files.createDirectories(parent), prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void delete(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One writer's stream and the version it is at. */
    @State(Scope.Thread)
    public static class Writer {
        final String stream = "account-" + UUID.randomUUID();
        long version;

        long append(EventStore store) {
            AppendResult result = store.append(stream, ExpectedVersion.exactly(version), batch(stream));
            version = result.version();
            return result.position();
        }
    }

    /** A journal store with group commit, in a fresh directory. */
    @State(Scope.Benchmark)
    public static class Journal {
        Path directory;
        JournalEventStore store;

        @Setup(Level.Trial)
        public void open() {
            directory = freshDirectory("bulwark-journal-bench");
            store = JournalEventStore.open(directory, JournalOptions.builder(settings())
                    .durability(JournalDurability.GROUP_COMMIT).build());
        }

        @TearDown(Level.Trial)
        public void close() {
            JournalEventStore.Stats stats = store.stats();
            System.out.printf("%njournal: %d records, %d forces, %.2f records per force, %d bytes per record%n",
                    stats.records(), stats.forces(), (double) stats.records() / Math.max(1, stats.forces()),
                    stats.bytes() / Math.max(1, stats.records()));
            store.close();
            delete(directory);
        }
    }

    /**
     * The ceiling: a file written and forced like the journal writes and forces, measured by a calibration run of
     * the journal with the benchmark's thread count. Threads take turns with the file.
     */
    @State(Scope.Benchmark)
    public static class RawFile {
        private static final long CALIBRATION_MILLIS = 3000;
        /** As far ahead of its records as the journal extends its segment with zeros. */
        private static final long PREALLOCATION_BYTES = 1 << 20;

        final ReentrantLock lock = new ReentrantLock();
        final ByteBuffer zeros = ByteBuffer.allocateDirect(256 << 10);
        Path directory;
        FileChannel channel;
        ByteBuffer group;
        double recordsPerForce;
        long end;
        long allocated;

        @Setup(Level.Trial)
        public void open(BenchmarkParams params) throws Exception {
            JournalEventStore.Stats stats = calibrate(params.getThreads());
            recordsPerForce = Math.max(1, (double) stats.records() / Math.max(1, stats.forces()));
            int bytesPerForce = (int) Math.round(recordsPerForce * stats.bytes() / Math.max(1, stats.records()));
            System.out.printf("%ncalibration: %d threads, %d records, %d forces: %.2f records and %d bytes per force%n",
                    params.getThreads(), stats.records(), stats.forces(), recordsPerForce, bytesPerForce);
            byte[] bytes = new byte[bytesPerForce];
            ThreadLocalRandom.current().nextBytes(bytes);
            group = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
            directory = freshDirectory("bulwark-raw-bench");
            channel = FileChannel.open(directory.resolve("raw.log"), StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
        }

        private static JournalEventStore.Stats calibrate(int threads) throws InterruptedException {
            Path directory = freshDirectory("bulwark-calibration");
            try (JournalEventStore store = JournalEventStore.open(directory, JournalOptions.builder(settings())
                    .durability(JournalDurability.GROUP_COMMIT).build())) {
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CALIBRATION_MILLIS);
                List<Thread> writers = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    Writer writer = new Writer();
                    writers.add(new Thread(() -> {
                        while (System.nanoTime() < deadline) {
                            writer.append(store);
                        }
                    }));
                }
                writers.forEach(Thread::start);
                for (Thread writer : writers) {
                    writer.join();
                }
                return store.stats();
            } finally {
                delete(directory);
            }
        }

        /** Writes one group of records at the end of the file with one write, and forces it. */
        void writeGroup() throws IOException {
            lock.lock();
            try {
                ByteBuffer bytes = group.duplicate();
                long groupEnd = end + bytes.remaining();
                if (groupEnd > allocated) {
                    allocated = Math.max(groupEnd, allocated + PREALLOCATION_BYTES);
                    for (long at = groupEnd; at < allocated; ) {
                        ByteBuffer chunk = zeros.duplicate().clear();
                        chunk.limit((int) Math.min(chunk.capacity(), allocated - at));
                        at += channel.write(chunk, at);
                    }
                }
                while (bytes.hasRemaining()) {
                    end += channel.write(bytes, end);
                }
                channel.force(false);
            } finally {
                lock.unlock();
            }
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            channel.close();
            delete(directory);
        }
    }

    /**
     * The PostgreSQL backend, with durable commits: the sessions run with {@code synchronous_commit} on, set at
     * connection start (no extra statement per append).
     */
    @State(Scope.Benchmark)
    public static class Postgres {
        TestConnectionPool pool;
        PostgresEventStore store;

        @Setup(Level.Trial)
        public void open() throws SQLException {
            TestDatabase database = TestPostgres.freshDatabase();
            PGSimpleDataSource given = (PGSimpleDataSource) database.dataSource();
            PGSimpleDataSource durable = new PGSimpleDataSource();
            durable.setURL(given.getURL());
            durable.setUser(given.getUser());
            durable.setPassword(given.getPassword());
            durable.setCurrentSchema(given.getCurrentSchema());
            durable.setOptions("-c synchronous_commit=on");
            pool = TestConnectionPool.of(new TestDatabase(durable, database.name(), database.server(),
                    database.jdbcUrl(), database.user(), database.password()), 8);
            try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
                    ResultSet setting = statement.executeQuery("SHOW synchronous_commit")) {
                setting.next();
                System.out.printf("%npostgres: %s, synchronous_commit=%s%n", database.server(), setting.getString(1));
            }
            store = PostgresEventStore.builder(pool, settings()).build();
            store.createSchema();
        }

        @TearDown(Level.Trial)
        public void close() {
            store.close();
            pool.close();
        }
    }

    /** Events appended (or, for {@code rawFsync}, their bytes written and forced) by one thread: the score to read. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Events {
        public long events;
        /** The fraction of an event a raw group carries beyond whole events, carried to the next group. */
        private double carry;

        void add(double count) {
            carry += count;
            long whole = (long) carry;
            events += whole;
            carry -= whole;
        }
    }

    @Benchmark
    public long bulwark(Journal journal, Writer writer, Events events) {
        long position = writer.append(journal.store);
        events.events += BATCH;
        return position;
    }

    @Benchmark
    public long postgres(Postgres postgres, Writer writer, Events events) {
        long position = writer.append(postgres.store);
        events.events += BATCH;
        return position;
    }

    @Benchmark
    public void rawFsync(RawFile raw, Events events) throws IOException {
        raw.writeGroup();
        events.add(BATCH * raw.recordsPerForce);
    }
}
