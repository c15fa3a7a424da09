package dev.bulwark.saga;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.bulwark.testsupport.TestDatabase;
import dev.bulwark.testsupport.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PostgresSagaStoreTest {
    private TestPool pool;
    private PostgresSagaStore store;
    private Journal journal;
    private final List<SagaOrchestrator> nodes = new ArrayList<>();
    private final ExecutorService threads = Executors.newFixedThreadPool(4);

    @BeforeEach
    void createTables() {
        TestDatabase db = TestPostgres.freshDatabase();
        pool = new TestPool(db.jdbcUrl(), db.user(), db.password());
        store = PostgresSagaStore.builder(pool).build();
        store.createTables();
        journal = store.journal();
    }

    @AfterEach
    void close() throws Exception {
        nodes.forEach(SagaOrchestrator::close);
        threads.shutdownNow();
        pool.close();
    }

    private Journal.SagaRow row(String id, String owner, long leaseUntil) {
        return new Journal.SagaRow(id, "s", 1, SagaState.RUNNING, null, "{\"sku\":\"x\",\"quantity\":1}", List.of("a"),
                null, false, false, owner, leaseUntil, 0, 1_000, 1_000, 0);
    }

    private static StepRecord completed(String step) {
        return new StepRecord(0, step, StepRecord.Phase.ACTION, StepRecord.Outcome.COMPLETED, 1, "{\"n\":1}", null,
                Instant.ofEpochMilli(1_000), Instant.ofEpochMilli(1_001));
    }

    private Journal.Transition move(String id, String owner, List<StepRecord> entries) {
        return new Journal.Transition(id, owner, SagaState.RUNNING, null, null, List.of("b"), null, false, 50_000, false,
                2_000, entries);
    }

    @Test
    void createsItsTablesIdempotentlyUnderAValidatedName() throws Exception {
        PostgresSagaStore custom = PostgresSagaStore.builder(pool).table("orders_saga").build();
        custom.createTables();
        custom.createTables();

        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM information_schema.tables WHERE table_name IN "
                        + "('orders_saga', 'orders_saga_step', 'bulwark_saga', 'bulwark_saga_step')")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(4);
        }
        assertThat(PostgresSagaStore.schema()).contains("CREATE TABLE IF NOT EXISTS bulwark_saga (");
        assertThatThrownBy(() -> PostgresSagaStore.builder(pool).table("x; DROP TABLE y"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("table must be a lower-case identifier matching [a-z_][a-z0-9_]{0,50}, was 'x; DROP TABLE y'");
    }

    @Test
    void aTransitionAppliesOnlyForTheLeaseOwnerAndAppendsItsHistoryInTheSameStatement() {
        journal.insert(row("s1", "node-a", 10_000));

        assertThat(journal.transition(move("s1", "node-b", List.of(completed("a"))))).isEqualTo(Journal.WriteResult.LOST);
        assertThat(journal.history("s1")).isEmpty();

        assertThat(journal.transition(move("s1", "node-a", List.of(completed("a"), completed("b")))))
                .isEqualTo(Journal.WriteResult.APPLIED);
        assertThat(journal.history("s1")).extracting(StepRecord::sequence, StepRecord::stepId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, "a"), org.assertj.core.groups.Tuple.tuple(2, "b"));
        assertThat(journal.history("s1").get(0).output()).isEqualTo("{\"n\": 1}");
        Journal.SagaRow stored = journal.find("s1").orElseThrow();
        assertThat(stored.sequence()).isEqualTo(2);
        assertThat(stored.active()).containsExactly("b");
        assertThat(stored.leaseUntil()).isEqualTo(50_000);
    }

    @Test
    void concurrentClaimersNeverClaimTheSameSaga() throws Exception {
        for (int i = 0; i < 60; i++) {
            journal.insert(row("s" + i, null, 0));
        }
        List<CompletableFuture<List<Journal.Claim>>> claims = new ArrayList<>();
        for (int node = 0; node < 4; node++) {
            String owner = "node-" + node;
            claims.add(CompletableFuture.supplyAsync(() -> journal.claim(owner, 5_000, 20_000, 20), threads));
        }

        Set<String> claimed = new HashSet<>();
        int total = 0;
        for (CompletableFuture<List<Journal.Claim>> claim : claims) {
            for (Journal.Claim c : claim.get(30, TimeUnit.SECONDS)) {
                claimed.add(c.row().sagaId());
                total++;
            }
        }
        assertThat(total).isEqualTo(claimed.size()).isEqualTo(60);
        assertThat(journal.claim("late", 5_000, 20_000, 20)).isEmpty();
    }

    @Test
    void claimsOnlyExpiredUnfinishedSagasWithTheirHistory() {
        journal.insert(row("expired", "dead", 4_000));
        journal.insert(row("held", "alive", 9_000));
        journal.transition(move("expired", "dead", List.of(completed("a"))));
        journal.transition(new Journal.Transition("expired", "dead", SagaState.RUNNING, null, null, List.of("b"), null,
                false, 4_000, false, 3_000, List.of()));

        List<Journal.Claim> claims = journal.claim("me", 5_000, 20_000, 10);

        assertThat(claims).hasSize(1);
        assertThat(claims.get(0).row().sagaId()).isEqualTo("expired");
        assertThat(claims.get(0).row().owner()).isEqualTo("me");
        assertThat(claims.get(0).history()).extracting(StepRecord::stepId).containsExactly("a");
    }

    @Test
    void renewalExtendsOnlyTheOwnersLeasesAndReportsCancellations() {
        journal.insert(row("mine", "me", 1_000));
        journal.insert(row("cancelled", "me", 1_000));
        journal.insert(row("theirs", "them", 1_000));
        assertThat(journal.requestCancel("cancelled", 2_000)).isTrue();

        Map<String, Boolean> held = journal.renew("me", List.of("mine", "cancelled", "theirs"), 40_000);

        assertThat(held).containsExactlyInAnyOrderEntriesOf(Map.of("mine", false, "cancelled", true));
        assertThat(journal.find("mine").orElseThrow().leaseUntil()).isEqualTo(40_000);
        assertThat(journal.find("theirs").orElseThrow().leaseUntil()).isEqualTo(1_000);
    }

    @Test
    void anOperatorChangeAppliesOnlyToTheStateAndHistoryLengthItWasBasedOn() {
        journal.insert(row("s", "me", 1_000));
        journal.transition(new Journal.Transition("s", "me", SagaState.FAILED, SagaState.COMPENSATING, null, List.of("a"),
                "stuck", false, 0, true, 2_000, List.of(completed("a"))));

        assertThat(journal.reopen("s", SagaState.FAILED, 0, SagaState.COMPENSATING, List.of("a"), null, List.of(), 3_000))
                .isFalse();
        assertThat(journal.reopen("s", SagaState.FAILED, 1, SagaState.COMPENSATING, List.of("a"), null,
                List.of(completed("a")), 3_000)).isTrue();
        Journal.SagaRow reopened = journal.find("s").orElseThrow();
        assertThat(reopened.state()).isEqualTo(SagaState.COMPENSATING);
        assertThat(reopened.owner()).isNull();
        assertThat(reopened.sequence()).isEqualTo(2);
        assertThat(journal.list(SagaState.COMPENSATING, 5_000, 10)).extracting(Journal.SagaRow::sagaId).containsExactly("s");
    }

    private SagaOrchestrator node(String id, java.util.concurrent.Executor executor, Duration lease, SagaDefinition<?>... definitions) {
        SagaOrchestrator node = SagaOrchestrator.builder().store(store).register(definitions).executor(executor)
                .nodeId(id).leaseDuration(lease).pollInterval(Duration.ofMillis(100))
                .shutdownTimeout(Duration.ofMillis(500)).start();
        nodes.add(node);
        return node;
    }

    @Test
    void runsSagasWithParallelBranchesEndToEnd() throws Exception {
        Participant p = new Participant();
        SagaDefinition<Order> saga = Saga.define("trip", Order.class)
                .step("reserve").action(p::apply).compensation(p::undo)
                .parallel(group -> group
                        .step("hotel").action(p::apply).compensation(p::undo)
                        .step("flight").action(ctx -> {
                            if (ctx.data().quantity() < 0) {
                                throw new IllegalStateException("sold out");
                            }
                            p.apply(ctx);
                        }).compensation(p::undo)
                        .step("car").action(p::apply).compensation(p::undo))
                .pivot("charge").action(p::apply)
                .build();
        SagaOrchestrator node = node("pg-node", threads, Duration.ofSeconds(30), saga);

        SagaResult<Order> ok = node.start(saga, new Order("x", 1)).result().toCompletableFuture().get(30, TimeUnit.SECONDS);
        SagaHandle<Order> failing = node.start(saga, new Order("x", -1));
        SagaResult<Order> compensated = failing.result().toCompletableFuture().get(30, TimeUnit.SECONDS);

        assertThat(ok.state()).isEqualTo(SagaState.COMPLETED);
        assertThat(compensated.state()).isEqualTo(SagaState.COMPENSATED);
        assertThat(p.effects).hasSize(5).allMatch(key -> key.startsWith(ok.sagaId()));
        assertThat(node.operator().history(failing.sagaId()))
                .filteredOn(entry -> entry.phase() == StepRecord.Phase.COMPENSATION)
                .extracting(StepRecord::stepId).containsExactlyInAnyOrder("hotel", "car", "reserve");
    }

    @Test
    void anotherNodeTakesOverASagaWithinLeaseAndPollIntervalWhenItsNodeStopsRunningIt() {
        Participant p = new Participant();
        AtomicBoolean dead = new AtomicBoolean(true);
        SagaDefinition<Order> saga = Saga.define("handover", Order.class)
                .step("a").action(p::apply).compensation(p::undo)
                .step("b").action(p::apply)
                .build();
        SagaOrchestrator dying = node("dying", task -> {
            if (!dead.get()) {
                task.run();
            }
        }, Duration.ofSeconds(1), saga);
        SagaHandle<Order> handle = dying.start(saga, new Order("x", 1));
        long started = System.nanoTime();

        SagaOrchestrator survivor = node("survivor", threads, Duration.ofSeconds(1), saga);

        await().atMost(Duration.ofSeconds(10)).until(() ->
                survivor.operator().find(handle.sagaId()).orElseThrow().state() == SagaState.COMPLETED);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(p.calls).containsOnlyKeys(handle.sagaId() + "/a", handle.sagaId() + "/b");
    }

    @Test
    void aSagaCostsOneStatementToStartAndOnePerStepEachCommittedOnItsOwn() {
        Participant p = new Participant();
        SagaDefinition<Order> saga = Saga.define("cheap", Order.class)
                .step("a").action(p::apply).compensation(p::undo)
                .step("b").action(p::apply).compensation(p::undo)
                .step("c").action(ctx -> {
                    if (ctx.data().quantity() < 0) {
                        throw new IllegalStateException("refused");
                    }
                })
                .build();
        dev.bulwark.resilience.ManualClock clock = new dev.bulwark.resilience.ManualClock();
        SagaOrchestrator node = SagaOrchestrator.builder().store(store).register(saga).executor(Runnable::run)
                .clock(clock).scheduler(clock).start();
        nodes.add(node);

        int before = pool.statements.get();
        assertThat(node.start(saga, new Order("x", 1)).result().toCompletableFuture().join().state())
                .isEqualTo(SagaState.COMPLETED);
        int completing = pool.statements.get() - before;
        before = pool.statements.get();
        assertThat(node.start(saga, new Order("x", -1)).result().toCompletableFuture().join().state())
                .isEqualTo(SagaState.COMPENSATED);
        int compensating = pool.statements.get() - before;

        assertThat(completing).as("start + a + b + c").isEqualTo(4);
        assertThat(compensating).as("start + a + b + c failed + b undone + a undone").isEqualTo(6);
    }
}
