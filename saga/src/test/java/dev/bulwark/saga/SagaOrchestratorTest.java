package dev.bulwark.saga;

import static dev.bulwark.saga.Harness.resultNow;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SagaOrchestratorTest {
    record Receipt(String id, long cents) {}

    private final Harness h = new Harness();
    private final Participant p = h.participant;
    private SagaOrchestrator orchestrator;

    @AfterEach
    void close() {
        if (orchestrator != null) {
            orchestrator.close();
        }
    }

    private SagaDefinition<Order> threeSteps(StepAction<Order> third) {
        return Saga.define("three", Order.class)
                .step("a").action(p::apply).compensation(p::undo)
                .step("b").action(p::apply).compensation(p::undo)
                .step("c").action(third).compensation(p::undo)
                .build();
    }

    @Test
    void runsEveryStepInOrderAndEndsCompleted() {
        SagaDefinition<Order> saga = threeSteps(p::apply);
        orchestrator = h.node("n1", saga);

        SagaHandle<Order> handle = orchestrator.start(saga, new Order("sku-1", 2));

        SagaResult<Order> result = resultNow(handle);
        assertThat(result.state()).isEqualTo(SagaState.COMPLETED);
        assertThat(result.failure()).isNull();
        assertThat(result.data()).isEqualTo(new Order("sku-1", 2));
        assertThat(p.log()).containsExactly("do a", "do b", "do c");
        assertThat(p.effects).containsExactlyInAnyOrder(handle.sagaId() + "/a", handle.sagaId() + "/b", handle.sagaId() + "/c");
        assertThat(orchestrator.operator().find(handle.sagaId()).orElseThrow().state()).isEqualTo(SagaState.COMPLETED);
    }

    @Test
    void recordsOneHistoryEntryPerStep() {
        SagaDefinition<Order> saga = threeSteps(p::apply);
        orchestrator = h.node("n1", saga);

        SagaHandle<Order> handle = orchestrator.start(saga, new Order("sku-1", 2));

        List<StepRecord> history = orchestrator.operator().history(handle.sagaId());
        assertThat(history).extracting(StepRecord::sequence).containsExactly(1, 2, 3);
        assertThat(history).extracting(StepRecord::stepId).containsExactly("a", "b", "c");
        assertThat(history).allSatisfy(entry -> {
            assertThat(entry.phase()).isEqualTo(StepRecord.Phase.ACTION);
            assertThat(entry.outcome()).isEqualTo(StepRecord.Outcome.COMPLETED);
            assertThat(entry.attempts()).isEqualTo(1);
        });
    }

    @Test
    void givesEachStepAStableIdempotencyKeyOfSagaIdAndStepId() {
        List<String> keys = new java.util.concurrent.CopyOnWriteArrayList<>();
        SagaDefinition<Order> saga = Saga.define("keys", Order.class)
                .step("reserve").action(ctx -> keys.add(ctx.idempotencyKey())).compensation(ctx -> keys.add(ctx.idempotencyKey()))
                .step("fail").action(ctx -> {
                    throw new IllegalStateException("no");
                })
                .build();
        orchestrator = h.node("n1", saga);

        SagaHandle<Order> handle = orchestrator.start(saga, new Order("x", 1));

        assertThat(keys).containsExactly(handle.sagaId() + "/reserve", handle.sagaId() + "/reserve");
    }

    @Test
    void passesOutputsAndReplacedDataToLaterSteps() {
        SagaDefinition<Order> saga = Saga.define("outputs", Order.class)
                .step("charge").action(Receipt.class, ctx -> new Receipt("r-1", ctx.data().quantity() * 100L))
                .step("note").action(ctx -> ctx.replaceData(ctx.data().withNote(ctx.output("charge", Receipt.class).id())))
                .step("check").action(String.class, ctx -> ctx.data().note() + ":" + ctx.output("charge", Receipt.class).cents())
                .build();
        orchestrator = h.node("n1", saga);

        SagaHandle<Order> handle = orchestrator.start(saga, new Order("sku", 3));

        SagaResult<Order> result = resultNow(handle);
        assertThat(result.data()).isEqualTo(new Order("sku", 3, "r-1"));
        List<StepRecord> history = orchestrator.operator().history(handle.sagaId());
        assertThat(history.get(0).output()).isEqualTo("{\"id\":\"r-1\",\"cents\":300}");
        assertThat(history.get(2).output()).isEqualTo("\"r-1:300\"");
    }

    @Test
    void readingAnOutputAsAnotherTypeOrOfAnUnfinishedStepFailsTheStep() {
        SagaDefinition<Order> saga = Saga.define("bad-output", Order.class)
                .step("charge").action(Receipt.class, ctx -> new Receipt("r", 1))
                .step("read").action(ctx -> ctx.output("charge", String.class))
                .build();
        orchestrator = h.node("n1", saga);

        SagaResult<Order> result = resultNow(orchestrator.start(saga, new Order("sku", 3)));

        assertThat(result.state()).isEqualTo(SagaState.COMPENSATED);
        assertThat(result.failure()).isEqualTo("step 'read' failed: java.lang.IllegalArgumentException: step 'charge' "
                + "declares output type dev.bulwark.saga.SagaOrchestratorTest$Receipt, not java.lang.String");
    }

    @Test
    void compensatesCompletedStepsInReverseOrderWhenAStepFails() {
        SagaDefinition<Order> saga = threeSteps(ctx -> {
            p.record("do c");
            throw new IllegalStateException("out of stock");
        });
        orchestrator = h.node("n1", saga);

        SagaHandle<Order> handle = orchestrator.start(saga, new Order("sku", 1));

        SagaResult<Order> result = resultNow(handle);
        assertThat(result.state()).isEqualTo(SagaState.COMPENSATED);
        assertThat(result.failure()).isEqualTo("step 'c' failed: java.lang.IllegalStateException: out of stock");
        assertThat(p.log()).containsExactly("do a", "do b", "do c", "undo b", "undo a");
        assertThat(p.effects).isEmpty();
        assertThat(orchestrator.operator().history(handle.sagaId()))
                .extracting(entry -> entry.stepId() + " " + entry.phase() + " " + entry.outcome())
                .containsExactly("a ACTION COMPLETED", "b ACTION COMPLETED", "c ACTION FAILED",
                        "b COMPENSATION COMPLETED", "a COMPENSATION COMPLETED");
    }

    @Test
    void stepsWithoutCompensationAreLeftAloneWhenCompensating() {
        SagaDefinition<Order> saga = Saga.define("partial", Order.class)
                .step("a").action(p::apply).compensation(p::undo)
                .step("lookup").action(ctx -> p.record("do lookup"))
                .step("fail").action(ctx -> {
                    throw new IllegalStateException("boom");
                })
                .build();
        orchestrator = h.node("n1", saga);

        assertThat(resultNow(orchestrator.start(saga, new Order("sku", 1))).state()).isEqualTo(SagaState.COMPENSATED);
        assertThat(p.log()).containsExactly("do a", "do lookup", "undo a");
    }

    @Test
    void retriesAStepThroughItsPolicyBeforeFailingIt() {
        int[] failuresLeft = {2};
        CountingRetry retry = new CountingRetry("retry", 3);
        SagaDefinition<Order> saga = Saga.define("flaky", Order.class)
                .step("flaky").action(ctx -> {
                    if (failuresLeft[0]-- > 0) {
                        throw new IllegalStateException("transient");
                    }
                }).policy(retry)
                .build();
        orchestrator = h.node("n1", saga);

        SagaHandle<Order> handle = orchestrator.start(saga, new Order("sku", 1));

        assertThat(resultNow(handle).state()).isEqualTo(SagaState.COMPLETED);
        assertThat(retry.calls).hasValue(1);
        assertThat(orchestrator.operator().history(handle.sagaId()).get(0).attempts()).isEqualTo(3);
    }

    @Test
    void aStepThatKeepsFailingAfterItsRetriesCompensatesTheSaga() {
        SagaDefinition<Order> saga = Saga.define("hopeless", Order.class)
                .step("a").action(p::apply).compensation(p::undo)
                .step("hopeless").action(ctx -> {
                    throw new IllegalStateException("down");
                }).policy(new CountingRetry("retry", 4))
                .build();
        orchestrator = h.node("n1", saga);

        SagaHandle<Order> handle = orchestrator.start(saga, new Order("sku", 1));

        assertThat(resultNow(handle).state()).isEqualTo(SagaState.COMPENSATED);
        StepRecord failed = orchestrator.operator().history(handle.sagaId()).get(1);
        assertThat(failed.outcome()).isEqualTo(StepRecord.Outcome.FAILED);
        assertThat(failed.attempts()).isEqualTo(4);
        assertThat(failed.error()).isEqualTo("java.lang.IllegalStateException: down");
        assertThat(p.effects).isEmpty();
    }

    @Test
    void aFailedParallelBranchCompensatesOnlyTheBranchesThatCompleted() {
        SagaDefinition<Order> saga = Saga.define("trip", Order.class)
                .step("reserve").action(p::apply).compensation(p::undo)
                .parallel(group -> group
                        .step("hotel").action(p::apply).compensation(p::undo)
                        .step("flight").action(ctx -> {
                            p.record("do flight");
                            throw new IllegalStateException("sold out");
                        }).compensation(p::undo)
                        .step("car").action(p::apply).compensation(p::undo))
                .step("never").action(p::apply)
                .build();
        orchestrator = h.node("n1", saga);

        SagaResult<Order> result = resultNow(orchestrator.start(saga, new Order("sku", 1)));

        assertThat(result.state()).isEqualTo(SagaState.COMPENSATED);
        assertThat(p.log()).containsExactly("do reserve", "do hotel", "do flight", "do car", "undo car", "undo hotel",
                "undo reserve");
        assertThat(p.effects).isEmpty();
    }

    @Test
    void aParallelBranchCannotReplaceTheSagaData() {
        SagaDefinition<Order> saga = Saga.define("racy", Order.class)
                .parallel(group -> group
                        .step("a").action(ctx -> ctx.replaceData(ctx.data().withNote("a")))
                        .step("b").action(p::apply))
                .build();
        orchestrator = h.node("n1", saga);

        SagaResult<Order> result = resultNow(orchestrator.start(saga, new Order("sku", 1)));

        assertThat(result.state()).isEqualTo(SagaState.COMPENSATED);
        assertThat(result.failure()).isEqualTo("step 'a' failed: java.lang.IllegalStateException: step 'a' runs in a "
                + "parallel group and cannot replace the saga data; return an output instead");
    }

    @Test
    void aFailedPivotCompensatesTheStepsBeforeIt() {
        SagaDefinition<Order> saga = Saga.define("pivotal", Order.class)
                .step("a").action(p::apply).compensation(p::undo)
                .pivot("charge").action(ctx -> {
                    throw new IllegalStateException("card declined");
                })
                .retriable("ship").action(p::apply)
                .build();
        orchestrator = h.node("n1", saga);

        SagaResult<Order> result = resultNow(orchestrator.start(saga, new Order("sku", 1)));

        assertThat(result.state()).isEqualTo(SagaState.COMPENSATED);
        assertThat(p.log()).containsExactly("do a", "undo a");
    }
}
