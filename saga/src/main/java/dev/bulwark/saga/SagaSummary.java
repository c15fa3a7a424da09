package dev.bulwark.saga;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A saga instance as the operator API lists it.
 *
 * @param sagaId the instance's id
 * @param name the definition's name
 * @param version the definition version it runs with
 * @param state its state
 * @param activeSteps the steps running now, or (when parked) the steps it is parked on
 * @param message why it is compensating or parked, or {@code null}
 * @param owner the node holding its lease, or {@code null}
 * @param createdAt when it started
 * @param updatedAt when it last moved
 */
public record SagaSummary(String sagaId, String name, int version, SagaState state, List<String> activeSteps,
        String message, String owner, Instant createdAt, Instant updatedAt) {

    public SagaSummary {
        Objects.requireNonNull(sagaId, "sagaId");
        Objects.requireNonNull(state, "state");
        activeSteps = List.copyOf(activeSteps);
    }
}
