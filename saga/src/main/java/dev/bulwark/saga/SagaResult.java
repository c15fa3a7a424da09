package dev.bulwark.saga;

import java.util.Objects;

/**
 * How a saga ended, as its handle reports it.
 *
 * @param sagaId the instance's id
 * @param state {@link SagaState#COMPLETED}, {@link SagaState#COMPENSATED}, {@link SagaState#CANCELLED}, or
 *     {@link SagaState#FAILED} when it was parked for a person
 * @param data the saga data as the last completed step left it
 * @param failure why the saga did not complete (the failing step and its error, a timeout or a cancellation),
 *     or {@code null} when it completed
 * @param <D> the saga data type
 */
public record SagaResult<D>(String sagaId, SagaState state, D data, String failure) {
    public SagaResult {
        Objects.requireNonNull(sagaId, "sagaId");
        Objects.requireNonNull(state, "state");
    }
}
