package dev.bulwark.saga;

import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * A started saga: its id (to find it with the {@link SagaOperator}) and its result.
 *
 * <pre>{@code
 * SagaHandle<Order> handle = orchestrator.start(placeOrder, "order-" + order.id(), order);
 * if (!handle.created()) {
 *     log.info("order {} already has its saga", order.id());
 * }
 * SagaResult<Order> result = handle.result().toCompletableFuture().join();
 * }</pre>
 *
 * <p>The result completes when the saga ends or is parked. It completes exceptionally when this node can no
 * longer follow the saga: another node took over the saga this node ran, the orchestrator was closed, or a
 * transition could not be recorded. The saga itself is not lost then: it resumes from its last recorded transition
 * on whichever node claims it, and its outcome is in the store.
 *
 * @param sagaId the instance's id
 * @param result completes with the outcome
 * @param created whether this call created the saga; {@code false} when a saga with this id already existed,
 *     and the handle follows that one
 * @param <D> the saga data type
 */
public record SagaHandle<D>(String sagaId, CompletionStage<SagaResult<D>> result, boolean created) {
    public SagaHandle {
        Objects.requireNonNull(sagaId, "sagaId");
        Objects.requireNonNull(result, "result");
    }
}
