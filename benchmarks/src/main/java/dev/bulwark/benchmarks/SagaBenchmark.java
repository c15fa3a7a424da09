package dev.bulwark.benchmarks;

import dev.bulwark.saga.InMemorySagaStore;
import dev.bulwark.saga.PostgresSagaStore;
import dev.bulwark.saga.Saga;
import dev.bulwark.saga.SagaDefinition;
import dev.bulwark.saga.SagaOrchestrator;
import dev.bulwark.saga.SagaResult;
import dev.bulwark.saga.SagaState;
import dev.bulwark.saga.SagaStore;
import dev.bulwark.testsupport.TestDatabase;
import dev.bulwark.testsupport.TestPostgres;
import dev.dbos.transact.DBOS;
import dev.dbos.transact.config.DBOSConfig;
import dev.dbos.transact.workflow.Workflow;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import javax.sql.DataSource;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Durable sagas per second: a three-step saga with trivial local actions, started and awaited by 4
 * concurrent starters, its state kept in PostgreSQL (the same embedded server for both sides, or the one
 * named by {@code BULWARK_PG_URL}).
 *
 * <ul>
 *   <li>{@code bulwark}: {@link SagaOrchestrator} on a {@link PostgresSagaStore}; one commit to start the saga
 *       and one per step (the step's completion, the next step's start and its history entry together).
 *   <li>{@code dbos}: DBOS Transact 1.1.0-m6, a {@code @Workflow} that runs the same three steps with
 *       {@code dbos.runStep}, with its default connection pool.
 *   <li>{@code bulwarkInMemory}: the same saga on an {@link InMemorySagaStore}, the orchestration cost alone.
 * </ul>
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar SagaBenchmark}
 * (a short sanity run: add {@code -f 1 -wi 2 -i 3 -w 2 -r 2}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
@Threads(4)
public class SagaBenchmark {

    /** The saga data. */
    public record Order(String sku, int quantity) {}

    /** The three trivial local actions both sides run. */
    static final AtomicLong EFFECTS = new AtomicLong();

    static SagaDefinition<Order> threeSteps() {
        return Saga.define("bench", Order.class)
                .step("reserve").action(ctx -> EFFECTS.incrementAndGet()).compensation(ctx -> EFFECTS.decrementAndGet())
                .step("charge").action(ctx -> EFFECTS.incrementAndGet()).compensation(ctx -> EFFECTS.decrementAndGet())
                .step("ship").action(ctx -> EFFECTS.incrementAndGet()).compensation(ctx -> EFFECTS.decrementAndGet())
                .build();
    }

    /** Bulwark's orchestrator on a store. */
    abstract static class BulwarkState {
        final SagaDefinition<Order> saga = threeSteps();
        SagaOrchestrator orchestrator;

        void start(SagaStore store) {
            orchestrator = SagaOrchestrator.builder().store(store).register(saga).threads(8).start();
        }

        @TearDown(Level.Trial)
        public void close() throws Exception {
            orchestrator.close();
        }
    }

    /** Bulwark on PostgreSQL. */
    @State(Scope.Benchmark)
    public static class BulwarkPostgres extends BulwarkState {
        private Pool pool;

        @Setup(Level.Trial)
        public void setUp() throws SQLException {
            TestDatabase db = TestPostgres.freshDatabase();
            pool = new Pool(db, 10);
            PostgresSagaStore store = PostgresSagaStore.builder(pool).build();
            store.createTables();
            start(store);
        }

        @Override
        @TearDown(Level.Trial)
        public void close() throws Exception {
            super.close();
            pool.close();
        }
    }

    /** Bulwark in memory. */
    @State(Scope.Benchmark)
    public static class BulwarkMemory extends BulwarkState {
        @Setup(Level.Trial)
        public void setUp() {
            start(new InMemorySagaStore());
        }
    }

    /** The DBOS workflow's interface; DBOS proxies it. */
    public interface ThreeSteps {
        /** Runs the three steps. */
        String run(String input);
    }

    /** The DBOS workflow: the same three trivial steps, each a durable DBOS step. */
    public static final class DbosThreeSteps implements ThreeSteps {
        private final DBOS dbos;

        DbosThreeSteps(DBOS dbos) {
            this.dbos = dbos;
        }

        @Override
        @Workflow(name = "three-steps")
        public String run(String input) {
            dbos.runStep(() -> EFFECTS.incrementAndGet(), "reserve");
            dbos.runStep(() -> EFFECTS.incrementAndGet(), "charge");
            dbos.runStep(() -> EFFECTS.incrementAndGet(), "ship");
            return input;
        }
    }

    /** DBOS Transact on PostgreSQL. */
    @State(Scope.Benchmark)
    public static class Dbos {
        DBOS dbos;
        ThreeSteps workflow;

        @Setup(Level.Trial)
        public void setUp() {
            TestDatabase db = TestPostgres.freshDatabase();
            DBOSConfig config = DBOSConfig.defaults("saga-benchmark").withDatabaseUrl(db.jdbcUrl())
                    .withDbUser(db.user()).withDbPassword(db.password() == null ? "" : db.password());
            dbos = new DBOS(config);
            workflow = dbos.registerProxy(ThreeSteps.class, new DbosThreeSteps(dbos));
            dbos.launch();
        }

        @TearDown(Level.Trial)
        public void close() {
            dbos.shutdown();
        }
    }

    @Benchmark
    public SagaResult<Order> bulwark(BulwarkPostgres state) {
        return completed(state.orchestrator.start(state.saga, new Order("sku", 1)).result().toCompletableFuture().join());
    }

    @Benchmark
    public SagaResult<Order> bulwarkInMemory(BulwarkMemory state) {
        return completed(state.orchestrator.start(state.saga, new Order("sku", 1)).result().toCompletableFuture().join());
    }

    @Benchmark
    public String dbos(Dbos state) throws Exception {
        return state.dbos.startWorkflow(() -> state.workflow.run("sku")).getResult();
    }

    private static SagaResult<Order> completed(SagaResult<Order> result) {
        if (result.state() != SagaState.COMPLETED) {
            throw new IllegalStateException("saga ended " + result.state() + ": " + result.failure());
        }
        return result;
    }

    /**
     * A fixed pool of open connections: a borrowed connection goes back on {@code close()}. Bulwark's store
     * expects the application's pool; this stands in for one (DBOS uses its own HikariCP pool of 10).
     */
    static final class Pool implements DataSource, AutoCloseable {
        private final BlockingQueue<Connection> idle;
        private final List<Connection> all = new ArrayList<>();

        Pool(TestDatabase db, int size) throws SQLException {
            idle = new ArrayBlockingQueue<>(size);
            for (int i = 0; i < size; i++) {
                Connection connection = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
                all.add(connection);
                idle.add(connection);
            }
        }

        @Override
        public Connection getConnection() throws SQLException {
            Connection real;
            try {
                real = idle.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while waiting for a connection", e);
            }
            return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("close")) {
                            idle.add(real);
                            return null;
                        }
                        try {
                            return method.invoke(real, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }

        @Override
        public void close() throws SQLException {
            for (Connection connection : all) {
                connection.close();
            }
        }

        @Override
        public Connection getConnection(String username, String password) {
            throw new UnsupportedOperationException("one user");
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {}

        @Override
        public void setLoginTimeout(int seconds) {}

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }
}
