package dev.bulwark.resilience;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * The settings of a {@link Chaos} policy: how often it delays calls, fails them or answers them itself.
 *
 * <p>For each call, one draw decides whether latency is added (probability {@code latencyRate}, a duration
 * drawn uniformly from {@code [minLatency, maxLatency]}); a second draw {@code u} decides the outcome: a
 * fault if {@code u < faultRate}, an injected result if {@code u < faultRate + resultRate}, otherwise the
 * real call. A draw is only made for a kind of injection whose rate is above zero, so a seeded random source
 * gives the same sequence of injections for the same sequence of calls.
 *
 * <pre>{@code
 * ChaosConfig config = ChaosConfig.builder()
 *         .latencyRate(0.1)
 *         .latency(Duration.ofMillis(200), Duration.ofSeconds(2))
 *         .faultRate(0.05)
 *         .fault(() -> new java.net.ConnectException("chaos: connection refused"))
 *         .build();
 * }</pre>
 *
 * @param enabled whether the policy injects anything when built; it can be switched at runtime
 * @param faultRate the share of calls that fail instead of running, in [0, 1]
 * @param fault what a failed call throws (a checked exception is wrapped in a
 *     {@link java.util.concurrent.CompletionException} by the synchronous call forms)
 * @param latencyRate the share of calls that are delayed, in [0, 1]
 * @param minLatency the shortest injected delay
 * @param maxLatency the longest injected delay
 * @param resultRate the share of calls answered with {@code result} instead of running, in [0, 1]
 * @param result the injected result, or {@code null} if {@code resultRate} is zero; it is returned as the
 *     call's type, so a value of the wrong type surfaces as a {@link ClassCastException} at the call site
 * @param random the random source, asked once per call; the default is {@link ThreadLocalRandom#current()}
 * @param clock sleeps the injected delays of synchronous calls
 * @param scheduler starts delayed asynchronous calls
 */
public record ChaosConfig(boolean enabled, double faultRate, Supplier<? extends Exception> fault, double latencyRate,
        Duration minLatency, Duration maxLatency, double resultRate, Supplier<?> result,
        Supplier<? extends RandomGenerator> random, Clock clock, Scheduler scheduler) {

    /** The longest latency that can be injected: about 73 years, a quarter of what nanoseconds can hold. */
    static final Duration MAX_LATENCY = Duration.ofNanos(Long.MAX_VALUE >> 2);

    /** The default fault: a preallocated {@link ChaosException} that names the chaos policy. */
    public static final Supplier<Exception> DEFAULT_FAULT = () -> new ChaosException("unnamed");

    /** Validates every setting and their combination; see {@link Builder} for the rules and messages. */
    public ChaosConfig {
        SettingChecks.rate("faultRate", faultRate);
        SettingChecks.rate("latencyRate", latencyRate);
        SettingChecks.rate("resultRate", resultRate);
        Objects.requireNonNull(fault, "fault");
        SettingChecks.notNegative("minLatency", minLatency);
        checkLatency("maxLatency", maxLatency);
        Objects.requireNonNull(random, "random");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(scheduler, "scheduler");
        if (minLatency.compareTo(maxLatency) > 0) {
            throw new IllegalStateException("minLatency must not exceed maxLatency, was minLatency=" + minLatency
                    + ", maxLatency=" + maxLatency);
        }
        if (faultRate + resultRate > 1.0) {
            throw new IllegalStateException("faultRate + resultRate must not exceed 1, was faultRate=" + faultRate
                    + ", resultRate=" + resultRate);
        }
        if (latencyRate > 0 && maxLatency.isZero()) {
            throw new IllegalStateException("latencyRate " + latencyRate + " needs a latency: set latency(...)");
        }
        if (resultRate > 0 && result == null) {
            throw new IllegalStateException("resultRate " + resultRate + " needs a result: set result(...)");
        }
    }

    private static Duration checkLatency(String setting, Duration latency) {
        SettingChecks.notNegative(setting, latency);
        if (latency.compareTo(MAX_LATENCY) > 0) {
            throw new IllegalArgumentException(setting + " must be at most " + MAX_LATENCY + ", was " + latency);
        }
        return latency;
    }

    /** Enabled, but injecting nothing: every rate is zero. */
    public static ChaosConfig defaults() {
        return builder().build();
    }

    /** A builder that starts from the {@linkplain #defaults() defaults}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link ChaosConfig}; each setter rejects a bad value at once. Not thread-safe. */
    public static final class Builder {
        private boolean enabled = true;
        private double faultRate;
        private Supplier<? extends Exception> fault = DEFAULT_FAULT;
        private double latencyRate;
        private Duration minLatency = Duration.ZERO;
        private Duration maxLatency = Duration.ZERO;
        private double resultRate;
        private Supplier<?> result;
        private Supplier<? extends RandomGenerator> random = ThreadLocalRandom::current;
        private Clock clock = Clock.system();
        private Scheduler scheduler = Scheduler.system();

        private Builder() {}

        /** Whether the policy injects anything when built; see {@link Chaos#enable()}. */
        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        /** @throws IllegalArgumentException if the rate is not in [0, 1] */
        public Builder faultRate(double faultRate) {
            this.faultRate = SettingChecks.rate("faultRate", faultRate);
            return this;
        }

        /** What an injected fault throws; called once per injected fault. */
        public Builder fault(Supplier<? extends Exception> fault) {
            this.fault = Objects.requireNonNull(fault, "fault");
            return this;
        }

        /** @throws IllegalArgumentException if the rate is not in [0, 1] */
        public Builder latencyRate(double latencyRate) {
            this.latencyRate = SettingChecks.rate("latencyRate", latencyRate);
            return this;
        }

        /** Injects exactly {@code latency}. */
        public Builder latency(Duration latency) {
            return latency(latency, latency);
        }

        /**
         * Injects a delay drawn uniformly from {@code [min, max]}.
         *
         * @throws IllegalArgumentException if either is negative, or {@code min} exceeds {@code max}
         */
        public Builder latency(Duration min, Duration max) {
            checkLatency("minLatency", min);
            checkLatency("maxLatency", max);
            if (min.compareTo(max) > 0) {
                throw new IllegalArgumentException(
                        "minLatency must not exceed maxLatency, was minLatency=" + min + ", maxLatency=" + max);
            }
            this.minLatency = min;
            this.maxLatency = max;
            return this;
        }

        /** @throws IllegalArgumentException if the rate is not in [0, 1] */
        public Builder resultRate(double resultRate) {
            this.resultRate = SettingChecks.rate("resultRate", resultRate);
            return this;
        }

        /** The injected result (which may supply {@code null}); called once per injected result. */
        public Builder result(Supplier<?> result) {
            this.result = Objects.requireNonNull(result, "result");
            return this;
        }

        /**
         * The random source, asked once per call. Return {@link ThreadLocalRandom#current()} (the default) in
         * production; a test may return one seeded generator, such as a {@link java.util.SplittableRandom}, to
         * make injections repeatable (it is then used from whichever threads call, so keep such a test to one
         * calling thread, or use a thread-safe generator).
         */
        public Builder random(Supplier<? extends RandomGenerator> random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** @throws IllegalStateException if the rates add up to more than 1, or a rate lacks what it injects */
        public ChaosConfig build() {
            return new ChaosConfig(enabled, faultRate, fault, latencyRate, minLatency, maxLatency, resultRate, result,
                    random, clock, scheduler);
        }
    }
}
