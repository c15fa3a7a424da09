package dev.bulwark.saga;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.jsontype.BasicPolymorphicTypeValidator;
import dev.bulwark.resilience.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SagaOrchestratorBuilderTest {
    private final SagaDefinition<Order> saga = Saga.define("s", Order.class).step("a").action(ctx -> {}).build();
    private final ManualClock clock = new ManualClock();

    private SagaOrchestratorBuilder builder() {
        return SagaOrchestrator.builder().store(new InMemorySagaStore()).register(saga).clock(clock).scheduler(clock);
    }

    @Test
    void requiresAStoreADefinitionAndExactlyOneWayToRunSteps() {
        assertThatThrownBy(() -> SagaOrchestrator.builder().register(saga).threads(1).start())
                .isInstanceOf(IllegalStateException.class).hasMessage("store is required: set store(...)");
        assertThatThrownBy(() -> SagaOrchestrator.builder().store(new InMemorySagaStore()).threads(1).start())
                .isInstanceOf(IllegalStateException.class).hasMessage("no saga definition is registered: call register(...)");
        assertThatThrownBy(() -> builder().start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("set executor(...) or threads(...): the orchestrator starts no thread unless told to");
        assertThatThrownBy(() -> builder().threads(1).executor(Runnable::run).start())
                .isInstanceOf(IllegalStateException.class).hasMessage("executor and threads are exclusive: give one of them");
    }

    @Test
    void rejectsBadValuesAndSettingsGivenTwice() {
        assertThatThrownBy(() -> builder().threads(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("threads must be at least 1, was 0");
        assertThatThrownBy(() -> builder().leaseDuration(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("leaseDuration must be positive, was PT0S");
        assertThatThrownBy(() -> builder().claimBatch(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("claimBatch must be at least 1, was 0");
        assertThatThrownBy(() -> builder().nodeId("node 1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("nodeId must be 1 to 100 letters, digits, '.', '_' or '-', was 'node 1'");
        assertThatThrownBy(() -> builder().register(saga))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("saga 's' version 1 is already registered");
        assertThatThrownBy(() -> builder().clock(clock))
                .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("clock was already set to ");
    }

    @Test
    void refusesAMapperWithDefaultTyping() {
        ObjectMapper typed = new ObjectMapper().activateDefaultTyping(
                BasicPolymorphicTypeValidator.builder().allowIfBaseType(Object.class).build());

        assertThatThrownBy(() -> builder().executor(Runnable::run).objectMapper(typed).start())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("objectMapper must not enable default typing: saga data and outputs are read back only as "
                        + "the types the definition declares");
    }

    @Test
    void startsOnlyRegisteredDefinitionsAndNothingAfterClose() {
        SagaOrchestrator orchestrator = builder().executor(Runnable::run).nodeId("n1").start();
        SagaDefinition<Order> other = Saga.define("other", Order.class).step("a").action(ctx -> {}).build();

        assertThatThrownBy(() -> orchestrator.start(other, new Order("x", 1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("saga 'other' version 1 is not registered with this orchestrator, which has [s v1]: "
                        + "register(...) it on the builder");
        orchestrator.close();
        assertThatThrownBy(() -> orchestrator.start(saga, new Order("x", 1)))
                .isInstanceOf(IllegalStateException.class).hasMessage("the orchestrator n1 is closed");
    }

    @Test
    void anOwnedPoolRunsStepsAndIsShutDownByClose() throws Exception {
        SagaOrchestrator orchestrator = builder().threads(2).start();
        String[] thread = new String[1];
        SagaDefinition<Order> named = Saga.define("named", Order.class)
                .step("a").action(ctx -> thread[0] = Thread.currentThread().getName()).build();
        orchestrator.close();
        SagaOrchestrator second = SagaOrchestrator.builder().store(new InMemorySagaStore()).register(named)
                .threads(1).nodeId("pool-node").start();

        SagaResult<Order> result = second.start(named, new Order("x", 1)).result().toCompletableFuture()
                .get(10, java.util.concurrent.TimeUnit.SECONDS);
        second.close();

        assertThat(result.state()).isEqualTo(SagaState.COMPLETED);
        assertThat(thread[0]).isEqualTo("bulwark-saga-pool-node-1");
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("bulwark-saga-pool-node")) {
                t.join(5_000);
                assertThat(t.isAlive()).as("%s is still alive after close()", t.getName()).isFalse();
            }
        }
    }

    @Test
    void publishesSagaAndStepMetricsToMicrometer() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SagaDefinition<Order> failing = Saga.define("metered", Order.class)
                .step("a").action(ctx -> {}).compensation(ctx -> {})
                .step("b").action(ctx -> {
                    if (ctx.data().quantity() < 0) {
                        throw new IllegalStateException("negative");
                    }
                })
                .build();
        SagaOrchestrator orchestrator = SagaOrchestrator.builder().store(new InMemorySagaStore()).register(failing)
                .executor(Runnable::run).clock(clock).scheduler(clock).meterRegistry(registry).start();

        for (int quantity : List.of(1, 2, -1)) {
            orchestrator.start(failing, new Order("x", quantity));
        }
        orchestrator.close();

        assertThat(registry.counter("bulwark.saga.started", "saga", "metered").count()).isEqualTo(3);
        assertThat(registry.counter("bulwark.saga.completed", "saga", "metered").count()).isEqualTo(2);
        assertThat(registry.counter("bulwark.saga.compensated", "saga", "metered").count()).isEqualTo(1);
        assertThat(registry.timer("bulwark.saga.step", "saga", "metered", "step", "a", "phase", "action",
                "outcome", "completed").count()).isEqualTo(3);
        assertThat(registry.timer("bulwark.saga.step", "saga", "metered", "step", "b", "phase", "action",
                "outcome", "failed").count()).isEqualTo(1);
        assertThat(registry.timer("bulwark.saga.step", "saga", "metered", "step", "a", "phase", "compensation",
                "outcome", "completed").count()).isEqualTo(1);
    }
}
