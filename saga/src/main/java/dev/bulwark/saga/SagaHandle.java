package dev.bulwark.saga;

import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * A started saga: its id (to find it with the {@link SagaOperator}) and its result.
 *
 * <pre>{@code
 * SagaHandle<Order> handle = orchestrator.start(placeOrder, order);
 * SagaResult<Order> result = handle.result().toCompletableFuture().join();
 * }</pre>
 *
 * <p>The result completes when the saga ends or is parked on this node. It completes exceptionally when this
 * node can no longer follow the saga: another node took it over, the orchestrator was closed, or a transition
 * could not be recorded. The saga itself is not lost then: it resumes from its last recorded transition on
 * whichever node claims it, and its outcome is in the store.
 *
 * @param sagaId the instance's id
 * @param result completes with the outcome
 * @param <D> the saga data type
 */
public record SagaHandle<D>(String sagaId, CompletionStage<SagaResult<D>> result) {
    public SagaHandle {
        Objects.requireNonNull(sagaId, "sagaId");
        Objects.requireNonNull(result, "result");
    }
}
