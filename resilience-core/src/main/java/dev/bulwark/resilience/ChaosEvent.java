package dev.bulwark.resilience;

import java.time.Duration;
import java.time.Instant;

/**
 * What a {@link Chaos} policy reports to its listeners. Events are built only while a listener is registered.
 *
 * <pre>{@code
 * chaos.onEvent(event -> log.info("chaos: {}", event));
 * }</pre>
 */
public sealed interface ChaosEvent {

    /** The name of the chaos policy. */
    String policyName();

    /** When it happened, by the policy's clock. */
    Instant timestamp();

    /** A call was delayed by {@code latency} before it went on. */
    record LatencyInjected(String policyName, Instant timestamp, Duration latency) implements ChaosEvent {}

    /** A call failed with {@code fault} instead of running. */
    record FaultInjected(String policyName, Instant timestamp, Exception fault) implements ChaosEvent {}

    /** A call was answered with the configured result instead of running. */
    record ResultInjected(String policyName, Instant timestamp) implements ChaosEvent {}

    /** The policy was switched on or off. */
    record Switched(String policyName, Instant timestamp, boolean enabled) implements ChaosEvent {}
}
