package dev.bulwark.examples;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One part of the scenario: how the payment and shipping services behave while a share of the orders is placed.
 *
 * @param name a short name, such as {@code "failing"}
 * @param description what happens, for people
 * @param payment the payment service's faults
 * @param shipping the shipping service's faults
 */
public record ScenarioPhase(String name, String description, Faults payment, Faults shipping) {

    public ScenarioPhase {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(payment, "payment");
        Objects.requireNonNull(shipping, "shipping");
    }

    /** A little noise, as real services have: 1% failures, 1% lost responses, 5 to 30 ms. */
    static final Faults NOISY = new Faults(0.01, 0.01, Duration.ofMillis(5), Duration.ofMillis(30));

    /**
     * The standard story: healthy, failing (60% of payment requests refused, 10% lost after charging), slow
     * (payments take 150 to 600 ms, against a 250 ms timeout), recovered. Shipping stays noisy throughout.
     */
    public static List<ScenarioPhase> standard() {
        return List.of(
                new ScenarioPhase("healthy", "payments answer in 5-30 ms, 2% fail", NOISY, NOISY),
                new ScenarioPhase("failing", "60% of payments refused, 10% charged but the answer lost",
                        new Faults(0.6, 0.1, Duration.ofMillis(5), Duration.ofMillis(30)), NOISY),
                new ScenarioPhase("slow", "payments take 150-600 ms (the timeout is 250 ms)",
                        new Faults(0, 0, Duration.ofMillis(150), Duration.ofMillis(600)), NOISY),
                new ScenarioPhase("recovered", "payments healthy again", NOISY, NOISY));
    }
}
