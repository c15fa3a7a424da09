package dev.bulwark.saga;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Many sagas whose parallel branches settle at once on a real thread pool: each saga's lock must serialise
 * its transitions, so that no branch completion is lost and only completed branches are compensated.
 */
class SagaConcurrencyStressTest {
    private static final int SAGAS = 300;
    private static final List<String> BRANCHES = List.of("b0", "b1", "b2", "b3");

    @Test
    void parallelBranchesSettlingConcurrentlyLeaveEverySagaConsistent() throws Exception {
        Participant p = new Participant();
        SagaDefinition<Order> saga = Saga.define("stress", Order.class)
                .step("first").action(p::apply).compensation(p::undo)
                .parallel(group -> {
                    for (String branch : BRANCHES) {
                        group.step(branch).action(ctx -> {
                            jitter();
                            if (ctx.data().quantity() % 7 == 0 && ctx.stepId().equals("b" + ctx.data().quantity() % 4)) {
                                throw new IllegalStateException("refused");
                            }
                            p.apply(ctx);
                        }).compensation(p::undo);
                    }
                })
                .step("last").action(p::apply).compensation(p::undo)
                .build();
        InMemorySagaStore store = new InMemorySagaStore();
        List<SagaHandle<Order>> handles = new ArrayList<>();
        try (SagaOrchestrator orchestrator = SagaOrchestrator.builder().store(store).register(saga).threads(4)
                .pollInterval(Duration.ofMinutes(1)).start()) {
            for (int i = 0; i < SAGAS; i++) {
                handles.add(orchestrator.start(saga, new Order("sku", i)));
            }
            for (int quantity = 0; quantity < SAGAS; quantity++) {
                SagaHandle<Order> handle = handles.get(quantity);
                SagaResult<Order> result = handle.result().toCompletableFuture().get(30, TimeUnit.SECONDS);
                List<StepRecord> history = orchestrator.operator().history(handle.sagaId());
                String id = handle.sagaId();
                if (quantity % 7 == 0) {
                    assertThat(result.state()).isEqualTo(SagaState.COMPENSATED);
                    assertThat(p.effects).noneMatch(key -> key.startsWith(id));
                    long completedBranches = history.stream().filter(e -> e.phase() == StepRecord.Phase.ACTION
                            && e.outcome() == StepRecord.Outcome.COMPLETED && BRANCHES.contains(e.stepId())).count();
                    assertThat(completedBranches).isEqualTo(3);
                    assertThat(history).filteredOn(e -> e.phase() == StepRecord.Phase.COMPENSATION)
                            .hasSize(4).extracting(StepRecord::stepId).doesNotContain("b" + quantity % 4, "last");
                } else {
                    assertThat(result.state()).isEqualTo(SagaState.COMPLETED);
                    assertThat(p.effects).filteredOn(key -> key.startsWith(id)).hasSize(6);
                    assertThat(history).hasSize(6).extracting(StepRecord::sequence).containsExactly(1, 2, 3, 4, 5, 6);
                }
            }
        }
        assertThat(p.calls.values()).allMatch(count -> count == 1);
    }

    private static void jitter() throws InterruptedException {
        int micros = ThreadLocalRandom.current().nextInt(500);
        TimeUnit.MICROSECONDS.sleep(micros);
    }
}
