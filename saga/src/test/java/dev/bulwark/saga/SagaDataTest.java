package dev.bulwark.saga;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Stored saga data is read back only as the declared type: never as a class named in storage. */
class SagaDataTest {
    record Envelope(String id, Object payload) {}

    private final Harness h = new Harness();

    @Test
    void anUntypedFieldComesBackAsPlainJsonValuesNotAsTheClassNamedInStorage() {
        Object[] seen = new Object[1];
        SagaDefinition<Envelope> saga = Saga.define("envelope", Envelope.class)
                .step("a").action(ctx -> {})
                .step("b").action(ctx -> seen[0] = ctx.data().payload())
                .build();
        Journal journal = h.store.journal();
        long now = h.clock.currentTimeMillis();
        journal.insert(new Journal.SagaRow("crafted", "envelope", 1, SagaState.RUNNING, null,
                "{\"id\":\"1\",\"payload\":[\"java.net.URL\",\"http://example.invalid\"]}", List.of("a"), null, false,
                false, null, 0, 0, now, now, 0));
        SagaOrchestrator orchestrator = h.node("n1", saga);

        h.clock.advance(Duration.ofSeconds(1));

        assertThat(orchestrator.operator().find("crafted").orElseThrow().state()).isEqualTo(SagaState.COMPLETED);
        assertThat(seen[0]).isEqualTo(List.of("java.net.URL", "http://example.invalid"));
        orchestrator.close();
    }

    @Test
    void dataThatDoesNotFitTheDeclaredTypeParksTheSagaInsteadOfRunningIt() {
        SagaDefinition<Order> saga = Saga.define("order", Order.class).step("a").action(h.participant::apply).build();
        long now = h.clock.currentTimeMillis();
        h.store.journal().insert(new Journal.SagaRow("bad", "order", 1, SagaState.RUNNING, null,
                "{\"@class\":\"java.lang.ProcessBuilder\",\"sku\":\"x\"}", List.of("a"), null, false, false, null, 0, 0,
                now, now, 0));
        SagaOrchestrator orchestrator = h.node("n1", saga);

        h.clock.advance(Duration.ofSeconds(1));

        SagaSummary parked = orchestrator.operator().find("bad").orElseThrow();
        assertThat(parked.state()).isEqualTo(SagaState.FAILED);
        assertThat(parked.message()).startsWith("saga data could not be read: could not read stored JSON as dev.bulwark.saga.Order");
        assertThat(h.participant.calls).isEmpty();
        orchestrator.close();
    }

    @Test
    void outputsAreStoredAsJsonAndReadBackAsTheDeclaredType() {
        SagaDefinition<Order> saga = Saga.define("outputs", Order.class)
                .step("map").action(Map.class, ctx -> Map.of("k", 1))
                .step("read").action(ctx -> ctx.replaceData(ctx.data().withNote(String.valueOf(ctx.output("map", Map.class)))))
                .build();
        SagaOrchestrator orchestrator = h.node("n1", saga);

        SagaResult<Order> result = Harness.resultNow(orchestrator.start(saga, new Order("x", 1)));

        assertThat(result.data().note()).isEqualTo("{k=1}");
        orchestrator.close();
    }
}
