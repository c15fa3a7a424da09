package dev.bulwark.saga;

import static dev.bulwark.saga.Harness.resultNow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.resilience.CircuitBreaker;
import dev.bulwark.resilience.Pipeline;
import dev.bulwark.resilience.Retry;
import dev.bulwark.resilience.RetryConfig;
import dev.bulwark.resilience.Timeout;
import dev.bulwark.resilience.TimeoutConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * "Failed, effect unknown": a step whose action failed after it may have taken effect is compensated like a
 * completed one, with the same key ({@code compensateOnFailure()}, {@link StepOutcomeUnknownException}, a
 * resilience Timeout that cut the call off), on both stores, in the same run and after another node takes over.
 */
class UncertainOutcomeTest {
    @RegisterExtension
    final TestNodes nodes = new TestNodes();
    private Harness h = nodes.harness();
    private Participant p = h.participant;

    private void on(StoreKind store) {
        h = nodes.on(store);
        p = h.participant;
    }

    private SagaOrchestrator node(String id, SagaDefinition<?>... definitions) {
        return nodes.node(id, Runnable::run, definitions);
    }

    private SagaOrchestrator node(String id, java.util.concurrent.Executor executor, SagaDefinition<?>... definitions) {
        return nodes.node(id, executor, definitions);
    }

    /** A remote call whose request took effect but whose answer was lost. */
    private void lostResponse(StepContext<Order> ctx) {
        p.apply(ctx);
        throw new IllegalStateException("connection reset after the request was sent");
    }

    private static List<String> history(SagaOrchestrator node, String sagaId) {
        return node.operator().history(sagaId).stream()
                .map(entry -> entry.stepId() + " " + entry.phase() + " " + entry.outcome()).toList();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aStepCompensatedOnFailureThatFailedAfterTakingEffectIsUndoneWithTheSameKey(StoreKind store) {
        on(store);
        SagaDefinition<Order> saga = Saga.define("lost-response", Order.class)
                .step("reserve").action(p::apply).compensation(p::undo)
                .step("charge").action(this::lostResponse).compensation(p::undo).compensateOnFailure()
                .step("ship").action(p::apply)
                .build();
        SagaOrchestrator node = node("n1", saga);

        SagaHandle<Order> handle = node.start(saga, new Order("sku", 1));

        SagaResult<Order> result = resultNow(handle);
        assertThat(result.state()).isEqualTo(SagaState.COMPENSATED);
        assertThat(p.log()).containsExactly("do reserve", "do charge", "undo charge", "undo reserve");
        assertThat(p.effects).as("the charge was undone under the key it was made with").isEmpty();
        assertThat(history(node, handle.sagaId())).containsExactly("reserve ACTION COMPLETED", "charge ACTION UNCERTAIN",
                "charge COMPENSATION COMPLETED", "reserve COMPENSATION COMPLETED");
        assertThat(result.reason()).isEqualTo(new SagaFailure("step 'charge' failed and may have taken effect: "
                + "java.lang.IllegalStateException: connection reset after the request was sent", "charge",
                StepRecord.Phase.ACTION, StepRecord.Outcome.UNCERTAIN, "java.lang.IllegalStateException",
                "connection reset after the request was sent"));
    }

    @Test
    void anUncertainParallelBranchIsCompensatedWithTheBranchesThatCompleted() {
        SagaDefinition<Order> saga = Saga.define("trip", Order.class)
                .parallel(group -> group
                        .step("hotel").action(p::apply).compensation(p::undo)
                        .step("flight").action(this::lostResponse).compensation(p::undo).compensateOnFailure()
                        .step("car").action(ctx -> {
                            throw new IllegalStateException("no cars");
                        }).compensation(p::undo))
                .build();
        SagaOrchestrator node = node("n1", saga);

        SagaResult<Order> result = resultNow(node.start(saga, new Order("sku", 1)));

        assertThat(result.state()).isEqualTo(SagaState.COMPENSATED);
        assertThat(p.log()).containsExactly("do hotel", "do flight", "undo flight", "undo hotel");
        assertThat(p.effects).isEmpty();
    }

    @Test
    void withoutTheSettingAPlainFailureIsTakenToHaveHadNoEffect() {
        SagaDefinition<Order> saga = Saga.define("plain", Order.class)
                .step("reserve").action(p::apply).compensation(p::undo)
                .step("charge").action(this::lostResponse).compensation(p::undo)
                .build();
        SagaOrchestrator node = node("n1", saga);

        SagaHandle<Order> handle = node.start(saga, new Order("sku", 1));

        assertThat(resultNow(handle).state()).isEqualTo(SagaState.COMPENSATED);
        assertThat(p.log()).containsExactly("do reserve", "do charge", "undo reserve");
        assertThat(p.effects).containsExactly(handle.sagaId() + "/charge");
        assertThat(history(node, handle.sagaId())).contains("charge ACTION FAILED");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anActionThatSaysItsOutcomeIsUnknownIsCompensatedEvenWhenALaterRetryFailsPlainly(StoreKind store) {
        on(store);
        AtomicInteger runs = new AtomicInteger();
        SagaDefinition<Order> saga = Saga.define("unknown", Order.class)
                .step("reserve").action(p::apply).compensation(p::undo)
                .step("charge").action(ctx -> {
                    if (runs.incrementAndGet() == 1) {
                        p.apply(ctx);
                        throw new StepOutcomeUnknownException("charge sent, no answer");
                    }
                    throw new IllegalStateException("payments refuses the retry");
                }).compensation(p::undo).policy(new CountingRetry("retry", 2))
                .build();
        SagaOrchestrator node = node("n1", saga);

        SagaHandle<Order> handle = node.start(saga, new Order("sku", 1));

        SagaResult<Order> result = resultNow(handle);
        assertThat(result.state()).isEqualTo(SagaState.COMPENSATED);
        assertThat(runs).hasValue(2);
        assertThat(p.effects).isEmpty();
        assertThat(result.reason().outcome()).isEqualTo(StepRecord.Outcome.UNCERTAIN);
        assertThat(result.reason().errorMessage()).isEqualTo("payments refuses the retry");
    }

    @Test
    void aStepWhosePolicyNeverCalledItsActionFailedCleanlyEvenWhenCompensatedOnFailure() {
        CircuitBreaker open = CircuitBreaker.ofDefaults("payments");
        open.transitionToForcedOpen();
        SagaDefinition<Order> saga = Saga.define("rejected", Order.class)
                .step("reserve").action(p::apply).compensation(p::undo)
                .step("charge").action(p::apply).compensation(p::undo).compensateOnFailure().policy(open)
                .build();
        SagaOrchestrator node = node("n1", saga);

        SagaHandle<Order> handle = node.start(saga, new Order("sku", 1));

        assertThat(resultNow(handle).state()).isEqualTo(SagaState.COMPENSATED);
        assertThat(p.log()).containsExactly("do reserve", "undo reserve");
        assertThat(history(node, handle.sagaId())).contains("charge ACTION FAILED");
        assertThat(resultNow(handle).reason().errorType()).isEqualTo("dev.bulwark.resilience.CallNotPermittedException");
    }

    @Test
    void aCallThatATimeoutInTheStepsPolicyCutOffCountsAsUncertainWithoutTheSetting() {
        Timeout timeout = Timeout.of("payments", TimeoutConfig.builder().timeout(Duration.ofSeconds(1)).clock(h.clock).build());
        SagaDefinition<Order> saga = Saga.define("cut-off", Order.class)
                .step("charge").action(ctx -> {
                    p.apply(ctx);
                    h.clock.advance(Duration.ofSeconds(2)); // the charge lands, but too late for the timeout
                }).compensation(p::undo).policy(timeout)
                .build();
        SagaOrchestrator node = node("n1", saga);

        SagaHandle<Order> handle = node.start(saga, new Order("sku", 1));

        SagaResult<Order> result = resultNow(handle);
        assertThat(result.state()).isEqualTo(SagaState.COMPENSATED);
        assertThat(p.log()).containsExactly("do charge", "undo charge");
        assertThat(result.reason().errorType()).isEqualTo("dev.bulwark.resilience.TimeoutExceededException");
        assertThat(result.reason().outcome()).isEqualTo(StepRecord.Outcome.UNCERTAIN);
    }

    @Test
    void aCallCutOffByATimeoutIsStillUncertainWhenTheRetryAroundItEndsOnAPlainFailure() {
        Timeout timeout = Timeout.of("payments", TimeoutConfig.builder().timeout(Duration.ofSeconds(1)).clock(h.clock).build());
        Retry retry = Retry.of("payments", RetryConfig.builder().maxAttempts(2).clock(h.clock).build());
        AtomicInteger runs = new AtomicInteger();
        SagaDefinition<Order> saga = Saga.define("retried", Order.class)
                .step("charge").action(ctx -> {
                    if (runs.incrementAndGet() == 1) {
                        p.apply(ctx);
                        h.clock.advance(Duration.ofSeconds(2));
                        return;
                    }
                    throw new IllegalStateException("503 before doing anything");
                }).compensation(p::undo).policy(Pipeline.of(retry, timeout))
                .build();
        SagaOrchestrator node = node("n1", saga);

        SagaResult<Order> result = resultNow(node.start(saga, new Order("sku", 1)));

        assertThat(result.reason().errorMessage()).isEqualTo("503 before doing anything");
        assertThat(result.reason().outcome()).isEqualTo(StepRecord.Outcome.UNCERTAIN);
        assertThat(p.effects).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aPivotThatMayHaveTakenEffectParksTheSagaAndARetryWithTheSameKeyFinishesIt(StoreKind store) {
        on(store);
        AtomicInteger runs = new AtomicInteger();
        SagaDefinition<Order> saga = Saga.define("pivotal", Order.class)
                .step("reserve").action(p::apply).compensation(p::undo)
                .pivot("charge").action(ctx -> {
                    p.apply(ctx);
                    if (runs.incrementAndGet() == 1) {
                        throw new StepOutcomeUnknownException("no answer from payments");
                    }
                })
                .retriable("ship").action(p::apply)
                .build();
        SagaOrchestrator node = node("n1", saga);

        SagaHandle<Order> handle = node.start(saga, new Order("sku", 1));

        SagaResult<Order> parked = resultNow(handle);
        assertThat(parked.state()).as("neither undone nor assumed undone").isEqualTo(SagaState.FAILED);
        assertThat(parked.failure()).isEqualTo("step 'charge' failed and may have taken effect: "
                + "dev.bulwark.saga.StepOutcomeUnknownException: no answer from payments");
        assertThat(node.operator().find(handle.sagaId()).orElseThrow().activeSteps()).containsExactly("charge");
        assertThat(p.log()).containsExactly("do reserve", "do charge");

        node.operator().retry(handle.sagaId());

        assertThat(node.operator().find(handle.sagaId()).orElseThrow().state()).isEqualTo(SagaState.COMPLETED);
        assertThat(p.calls).containsEntry(handle.sagaId() + "/charge", 2);
        assertThat(p.effects).hasSize(3);
        assertThat(history(node, handle.sagaId())).containsExactly("reserve ACTION COMPLETED", "charge ACTION UNCERTAIN",
                "charge ACTION RETRY_REQUESTED", "charge ACTION COMPLETED", "ship ACTION COMPLETED");
    }

    @Test
    void aPivotThatMayHaveTakenEffectIsNotAbortedByTheSagaTimeoutAfterARetry() {
        AtomicInteger runs = new AtomicInteger();
        SagaDefinition<Order> saga = Saga.define("late-pivot", Order.class)
                .timeout(Duration.ofSeconds(10))
                .step("reserve").action(p::apply).compensation(p::undo)
                .pivot("charge").action(ctx -> {
                    p.apply(ctx);
                    if (runs.incrementAndGet() == 1) {
                        throw new StepOutcomeUnknownException("no answer");
                    }
                    throw new IllegalStateException("card declined");
                })
                .build();
        SagaOrchestrator node = node("n1", saga);
        SagaHandle<Order> handle = node.start(saga, new Order("sku", 1));
        h.clock.advance(Duration.ofMinutes(1)); // the deadline passes while the saga waits for a person

        node.operator().retry(handle.sagaId());

        SagaSummary summary = node.operator().find(handle.sagaId()).orElseThrow();
        assertThat(summary.state()).as("the second answer settles it: declined, so undo").isEqualTo(SagaState.COMPENSATED);
        assertThat(runs).hasValue(2);
        assertThat(summary.message()).isEqualTo("step 'charge' failed: java.lang.IllegalStateException: card declined");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anotherNodeCompensatesAnUncertainStepAfterTheNodeThatRecordedItDied(StoreKind store) {
        on(store);
        List<String> reasons = new CopyOnWriteArrayList<>();
        StepAction<Order> undo = ctx -> {
            reasons.add(ctx.stepId() + ": " + ctx.compensationReason().orElseThrow().description());
            p.undo(ctx);
        };
        SagaDefinition<Order> saga = Saga.define("orphan", Order.class)
                .step("reserve").action(p::apply).compensation(undo)
                .step("charge").action(this::lostResponse).compensation(undo).compensateOnFailure()
                .build();
        SagaRecoveryTest.HeldExecutor held = new SagaRecoveryTest.HeldExecutor();
        SagaOrchestrator dying = node("dying", held, saga);
        SagaHandle<Order> handle = dying.start(saga, new Order("sku", 1));
        held.next().run(); // reserve completes; charge is recorded as started
        held.next().run(); // charge fails uncertain; its compensation is recorded as started; then the node dies
        assertThat(p.log()).containsExactly("do reserve", "do charge");
        SagaOrchestrator survivor = node("survivor", saga);

        h.clock.advance(Harness.LEASE.plusSeconds(2));

        assertThat(survivor.operator().find(handle.sagaId()).orElseThrow().state()).isEqualTo(SagaState.COMPENSATED);
        assertThat(p.log()).containsExactly("do reserve", "do charge", "undo charge", "undo reserve");
        assertThat(p.effects).isEmpty();
        String why = "step 'charge' failed and may have taken effect: java.lang.IllegalStateException: "
                + "connection reset after the request was sent";
        assertThat(reasons).containsExactly("charge: " + why, "reserve: " + why);
    }

    @Test
    void onlyAStepWithACompensationMayBeCompensatedOnFailureAndOnlyOnce() {
        assertThatThrownBy(() -> Saga.define("s", Order.class).step("a").action(p::apply).compensateOnFailure().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("step 'a' is compensated on failure but has no compensation");
        assertThatThrownBy(() -> Saga.define("s", Order.class).pivot("a").action(p::apply).compensateOnFailure().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("pivot step 'a' is compensated on failure but has no compensation, and cannot have one");
        assertThatThrownBy(() -> Saga.define("s", Order.class).step("a").compensateOnFailure().compensateOnFailure())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("compensateOnFailure of step 'a' was already set");
    }

    @Test
    void theDiagramSendsTheFailureOfAStepCompensatedOnFailureToItsOwnCompensation() {
        SagaDefinition<Order> saga = Saga.define("drawn", Order.class)
                .step("reserve").action(p::apply).compensation(p::undo)
                .step("charge").action(p::apply).compensation(p::undo).compensateOnFailure()
                .build();

        assertThat(saga.toMermaid()).contains("s1 -. fails .-> c1\n").contains("s0 -. fails .-> compensated\n");
    }
}
