package dev.bulwark.benchmarks;

import dev.bulwark.saga.InMemorySagaStore;
import dev.bulwark.saga.PostgresSagaStore;
import dev.bulwark.saga.Saga;
import dev.bulwark.saga.SagaDefinition;
import dev.bulwark.saga.SagaOrchestrator;
import dev.bulwark.saga.SagaResult;
import dev.bulwark.saga.SagaState;
import dev.bulwark.saga.SagaStore;
import dev.bulwark.testsupport.TestConnectionPool;
import dev.bulwark.testsupport.TestDatabase;
import dev.bulwark.testsupport.TestPostgres;
import dev.dbos.transact.DBOS;
import dev.dbos.transact.config.DBOSConfig;
import dev.dbos.transact.workflow.Workflow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
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
 * <p>{@code synchronousCommit} runs both PostgreSQL sides with durable commits ("on") and with the embedded
 * test server's fast, non-durable default ("off").
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

    /**
     * A fresh database; with {@code synchronousCommit} "on", every session commits durably (the embedded test
     * server's default is off), for both sides alike.
     */
    static TestDatabase database(String synchronousCommit) {
        TestDatabase db = TestPostgres.freshDatabase();
        return synchronousCommit.equals("on") ? db.durable() : db;
    }

    /** Bulwark on PostgreSQL. */
    @State(Scope.Benchmark)
    public static class BulwarkPostgres extends BulwarkState {
        @Param({"on", "off"})
        public String synchronousCommit;
        private TestConnectionPool pool;

        @Setup(Level.Trial)
        public void setUp() {
            TestDatabase db = database(synchronousCommit);
            pool = TestConnectionPool.of(db, 10);
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
        @Param({"on", "off"})
        public String synchronousCommit;
        DBOS dbos;
        ThreeSteps workflow;

        @Setup(Level.Trial)
        public void setUp() {
            TestDatabase db = database(synchronousCommit);
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
}
