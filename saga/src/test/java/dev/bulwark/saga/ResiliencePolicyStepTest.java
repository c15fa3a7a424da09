package dev.bulwark.saga;

import static dev.bulwark.saga.Harness.resultNow;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.resilience.CircuitBreaker;
import dev.bulwark.resilience.CircuitBreakerConfig;
import dev.bulwark.resilience.Pipeline;
import dev.bulwark.resilience.Retry;
import dev.bulwark.resilience.RetryBackoff;
import dev.bulwark.resilience.RetryConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Steps wrapped in resilience-core's own Retry, CircuitBreaker and Pipeline, on the harness's manual clock. */
class ResiliencePolicyStepTest {
    private final Harness h = new Harness();
    private final Participant p = h.participant;
    private final AtomicInteger dependencyCalls = new AtomicInteger();
    private final AtomicBoolean dependencyDown = new AtomicBoolean(true);
    private SagaOrchestrator orchestrator;

    @AfterEach
    void close() {
        if (orchestrator != null) {
            orchestrator.close();
        }
    }

    private void callDependency(StepContext<Order> ctx) {
        dependencyCalls.incrementAndGet();
        if (dependencyDown.get()) {
            throw new IllegalStateException("payments down");
        }
        p.apply(ctx);
    }

    private CircuitBreaker breaker() {
        return CircuitBreaker.of("payments", CircuitBreakerConfig.builder()
                .slidingWindow(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED, 2)
                .minimumNumberOfCalls(2)
                .failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofMinutes(1))
                .clock(h.clock)
                .build());
    }

    @Test
    void aStepThatKeepsFailingAfterItsRetryGaveUpIsCompensatedWithTheStepsBeforeIt() {
        Retry retry = Retry.of("payments", RetryConfig.builder().maxAttempts(3)
                .backoff(RetryBackoff.fixed(Duration.ofMillis(500))).clock(h.clock).build());
        SagaDefinition<Order> saga = Saga.define("retried", Order.class)
                .step("reserve").action(p::apply).compensation(p::undo)
                .step("charge").action(this::callDependency).policy(retry)
                .build();
        orchestrator = h.node("n1", saga);

        SagaHandle<Order> handle = orchestrator.start(saga, new Order("sku", 1));

        SagaResult<Order> result = resultNow(handle);
        assertThat(result.state()).isEqualTo(SagaState.COMPENSATED);
        assertThat(result.failure()).isEqualTo("step 'charge' failed: java.lang.IllegalStateException: payments down");
        assertThat(dependencyCalls).hasValue(3);
        StepRecord charge = orchestrator.operator().history(handle.sagaId()).get(1);
        assertThat(charge.attempts()).isEqualTo(3);
        assertThat(Duration.between(charge.startedAt(), charge.finishedAt())).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.effects).isEmpty();
    }

    @Test
    void aRetryThatSucceedsWithinItsAttemptsCompletesTheStep() {
        Retry retry = Retry.of("payments", RetryConfig.builder().maxAttempts(3).clock(h.clock).build());
        SagaDefinition<Order> saga = Saga.define("recovers", Order.class)
                .step("charge").action(ctx -> {
                    if (dependencyCalls.get() == 1) {
                        dependencyDown.set(false);
                    }
                    callDependency(ctx);
                }).policy(retry)
                .build();
        orchestrator = h.node("n1", saga);

        assertThat(resultNow(orchestrator.start(saga, new Order("sku", 1))).state()).isEqualTo(SagaState.COMPLETED);
        assertThat(dependencyCalls).hasValue(2);
    }

    @Test
    void aCompensationWrappedInAPipelineIsRetriedAndParksTheSagaWhenItKeepsFailing() {
        Retry retry = Retry.of("refunds", RetryConfig.builder().maxAttempts(4).clock(h.clock).build());
        AtomicInteger refunds = new AtomicInteger();
        SagaDefinition<Order> saga = Saga.define("refund", Order.class)
                .step("charge").action(p::apply).compensation(ctx -> {
                    refunds.incrementAndGet();
                    throw new IllegalStateException("refunds down");
                }).compensationPolicy(Pipeline.of(retry))
                .step("ship").action(ctx -> {
                    throw new IllegalStateException("no carrier");
                })
                .build();
        orchestrator = h.node("n1", saga);

        SagaHandle<Order> handle = orchestrator.start(saga, new Order("sku", 1));

        assertThat(resultNow(handle).state()).isEqualTo(SagaState.FAILED);
        assertThat(refunds).hasValue(4);
        assertThat(orchestrator.operator().history(handle.sagaId()).get(2).attempts()).isEqualTo(4);
    }

    @Test
    void aBreakerOpenOnAStepsDependencyRejectsTheStepWithoutCallingItAndTheSagaIsCompensated() {
        CircuitBreaker payments = breaker();
        SagaDefinition<Order> saga = Saga.define("guarded", Order.class)
                .step("reserve").action(p::apply).compensation(p::undo)
                .step("charge").action(this::callDependency).policy(payments)
                .build();
        orchestrator = h.node("n1", saga);
        for (int i = 0; i < 2; i++) {
            assertThat(resultNow(orchestrator.start(saga, new Order("sku", i))).state()).isEqualTo(SagaState.COMPENSATED);
        }
        assertThat(payments.state()).isEqualTo(CircuitBreaker.State.OPEN);

        SagaHandle<Order> handle = orchestrator.start(saga, new Order("sku", 3));

        SagaResult<Order> result = resultNow(handle);
        assertThat(result.state()).isEqualTo(SagaState.COMPENSATED);
        assertThat(result.failure()).isEqualTo("step 'charge' failed: dev.bulwark.resilience.CallNotPermittedException: "
                + "circuit breaker 'payments' is OPEN and permits no calls until its wait is over");
        assertThat(dependencyCalls).as("the open breaker never called payments").hasValue(2);
        assertThat(orchestrator.operator().history(handle.sagaId()).get(1).attempts()).isZero();
        assertThat(p.effects).isEmpty();
    }

    @Test
    void aRetriableStepBehindAnOpenBreakerParksTheSagaUntilRetriedAfterTheBreakerCloses() {
        CircuitBreaker payments = breaker();
        SagaDefinition<Order> saga = Saga.define("after-pivot", Order.class)
                .pivot("ship").action(p::apply)
                .retriable("charge").action(this::callDependency).policy(payments)
                .build();
        orchestrator = h.node("n1", saga);
        List<SagaHandle<Order>> parked = List.of(orchestrator.start(saga, new Order("sku", 1)),
                orchestrator.start(saga, new Order("sku", 2)), orchestrator.start(saga, new Order("sku", 3)));
        assertThat(parked).allSatisfy(handle -> assertThat(resultNow(handle).state()).isEqualTo(SagaState.FAILED));
        assertThat(dependencyCalls).hasValue(2);

        dependencyDown.set(false);
        h.clock.advance(Duration.ofMinutes(1));
        for (SagaHandle<Order> handle : parked) {
            orchestrator.operator().retry(handle.sagaId());
        }

        assertThat(parked).allSatisfy(handle -> assertThat(orchestrator.operator().find(handle.sagaId()).orElseThrow()
                .state()).isEqualTo(SagaState.COMPLETED));
        assertThat(p.effects).hasSize(6);
    }
}
