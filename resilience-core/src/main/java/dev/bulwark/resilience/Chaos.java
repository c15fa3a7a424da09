package dev.bulwark.resilience;

import java.util.function.Consumer;

/**
 * Fault injection: makes a dependency misbehave on purpose, to see how the application copes. A chaos
 * policy delays some calls, fails some with a configured exception and answers some with a configured
 * result, at the rates its {@link ChaosConfig} sets; the other calls run untouched. It can be switched on
 * and off while the application runs; switched off, it costs one volatile read per call.
 *
 * <p>Latency comes from the config's {@link Clock} for synchronous calls (the caller's thread sleeps, so a
 * {@link ManualClock} makes tests instant) and from its {@link Scheduler} for asynchronous ones (no thread
 * waits). A fault or an injected result replaces the call: the real call is not made.
 *
 * <pre>{@code
 * Chaos chaos = Chaos.of("payments-chaos", ChaosConfig.builder()
 *         .faultRate(0.05)
 *         .latencyRate(0.2)
 *         .latency(Duration.ofMillis(500))
 *         .enabled(false)
 *         .build());
 * // in a test environment, from a feature flag:
 * chaos.enable();
 * Receipt receipt = chaos.call(() -> payments.charge(order));
 * }</pre>
 *
 * <p>Thread-safe.
 */
public interface Chaos extends Policy {

    /**
     * A chaos policy with the given name and settings.
     *
     * @throws IllegalArgumentException if the name is blank
     */
    static Chaos of(String name, ChaosConfig config) {
        return new DefaultChaos(name, config);
    }

    /** A chaos policy that injects nothing until configured otherwise: {@link ChaosConfig#defaults()}. */
    static Chaos ofDefaults(String name) {
        return of(name, ChaosConfig.defaults());
    }

    /** The settings this policy was built with. */
    ChaosConfig config();

    /** Whether the policy injects anything right now. */
    boolean isEnabled();

    /** Switches injection on; calls that start from now on may be affected. */
    void enable();

    /** Switches injection off; calls that start from now on run untouched. */
    void disable();

    /** How many calls failed by injection since the policy was built. */
    long injectedFaults();

    /** How many calls were delayed by injection since the policy was built. */
    long injectedLatencies();

    /** How many calls were answered by injection since the policy was built. */
    long injectedResults();

    /** Registers a listener for this policy's {@linkplain ChaosEvent events}. */
    void onEvent(Consumer<? super ChaosEvent> listener);

    /** Removes a listener registered with {@link #onEvent}; returns whether it was registered. */
    boolean removeListener(Consumer<? super ChaosEvent> listener);
}
