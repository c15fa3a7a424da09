package dev.bulwark.saga;

import static dev.bulwark.saga.Harness.resultNow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Timeouts, cancellation and parked sagas, on a manual clock: "slow" steps advance the clock themselves. */
class SagaFailurePathsTest {
    private final Harness h = new Harness();
    private final Participant p = h.participant;
    private SagaOrchestrator orchestrator;

    @AfterEach
    void close() {
        if (orchestrator != null) {
            orchestrator.close();
        }
    }

    private StepAction<Order> slow(Duration duration) {
        return ctx -> {
            p.apply(ctx);
            h.clock.advance(duration);
        };
    }

    @Test
    void aStepThatTimesOutIsCompensatedWithTheStepsBeforeIt() {
        SagaDefinition<Order> saga = Saga.define("slow", Order.class)
                .step("a").action(p::apply).compensation(p::undo)
                .step("b").action(slow(Duration.ofSeconds(5))).compensation(p::undo).timeout(Duration.ofSeconds(2))
                .step("c").action(p::apply)
                .build();
        orchestrator = h.node("n1", saga);

        SagaHandle<Order> handle = orchestrator.start(saga, new Order("sku", 1));

        SagaResult<Order> result = resultNow(handle);
        assertThat(result.state()).isEqualTo(SagaState.COMPENSATED);
        assertThat(result.failure()).isEqualTo("step 'b' timed out after PT2S");
        assertThat(p.log()).containsExactly("do a", "do b", "undo b", "undo a");
        assertThat(p.effects).isEmpty();
        assertThat(orchestrator.operator().history(handle.sagaId()).get(1).outcome()).isEqualTo(StepRecord.Outcome.TIMED_OUT);
    }

    @Test
    void aStepThatTimedOutStopsRetryingAndNoLongerCallsItsParticipant() {
        AtomicInteger calls = new AtomicInteger();
        SagaDefinition<Order> saga = Saga.define("slow-retries", Order.class)
                .step("a").action(p::apply).compensation(p::undo)
                .step("b").action(ctx -> {
                    calls.incrementAndGet();
                    h.clock.advance(Duration.ofSeconds(3));
                    throw new IllegalStateException("slow failure");
                }).policy(new CountingRetry("retry", 5)).timeout(Duration.ofSeconds(5))
                .build();
        orchestrator = h.node("n1", saga);

        SagaResult<Order> result = resultNow(orchestrator.start(saga, new Order("sku", 1)));

        assertThat(result.state()).isEqualTo(SagaState.COMPENSATED);
        assertThat(result.failure()).isEqualTo("step 'b' timed out after PT5S");
        assertThat(calls).hasValue(2);
    }

    @Test
    void theSagaTimeoutAbandonsTheRunningStepAndCompensates() {
        SagaDefinition<Order> saga = Saga.define("deadline", Order.class)
                .timeout(Duration.ofSeconds(10))
                .step("a").action(p::apply).compensation(p::undo)
                .step("b").action(slow(Duration.ofSeconds(11))).compensation(p::undo)
                .step("c").action(p::apply)
                .build();
        orchestrator = h.node("n1", saga);

        SagaHandle<Order> handle = orchestrator.start(saga, new Order("sku", 1));

        SagaResult<Order> result = resultNow(handle);
        assertThat(result.state()).isEqualTo(SagaState.COMPENSATED);
        assertThat(result.failure()).isEqualTo("saga timed out after PT10S");
        assertThat(p.log()).containsExactly("do a", "do b", "undo b", "undo a");
        assertThat(orchestrator.operator().history(handle.sagaId()))
                .extracting(entry -> entry.stepId() + " " + entry.phase() + " " + entry.outcome())
                .containsExactly("a ACTION COMPLETED", "b ACTION ABANDONED", "b COMPENSATION COMPLETED",
                        "a COMPENSATION COMPLETED");
    }

    @Test
    void theSagaTimeoutIsIgnoredOnceThePivotCompleted() {
        SagaDefinition<Order> saga = Saga.define("late", Order.class)
                .timeout(Duration.ofSeconds(10))
                .step("a").action(p::apply).compensation(p::undo)
                .pivot("charge").action(p::apply)
                .retriable("ship").action(slow(Duration.ofSeconds(30)))
                .build();
        orchestrator = h.node("n1", saga);

        SagaResult<Order> result = resultNow(orchestrator.start(saga, new Order("sku", 1)));

        assertThat(result.state()).isEqualTo(SagaState.COMPLETED);
        assertThat(p.log()).containsExactly("do a", "do charge", "do ship");
    }

    @Test
    void cancellingMidRunAbandonsTheRunningStepCompensatesAndEndsCancelled() {
        SagaDefinition<Order> saga = Saga.define("cancel", Order.class)
                .step("a").action(p::apply).compensation(p::undo)
                .step("b").action(ctx -> {
                    p.apply(ctx);
                    orchestrator.operator().cancel(ctx.sagaId());
                }).compensation(p::undo)
                .step("c").action(p::apply)
                .build();
        orchestrator = h.node("n1", saga);

        SagaHandle<Order> handle = orchestrator.start(saga, new Order("sku", 1));

        SagaResult<Order> result = resultNow(handle);
        assertThat(result.state()).isEqualTo(SagaState.CANCELLED);
        assertThat(result.failure()).isEqualTo("cancelled by an operator");
        assertThat(p.log()).containsExactly("do a", "do b", "undo b", "undo a");
        assertThat(orchestrator.operator().find(handle.sagaId()).orElseThrow().state()).isEqualTo(SagaState.CANCELLED);
    }

    @Test
    void cancellingAfterThePivotOrAfterTheEndIsRejected() {
        String[] id = new String[1];
        SagaDefinition<Order> saga = Saga.define("past-pivot", Order.class)
                .pivot("charge").action(p::apply)
                .retriable("ship").action(ctx -> {
                    id[0] = ctx.sagaId();
                    assertThatThrownBy(() -> orchestrator.operator().cancel(ctx.sagaId()))
                            .isInstanceOf(IllegalStateException.class)
                            .hasMessage("saga " + ctx.sagaId() + " has passed its pivot and can no longer be cancelled");
                })
                .build();
        orchestrator = h.node("n1", saga);

        assertThat(resultNow(orchestrator.start(saga, new Order("sku", 1))).state()).isEqualTo(SagaState.COMPLETED);
        assertThatThrownBy(() -> orchestrator.operator().cancel(id[0]))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("saga " + id[0] + " is COMPLETED; only a RUNNING saga can be cancelled");
        assertThatThrownBy(() -> orchestrator.operator().cancel("nope"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("no saga with id 'nope'");
    }

    @Test
    void aCompensationThatKeepsFailingParksTheSagaFailedUntilRetried() {
        AtomicBoolean refundBroken = new AtomicBoolean(true);
        SagaDefinition<Order> saga = Saga.define("stuck", Order.class)
                .step("a").action(p::apply).compensation(p::undo)
                .step("b").action(p::apply).compensation(ctx -> {
                    if (refundBroken.get()) {
                        throw new IllegalStateException("refund service down");
                    }
                    p.undo(ctx);
                }).compensationPolicy(new CountingRetry("retry", 3))
                .step("c").action(ctx -> {
                    throw new IllegalStateException("boom");
                })
                .build();
        orchestrator = h.node("n1", saga);

        SagaHandle<Order> handle = orchestrator.start(saga, new Order("sku", 1));

        SagaResult<Order> result = resultNow(handle);
        assertThat(result.state()).isEqualTo(SagaState.FAILED);
        assertThat(result.failure()).isEqualTo("compensation of step 'b' failed: java.lang.IllegalStateException: refund service down");
        SagaSummary parked = orchestrator.operator().list(SagaState.FAILED, Duration.ZERO, 10).get(0);
        assertThat(parked.sagaId()).isEqualTo(handle.sagaId());
        assertThat(parked.activeSteps()).containsExactly("b");
        assertThat(parked.owner()).isNull();
        StepRecord failure = orchestrator.operator().history(handle.sagaId()).get(3);
        assertThat(failure.phase()).isEqualTo(StepRecord.Phase.COMPENSATION);
        assertThat(failure.outcome()).isEqualTo(StepRecord.Outcome.FAILED);
        assertThat(failure.attempts()).isEqualTo(3);
        assertThat(p.effects).hasSize(2);

        refundBroken.set(false);
        orchestrator.operator().retry(handle.sagaId());

        assertThat(orchestrator.operator().find(handle.sagaId()).orElseThrow().state()).isEqualTo(SagaState.COMPENSATED);
        assertThat(p.effects).isEmpty();
        assertThat(p.log()).endsWith("undo b", "undo a");
    }

    @Test
    void aRetriableStepThatKeepsFailingParksTheSagaAndRetryCompletesIt() {
        AtomicBoolean shippingDown = new AtomicBoolean(true);
        SagaDefinition<Order> saga = Saga.define("ship", Order.class)
                .step("a").action(p::apply).compensation(p::undo)
                .pivot("charge").action(p::apply)
                .retriable("ship").action(ctx -> {
                    if (shippingDown.get()) {
                        throw new IllegalStateException("carrier down");
                    }
                    p.apply(ctx);
                }).policy(new CountingRetry("retry", 2))
                .build();
        orchestrator = h.node("n1", saga);

        SagaHandle<Order> handle = orchestrator.start(saga, new Order("sku", 1));

        assertThat(resultNow(handle).state()).isEqualTo(SagaState.FAILED);
        assertThat(resultNow(handle).failure()).isEqualTo("step 'ship' failed: java.lang.IllegalStateException: carrier down");

        shippingDown.set(false);
        orchestrator.operator().retry(handle.sagaId());

        assertThat(orchestrator.operator().find(handle.sagaId()).orElseThrow().state()).isEqualTo(SagaState.COMPLETED);
        assertThat(orchestrator.operator().history(handle.sagaId()))
                .extracting(entry -> entry.stepId() + " " + entry.outcome())
                .containsExactly("a COMPLETED", "charge COMPLETED", "ship FAILED", "ship RETRY_REQUESTED", "ship COMPLETED");
        assertThat(p.effects).hasSize(3);
    }

    @Test
    void skippingTheParkedStepResumesTheSagaAfterIt() {
        SagaDefinition<Order> saga = Saga.define("skip", Order.class)
                .step("a").action(p::apply).compensation(p::undo)
                .step("b").action(p::apply).compensation(ctx -> {
                    throw new IllegalStateException("cannot undo");
                })
                .step("c").action(ctx -> {
                    throw new IllegalStateException("boom");
                })
                .build();
        orchestrator = h.node("n1", saga);
        SagaHandle<Order> handle = orchestrator.start(saga, new Order("sku", 1));
        assertThat(resultNow(handle).state()).isEqualTo(SagaState.FAILED);

        assertThatThrownBy(() -> orchestrator.operator().skip(handle.sagaId(), "a"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("saga " + handle.sagaId() + " is parked on [b], not on 'a'");
        orchestrator.operator().skip(handle.sagaId(), "b");

        assertThat(orchestrator.operator().find(handle.sagaId()).orElseThrow().state()).isEqualTo(SagaState.COMPENSATED);
        assertThat(p.log()).containsExactly("do a", "do b", "undo a");
    }

    @Test
    void resolvingAParkedSagaClosesItByHand() {
        SagaDefinition<Order> saga = Saga.define("resolve", Order.class)
                .step("a").action(p::apply).compensation(ctx -> {
                    throw new IllegalStateException("cannot undo");
                })
                .step("b").action(ctx -> {
                    throw new IllegalStateException("boom");
                })
                .build();
        orchestrator = h.node("n1", saga);
        SagaHandle<Order> handle = orchestrator.start(saga, new Order("sku", 1));

        orchestrator.operator().resolve(handle.sagaId(), "refunded by phone");

        SagaSummary summary = orchestrator.operator().find(handle.sagaId()).orElseThrow();
        assertThat(summary.state()).isEqualTo(SagaState.RESOLVED);
        assertThat(summary.message()).isEqualTo("resolved by hand: refunded by phone");
        assertThatThrownBy(() -> orchestrator.operator().retry(handle.sagaId()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("saga " + handle.sagaId() + " is RESOLVED; only a FAILED or DEFINITION_MISSING saga can be retried");
    }

    @Test
    void listsSagasByStateAndAge() {
        SagaDefinition<Order> saga = Saga.define("list", Order.class).step("a").action(p::apply).build();
        orchestrator = h.node("n1", saga);
        String old = orchestrator.start(saga, new Order("old", 1)).sagaId();
        h.clock.advance(Duration.ofMinutes(10));
        String recent = orchestrator.start(saga, new Order("new", 1)).sagaId();

        assertThat(orchestrator.operator().list(SagaState.COMPLETED, Duration.ZERO, 10))
                .extracting(SagaSummary::sagaId).containsExactly(old, recent);
        assertThat(orchestrator.operator().list(SagaState.COMPLETED, Duration.ofMinutes(5), 10))
                .extracting(SagaSummary::sagaId).containsExactly(old);
        assertThat(orchestrator.operator().list(SagaState.FAILED, Duration.ZERO, 10)).isEmpty();
        assertThatThrownBy(() -> orchestrator.operator().list(SagaState.FAILED, Duration.ZERO, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("limit must be at least 1, was 0");
    }
}
