package dev.bulwark.saga;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The example of {@link Saga}'s Javadoc, with fake services, so that the documented API stays real. */
class DocumentedExampleTest {
    record Receipt(String id) {}

    private final List<String> calls = new CopyOnWriteArrayList<>();

    private void call(String what, StepContext<Order> ctx) {
        calls.add(what + " " + ctx.stepId());
    }

    @Test
    void theDocumentedPlaceOrderSagaRuns() throws Exception {
        CountingRetry retry = new CountingRetry("stock", 3);
        SagaDefinition<Order> placeOrder = Saga.define("place-order", Order.class)
                .version(2)
                .timeout(Duration.ofMinutes(5))
                .step("reserve-stock")
                    .action(ctx -> call("reserve", ctx))
                    .compensation(ctx -> call("release", ctx))
                    .policy(retry)
                    .timeout(Duration.ofSeconds(2))
                .parallel(group -> group
                        .step("book-hotel").action(ctx -> call("book", ctx)).compensation(ctx -> call("cancel", ctx))
                        .step("book-flight").action(ctx -> call("book", ctx)).compensation(ctx -> call("cancel", ctx)))
                .pivot("charge-card").action(Receipt.class, ctx -> new Receipt("r-" + ctx.data().quantity()))
                .retriable("send-confirmation").action(ctx -> call("mail " + ctx.output("charge-card", Receipt.class).id(), ctx))
                .build();

        try (SagaOrchestrator orchestrator = SagaOrchestrator.builder()
                .store(new InMemorySagaStore())
                .register(placeOrder)
                .threads(2)
                .start()) {
            SagaHandle<Order> handle = orchestrator.start(placeOrder, new Order("sku", 7));
            SagaResult<Order> result = handle.result().toCompletableFuture().get(10, TimeUnit.SECONDS);

            assertThat(result.state()).isEqualTo(SagaState.COMPLETED);
        }
        assertThat(calls).containsExactlyInAnyOrder("reserve reserve-stock", "book book-hotel", "book book-flight",
                "mail r-7 send-confirmation");
        assertThat(calls.get(0)).isEqualTo("reserve reserve-stock");
        assertThat(calls.get(3)).isEqualTo("mail r-7 send-confirmation");
    }
}
