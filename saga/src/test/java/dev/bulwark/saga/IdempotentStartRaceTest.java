package dev.bulwark.saga;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two nodes (each with its own pool) and four starters race to start the same saga ids at the same instant: the
 * store's key lets exactly one start win per id, every step of it runs once, and all four handles report its end.
 */
class IdempotentStartRaceTest {
    private static final int IDS = 30;
    private static final int STARTERS_PER_NODE = 2;

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void racingStartsOfOneIdOnTwoNodesStartOneSaga(StoreKind kind) throws Exception {
        List<AutoCloseable> resources = new ArrayList<>();
        SagaStore store = kind.open(resources);
        Participant p = new Participant();
        SagaDefinition<Order> saga = Saga.define("raced", Order.class)
                .step("reserve").action(p::apply).compensation(p::undo)
                .step("charge").action(p::apply)
                .build();
        ExecutorService starters = Executors.newFixedThreadPool(2 * STARTERS_PER_NODE);
        List<SagaOrchestrator> nodes = new ArrayList<>();
        try {
            for (String id : List.of("node-a", "node-b")) {
                nodes.add(SagaOrchestrator.builder().store(store).register(saga).threads(2).nodeId(id)
                        .pollInterval(Duration.ofMillis(50)).start());
            }
            for (int i = 0; i < IDS; i++) {
                String sagaId = "order-" + i;
                CountDownLatch gate = new CountDownLatch(1);
                List<CompletableFuture<SagaHandle<Order>>> handles = new ArrayList<>();
                for (SagaOrchestrator node : nodes) {
                    for (int s = 0; s < STARTERS_PER_NODE; s++) {
                        handles.add(CompletableFuture.supplyAsync(() -> {
                            await(gate);
                            return node.start(saga, sagaId, new Order("sku", 1));
                        }, starters));
                    }
                }
                gate.countDown();

                List<SagaResult<Order>> results = new ArrayList<>();
                int created = 0;
                for (CompletableFuture<SagaHandle<Order>> handle : handles) {
                    SagaHandle<Order> h = handle.get(30, TimeUnit.SECONDS);
                    created += h.created() ? 1 : 0;
                    results.add(h.result().toCompletableFuture().get(30, TimeUnit.SECONDS));
                }
                assertThat(created).as("starts of %s that created it", sagaId).isEqualTo(1);
                assertThat(results).allSatisfy(r -> {
                    assertThat(r.sagaId()).isEqualTo(sagaId);
                    assertThat(r.state()).isEqualTo(SagaState.COMPLETED);
                });
            }
            assertThat(p.calls).hasSize(2 * IDS);
            assertThat(p.calls.values()).as("every step ran once").allMatch(count -> count == 1);
            assertThat(nodes.get(0).operator().list(SagaState.COMPLETED, Duration.ZERO, 10 * IDS)).hasSize(IDS);
        } finally {
            nodes.forEach(SagaOrchestrator::close);
            starters.shutdownNow();
            for (AutoCloseable resource : resources) {
                resource.close();
            }
        }
    }

    private static void await(CountDownLatch gate) {
        try {
            gate.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
