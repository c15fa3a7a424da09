package dev.bulwark.saga;

import java.util.Objects;

/**
 * How a saga ended, as its handle reports it.
 *
 * <pre>{@code
 * SagaResult<Order> result = handle.result().toCompletableFuture().join();
 * if (result.state() == SagaState.COMPENSATED) {
 *     log.info("order undone at step {}: {}", result.reason().stepId(), result.failure());
 * }
 * }</pre>
 *
 * @param sagaId the instance's id
 * @param state {@link SagaState#COMPLETED}, {@link SagaState#COMPENSATED}, {@link SagaState#CANCELLED}, or
 *     {@link SagaState#FAILED} when it was parked for a person
 * @param data the saga data as the last completed step left it
 * @param reason why the saga did not complete, in parts (the failed step, the exception's type and message), or
 *     {@code null} when it completed
 * @param <D> the saga data type
 */
public record SagaResult<D>(String sagaId, SagaState state, D data, SagaFailure reason) {
    public SagaResult {
        Objects.requireNonNull(sagaId, "sagaId");
        Objects.requireNonNull(state, "state");
    }

    /**
     * Why the saga did not complete, as people read it (the failing step and its error, a timeout or a
     * cancellation): {@code reason().description()}, or {@code null} when it completed.
     */
    public String failure() {
        return reason == null ? null : reason.description();
    }
}
