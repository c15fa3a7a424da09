package dev.bulwark.saga;

import static dev.bulwark.saga.Harness.resultNow;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Why a saga did not complete, in parts: on its result, on a repeat's result read from the store (the same
 * value), and on the context of each compensation.
 */
class SagaFailureTest {
    @RegisterExtension
    final TestNodes nodes = new TestNodes();
    private Harness h = nodes.harness();
    private Participant p = h.participant;
    private final List<Optional<SagaFailure>> seen = new CopyOnWriteArrayList<>();

    private SagaOrchestrator node(StoreKind store, SagaDefinition<?>... definitions) {
        h = nodes.on(store);
        p = h.participant;
        return nodes.node("n1", Runnable::run, definitions);
    }

    /** Undoes, and remembers what the compensation was told. */
    private void undo(StepContext<Order> ctx) {
        seen.add(ctx.compensationReason());
        p.undo(ctx);
    }

    /** The result, checked against what a repeat of the start reads back from the store. */
    private SagaResult<Order> resultAndRepeat(SagaOrchestrator node, SagaDefinition<Order> saga) {
        SagaResult<Order> result = resultNow(node.start(saga, "s-1", new Order("sku", 1)));
        assertThat(resultNow(node.start(saga, "s-1", new Order("sku", 1)))).as("read back from the store")
                .isEqualTo(result);
        return result;
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aFailedStepGivesItsIdItsExceptionTypeAndMessageToTheResultAndToEveryCompensation(StoreKind store) {
        SagaDefinition<Order> saga = Saga.define("failing", Order.class)
                .step("a").action(ctx -> seen.add(ctx.compensationReason())).compensation(this::undo)
                .step("b").action(p::apply).compensation(this::undo)
                .step("c").action(ctx -> {
                    throw new IllegalStateException("out of stock: sku\nline two");
                })
                .build();
        SagaOrchestrator node = node(store, saga);

        SagaResult<Order> result = resultAndRepeat(node, saga);

        SagaFailure expected = new SagaFailure("step 'c' failed: java.lang.IllegalStateException: out of stock: sku\nline two",
                "c", StepRecord.Phase.ACTION, StepRecord.Outcome.FAILED, "java.lang.IllegalStateException",
                "out of stock: sku\nline two");
        assertThat(result.reason()).isEqualTo(expected);
        assertThat(result.failure()).isEqualTo(expected.description());
        assertThat(seen).as("the action sees none; each compensation sees why")
                .containsExactly(Optional.empty(), Optional.of(expected), Optional.of(expected));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aStepTimeoutIsAReasonWithAStepButNoException(StoreKind store) {
        SagaDefinition<Order> saga = Saga.define("slow", Order.class)
                .step("a").action(p::apply).compensation(this::undo)
                .step("b").action(ctx -> h.clock.advance(Duration.ofSeconds(3))).timeout(Duration.ofSeconds(2))
                .build();
        SagaOrchestrator node = node(store, saga);

        SagaResult<Order> result = resultAndRepeat(node, saga);

        assertThat(result.reason()).isEqualTo(new SagaFailure("step 'b' timed out after PT2S", "b",
                StepRecord.Phase.ACTION, StepRecord.Outcome.TIMED_OUT, null, null));
        assertThat(seen).containsExactly(Optional.of(result.reason()));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void theSagaTimeoutIsAReasonWithoutAStep(StoreKind store) {
        SagaDefinition<Order> saga = Saga.define("deadline", Order.class)
                .timeout(Duration.ofSeconds(10))
                .step("a").action(p::apply).compensation(this::undo)
                .step("b").action(ctx -> {
                    p.apply(ctx);
                    h.clock.advance(Duration.ofSeconds(11));
                }).compensation(this::undo)
                .build();
        SagaOrchestrator node = node(store, saga);

        SagaResult<Order> result = resultAndRepeat(node, saga);

        assertThat(result.reason()).isEqualTo(SagaFailure.described("saga timed out after PT10S"));
        assertThat(seen).containsExactly(Optional.of(result.reason()), Optional.of(result.reason()));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aCompensationThatKeepsFailingIsTheParkedSagasReasonButTheRetriedCompensationsStillSeeTheFirstCause(
            StoreKind store) {
        AtomicBoolean broken = new AtomicBoolean(true);
        SagaDefinition<Order> saga = Saga.define("stuck", Order.class)
                .step("a").action(p::apply).compensation(this::undo)
                .step("b").action(p::apply).compensation(ctx -> {
                    if (broken.get()) {
                        throw new IllegalStateException("refunds down");
                    }
                    undo(ctx);
                })
                .step("c").action(ctx -> {
                    throw new IllegalArgumentException("bad card");
                })
                .build();
        SagaOrchestrator node = node(store, saga);

        SagaResult<Order> parked = resultAndRepeat(node, saga);
        broken.set(false);
        node.operator().retry("s-1");

        assertThat(parked.state()).isEqualTo(SagaState.FAILED);
        assertThat(parked.reason()).isEqualTo(new SagaFailure("compensation of step 'b' failed: "
                + "java.lang.IllegalStateException: refunds down", "b", StepRecord.Phase.COMPENSATION,
                StepRecord.Outcome.FAILED, "java.lang.IllegalStateException", "refunds down"));
        SagaFailure cause = new SagaFailure("step 'c' failed: java.lang.IllegalArgumentException: bad card", "c",
                StepRecord.Phase.ACTION, StepRecord.Outcome.FAILED, "java.lang.IllegalArgumentException", "bad card");
        assertThat(seen).as("after the operator's retry, read from the history").containsExactly(Optional.of(cause),
                Optional.of(cause));
        SagaSummary done = node.operator().find("s-1").orElseThrow();
        assertThat(done.state()).isEqualTo(SagaState.COMPENSATED);
        assertThat(done.message()).isEqualTo(cause.description());
    }

    @Test
    void aCancellationIsAReasonWithoutAStep() {
        SagaDefinition<Order> saga = Saga.define("cancelled", Order.class)
                .step("a").action(ctx -> {
                    p.apply(ctx);
                    nodes.first().operator().cancel(ctx.sagaId());
                }).compensation(this::undo)
                .step("b").action(p::apply)
                .build();
        SagaOrchestrator node = node(StoreKind.MEMORY, saga);

        SagaResult<Order> result = resultAndRepeat(node, saga);

        assertThat(result.state()).isEqualTo(SagaState.CANCELLED);
        assertThat(result.reason()).isEqualTo(SagaFailure.described("cancelled by an operator"));
        assertThat(seen).containsExactly(Optional.of(result.reason()));
    }

    @Test
    void aCompletedSagaHasNoReason() {
        SagaDefinition<Order> saga = Saga.define("fine", Order.class).step("a").action(p::apply).build();
        SagaOrchestrator node = node(StoreKind.MEMORY, saga);

        SagaResult<Order> result = resultAndRepeat(node, saga);

        assertThat(result.reason()).isNull();
        assertThat(result.failure()).isNull();
    }

    @Property(tries = 200)
    void theExceptionTypeAndMessageAreReadBackFromTheStoredErrorExactly(@ForAll("classNames") String type,
            @ForAll("messages") String message) {
        String error = message == null ? type : type + ": " + message;
        StepRecord entry = new StepRecord(1, "step", StepRecord.Phase.ACTION, StepRecord.Outcome.FAILED, 1, null, error,
                Instant.EPOCH, Instant.EPOCH);

        SagaFailure failure = SagaFailure.of(entry);

        assertThat(failure.errorType()).isEqualTo(type);
        assertThat(failure.errorMessage()).isEqualTo(message);
        assertThat(failure.description()).isEqualTo("step 'step' failed: " + error);
    }

    @Provide
    Arbitrary<String> classNames() {
        Arbitrary<String> part = Arbitraries.strings().withCharRange('a', 'z').withChars('_', '$').ofMinLength(1).ofMaxLength(8)
                .filter(s -> Character.isJavaIdentifierStart(s.charAt(0)));
        return part.list().ofMinSize(1).ofMaxSize(4).map(parts -> String.join(".", parts));
    }

    @Provide
    Arbitrary<String> messages() {
        return Arbitraries.strings().all().ofMaxLength(40).injectNull(0.2);
    }
}
