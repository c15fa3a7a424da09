package dev.bulwark.resilience;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * The settings of an {@link AdaptiveBulkhead}: the range its concurrency limit moves in, and the
 * parameters of the Vegas-style algorithm that moves it.
 *
 * <p>Calls are measured in windows of at least {@code windowMinSamples} calls and {@code windowMinDuration}.
 * At the end of each window the bulkhead compares the window's average latency {@code L} with the lowest
 * average seen so far, the no-load latency {@code L0}, and estimates the calls queued at the dependency as
 * {@code queue = limit * (1 - L0 / L)}. With {@code s = max(1, log10(limit))}:
 * <ul>
 *   <li>{@code queue < alpha * s}: latency is near the no-load minimum, the limit grows by {@code s};
 *   <li>{@code queue > beta * s}: calls are queueing, the limit shrinks by {@code s};
 *   <li>a window with a drop (a failure that {@code dropOn} accepts, by default a timeout) multiplies the
 *       limit by {@code backoffRatio};
 *   <li>a window in which fewer than half the limit were ever in flight changes nothing: it did not test
 *       the limit.
 * </ul>
 * Since the queue estimate never exceeds the limit, latency alone cannot push a limit of {@code beta} or
 * less any lower; drops still can, down to {@code minLimit}.
 * The new limit is blended with the old as {@code old * (1 - smoothing) + new * smoothing} and kept within
 * {@code [minLimit, maxLimit]}. Every {@code noLoadProbeWindows} windows the no-load latency is measured
 * afresh, so that the bulkhead follows a dependency that has become permanently slower or faster.
 *
 * <pre>{@code
 * AdaptiveBulkheadConfig config = AdaptiveBulkheadConfig.builder()
 *         .initialLimit(20)
 *         .minLimit(5)
 *         .maxLimit(500)
 *         .windowMinDuration(Duration.ofMillis(500))
 *         .build();
 * }</pre>
 *
 * @param initialLimit the limit before anything is measured
 * @param minLimit the lowest the limit goes; at least 1
 * @param maxLimit the highest the limit goes
 * @param alpha below {@code alpha * s} queued calls the limit grows; positive
 * @param beta above {@code beta * s} queued calls the limit shrinks; greater than {@code alpha}
 * @param smoothing how much of each new limit is taken, in (0, 1]; 1 takes it whole
 * @param backoffRatio what a window with a drop multiplies the limit by, in (0, 1)
 * @param windowMinSamples the fewest calls a window measures; at least 1
 * @param windowMinDuration the shortest a window lasts; zero ends windows on the sample count alone
 * @param noLoadProbeWindows after how many windows the no-load latency is measured afresh; at least 1
 * @param dropOn which failures count as drops (the dependency is overloaded); other failures are ignored
 * @param clock measures the latency of calls and the length of windows
 */
public record AdaptiveBulkheadConfig(int initialLimit, int minLimit, int maxLimit, double alpha, double beta,
        double smoothing, double backoffRatio, int windowMinSamples, Duration windowMinDuration,
        int noLoadProbeWindows, Predicate<? super Throwable> dropOn, Clock clock) {

    /** The default {@code dropOn}: a {@link TimeoutException} or a {@link SocketTimeoutException}. */
    public static final Predicate<Throwable> TIMEOUTS =
            failure -> failure instanceof TimeoutException || failure instanceof SocketTimeoutException;

    /** Validates every setting and their combination; see {@link Builder} for the rules and messages. */
    public AdaptiveBulkheadConfig {
        SettingChecks.atLeast("initialLimit", initialLimit, 1);
        SettingChecks.atLeast("minLimit", minLimit, 1);
        SettingChecks.atLeast("maxLimit", maxLimit, 1);
        SettingChecks.positive("alpha", alpha);
        SettingChecks.positive("beta", beta);
        SettingChecks.fraction("smoothing", smoothing);
        SettingChecks.ratio("backoffRatio", backoffRatio);
        SettingChecks.atLeast("windowMinSamples", windowMinSamples, 1);
        SettingChecks.notNegative("windowMinDuration", windowMinDuration);
        SettingChecks.atLeast("noLoadProbeWindows", noLoadProbeWindows, 1);
        Objects.requireNonNull(dropOn, "dropOn");
        Objects.requireNonNull(clock, "clock");
        if (minLimit > maxLimit) {
            throw new IllegalStateException(
                    "minLimit must not exceed maxLimit, was minLimit=" + minLimit + ", maxLimit=" + maxLimit);
        }
        if (initialLimit < minLimit || initialLimit > maxLimit) {
            throw new IllegalStateException("initialLimit must be between minLimit and maxLimit, was initialLimit="
                    + initialLimit + " with minLimit=" + minLimit + ", maxLimit=" + maxLimit);
        }
        if (alpha >= beta) {
            throw new IllegalStateException("alpha must be less than beta, was alpha=" + alpha + ", beta=" + beta);
        }
    }

    /**
     * A limit of 20 between 1 and 200, alpha 3, beta 6, no smoothing, a backoff ratio of 0.9, windows of 10
     * calls and one second, a fresh no-load measurement every 600 windows, timeouts as drops, the system clock.
     */
    public static AdaptiveBulkheadConfig defaults() {
        return builder().build();
    }

    /** A builder that starts from the {@linkplain #defaults() defaults}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds an {@link AdaptiveBulkheadConfig}; each setter rejects a bad value at once. Not thread-safe. */
    public static final class Builder {
        private int initialLimit = 20;
        private int minLimit = 1;
        private int maxLimit = 200;
        private double alpha = 3;
        private double beta = 6;
        private double smoothing = 1;
        private double backoffRatio = 0.9;
        private int windowMinSamples = 10;
        private Duration windowMinDuration = Duration.ofSeconds(1);
        private int noLoadProbeWindows = 600;
        private Predicate<? super Throwable> dropOn = TIMEOUTS;
        private Clock clock = Clock.system();

        private Builder() {}

        public Builder initialLimit(int initialLimit) {
            this.initialLimit = SettingChecks.atLeast("initialLimit", initialLimit, 1);
            return this;
        }

        public Builder minLimit(int minLimit) {
            this.minLimit = SettingChecks.atLeast("minLimit", minLimit, 1);
            return this;
        }

        public Builder maxLimit(int maxLimit) {
            this.maxLimit = SettingChecks.atLeast("maxLimit", maxLimit, 1);
            return this;
        }

        public Builder alpha(double alpha) {
            this.alpha = SettingChecks.positive("alpha", alpha);
            return this;
        }

        public Builder beta(double beta) {
            this.beta = SettingChecks.positive("beta", beta);
            return this;
        }

        public Builder smoothing(double smoothing) {
            this.smoothing = SettingChecks.fraction("smoothing", smoothing);
            return this;
        }

        public Builder backoffRatio(double backoffRatio) {
            this.backoffRatio = SettingChecks.ratio("backoffRatio", backoffRatio);
            return this;
        }

        public Builder windowMinSamples(int windowMinSamples) {
            this.windowMinSamples = SettingChecks.atLeast("windowMinSamples", windowMinSamples, 1);
            return this;
        }

        public Builder windowMinDuration(Duration windowMinDuration) {
            this.windowMinDuration = SettingChecks.notNegative("windowMinDuration", windowMinDuration);
            return this;
        }

        public Builder noLoadProbeWindows(int noLoadProbeWindows) {
            this.noLoadProbeWindows = SettingChecks.atLeast("noLoadProbeWindows", noLoadProbeWindows, 1);
            return this;
        }

        /** Which failures (unwrapped from {@code CompletionException}) count as drops. */
        public Builder dropOn(Predicate<? super Throwable> dropOn) {
            this.dropOn = Objects.requireNonNull(dropOn, "dropOn");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** @throws IllegalStateException if the limits are out of order or alpha is not below beta */
        public AdaptiveBulkheadConfig build() {
            return new AdaptiveBulkheadConfig(initialLimit, minLimit, maxLimit, alpha, beta, smoothing, backoffRatio,
                    windowMinSamples, windowMinDuration, noLoadProbeWindows, dropOn, clock);
        }
    }
}
