package dev.bulwark.saga;

import static dev.bulwark.saga.Harness.resultNow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Starting a saga under a caller's id starts it at most once, and hands a second caller the first one's saga;
 * definitions are found by name and version, so one built again is as good as the registered one.
 */
class IdempotentStartTest {
    @RegisterExtension
    final TestNodes nodes = new TestNodes();
    private Harness h = nodes.harness();
    private Participant p = h.participant;

    private void on(StoreKind store) {
        h = nodes.on(store);
        p = h.participant;
    }

    private SagaOrchestrator node(String id, java.util.concurrent.Executor executor, SagaDefinition<?>... definitions) {
        return nodes.node(id, executor, definitions);
    }

    private SagaDefinition<Order> twoSteps(String name) {
        return Saga.define(name, Order.class)
                .step("reserve").action(p::apply).compensation(p::undo)
                .step("charge").action(ctx -> {
                    if (ctx.data().quantity() < 0) {
                        throw new IllegalStateException("declined");
                    }
                    p.apply(ctx);
                })
                .build();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void startingAgainWithTheSameIdStartsNothingAndReturnsTheFirstSagasResult(StoreKind store) {
        on(store);
        SagaDefinition<Order> saga = twoSteps("order");
        SagaOrchestrator node = node("n1", Runnable::run, saga);

        SagaHandle<Order> first = node.start(saga, "order-42", new Order("sku", 1));
        SagaHandle<Order> again = node.start(saga, "order-42", new Order("other", 9));

        assertThat(first.created()).isTrue();
        assertThat(again.created()).isFalse();
        assertThat(again.sagaId()).isEqualTo("order-42");
        assertThat(resultNow(again)).isEqualTo(resultNow(first));
        assertThat(resultNow(again).data()).as("the first caller's data").isEqualTo(new Order("sku", 1));
        assertThat(p.calls).containsOnlyKeys("order-42/reserve", "order-42/charge").containsValues(1);
        assertThat(node.operator().list(SagaState.COMPLETED, java.time.Duration.ZERO, 10)).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aRepeatOfACompensatedSagaReportsTheSameStructuredReason(StoreKind store) {
        on(store);
        SagaDefinition<Order> saga = twoSteps("order");
        SagaOrchestrator node = node("n1", Runnable::run, saga);

        SagaResult<Order> first = resultNow(node.start(saga, "order-7", new Order("sku", -1)));
        SagaResult<Order> again = resultNow(node.start(saga, "order-7", new Order("sku", -1)));

        assertThat(first.state()).isEqualTo(SagaState.COMPENSATED);
        assertThat(again).isEqualTo(first);
        assertThat(again.reason().stepId()).isEqualTo("charge");
        assertThat(again.reason().errorMessage()).isEqualTo("declined");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aRepeatOnAnotherNodeFollowsTheSagaUntilTheNodeRunningItFinishes(StoreKind store) {
        on(store);
        SagaDefinition<Order> saga = twoSteps("order");
        SagaRecoveryTest.HeldExecutor held = new SagaRecoveryTest.HeldExecutor();
        SagaOrchestrator runner = node("runner", held, saga);
        SagaOrchestrator other = node("other", Runnable::run, saga);
        SagaHandle<Order> first = runner.start(saga, "order-1", new Order("sku", 1));

        SagaHandle<Order> again = other.start(saga, "order-1", new Order("sku", 1));

        assertThat(again.created()).isFalse();
        assertThat(again.result().toCompletableFuture()).isNotDone();
        Runnable task;
        while ((task = held.next()) != null) {
            task.run();
        }
        assertThat(resultNow(first).state()).isEqualTo(SagaState.COMPLETED);
        h.clock.advance(Harness.POLL); // the other node looks again on its next poll
        assertThat(resultNow(again)).isEqualTo(resultNow(first));
        assertThat(p.calls).containsOnlyKeys("order-1/reserve", "order-1/charge").containsValues(1);
    }

    @Test
    void aRepeatOnTheNodeRunningTheSagaCompletesWhenItEnds() {
        SagaDefinition<Order> saga = twoSteps("order");
        SagaRecoveryTest.HeldExecutor held = new SagaRecoveryTest.HeldExecutor();
        SagaOrchestrator node = node("n1", held, saga);
        SagaHandle<Order> first = node.start(saga, "order-1", new Order("sku", 1));

        SagaHandle<Order> again = node.start(saga, "order-1", new Order("sku", 1));
        Runnable task;
        while ((task = held.next()) != null) {
            task.run();
        }

        assertThat(again.created()).isFalse();
        assertThat(resultNow(again)).isEqualTo(resultNow(first));
    }

    @Test
    void aRepeatThatTheNodeCannotFollowToItsEndFailsWhenTheNodeCloses() {
        SagaDefinition<Order> saga = twoSteps("order");
        SagaOrchestrator node = node("n1", new SagaRecoveryTest.HeldExecutor(), saga);
        node.start(saga, "order-1", new Order("sku", 1));
        SagaHandle<Order> again = node.start(saga, "order-1", new Order("sku", 1));

        node.close();

        assertThatThrownBy(() -> again.result().toCompletableFuture().join())
                .hasMessageContaining("the orchestrator n1 was closed before saga order-1 ended");
    }

    @Test
    void anIdTakenByASagaOfAnotherNameIsRefused() {
        SagaDefinition<Order> order = twoSteps("order");
        SagaDefinition<Order> refund = twoSteps("refund");
        SagaOrchestrator node = node("n1", Runnable::run, order, refund);
        node.start(order, "42", new Order("sku", 1));

        assertThatThrownBy(() -> node.start(refund, "42", new Order("sku", 1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("saga id '42' is already used by a saga 'order', not 'refund'");
    }

    @Test
    void theIdBeginsEveryIdempotencyKeyAndMustBeAReasonableText() {
        List<String> keys = new CopyOnWriteArrayList<>();
        SagaDefinition<Order> saga = Saga.define("keys", Order.class).step("a").action(ctx -> keys.add(ctx.idempotencyKey())).build();
        SagaOrchestrator node = node("n1", Runnable::run, saga);

        node.start(saga, "shop:order 42", new Order("sku", 1));

        assertThat(keys).containsExactly("shop:order 42/a");
        assertThatThrownBy(() -> node.start(saga, " \t", new Order("sku", 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("sagaId must not be blank, was ' \t'");
        assertThatThrownBy(() -> node.start(saga, "x".repeat(201), new Order("sku", 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sagaId must be at most 200 characters, was 201: '" + "x".repeat(40) + "...'");
        assertThatThrownBy(() -> node.start(saga, "a\nb", new Order("sku", 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sagaId must not contain control characters, was 'a?b'");
        assertThatThrownBy(() -> node.start(saga, null, new Order("sku", 1)))
                .isInstanceOf(NullPointerException.class).hasMessage("sagaId");
    }

    @Test
    void aDefinitionBuiltAgainIsFoundByNameAndVersionAndTheRegisteredOneRuns() {
        List<String> ran = new CopyOnWriteArrayList<>();
        SagaDefinition<Order> registered = Saga.define("order", Order.class)
                .step("a").action(ctx -> ran.add("registered")).compensation(ctx -> {}).build();
        SagaDefinition<Order> rebuilt = Saga.define("order", Order.class)
                .step("a").action(ctx -> ran.add("rebuilt")).compensation(ctx -> {}).build();
        SagaOrchestrator node = node("n1", Runnable::run, registered);

        assertThat(resultNow(node.start(rebuilt, new Order("sku", 1))).state()).isEqualTo(SagaState.COMPLETED);
        assertThat(ran).containsExactly("registered");
    }

    @Test
    void aDifferentDefinitionUnderARegisteredNameAndVersionIsRefusedNamingTheDifference() {
        SagaDefinition<Order> registered = Saga.define("order", Order.class)
                .step("a").action(p::apply).compensation(p::undo)
                .step("b").action(p::apply)
                .build();
        SagaOrchestrator node = node("n1", Runnable::run, registered);
        SagaDefinition<Order> moreSteps = Saga.define("order", Order.class)
                .step("a").action(p::apply).compensation(p::undo)
                .step("b").action(p::apply).step("c").action(p::apply).build();
        SagaDefinition<Order> noCompensation = Saga.define("order", Order.class)
                .step("a").action(p::apply).step("b").action(p::apply).build();
        SagaDefinition<Order> otherVersion = Saga.define("order", Order.class).version(2).step("a").action(p::apply).build();

        assertThatThrownBy(() -> node.start(moreSteps, new Order("sku", 1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("saga 'order' version 1 differs from the definition registered under that name and version "
                        + "(steps [a, b] registered, [a, b, c] given): start it with the registered definition, or "
                        + "register this one under a new version");
        assertThatThrownBy(() -> node.start(noCompensation, new Order("sku", 1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("(step 'a' at position 0 with a compensation registered, step 'a' at position 0 given)");
        assertThatThrownBy(() -> node.start(otherVersion, new Order("sku", 1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("saga 'order' version 2 is not registered with this orchestrator, which has [order v1]: "
                        + "register(...) it on the builder");
        assertThat(p.calls).isEmpty();
    }
}
