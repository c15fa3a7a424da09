package dev.bulwark.resilience;

import java.time.Duration;
import java.util.Objects;

/**
 * The settings of a {@link RetryBudget}.
 *
 * <pre>{@code
 * RetryBudgetConfig config = RetryBudgetConfig.builder()
 *         .ratio(0.1)                  // retries may add 10% to the calls made
 *         .minRetriesPerSecond(10)     // plus 10 per second, so that little traffic can still retry
 *         .window(Duration.ofSeconds(10))
 *         .build();
 * }</pre>
 *
 * @param ratio retries allowed per call made within the window, in [0, 1000]; 0.1 lets retries add 10%
 * @param minRetriesPerSecond retries allowed per second of the window whatever the traffic, at least 0
 * @param window how far back calls and retries count; positive, at least one second
 * @param clock the source of time
 */
public record RetryBudgetConfig(double ratio, int minRetriesPerSecond, Duration window, Clock clock) {

    public RetryBudgetConfig {
        checkRatio(ratio);
        checkMinRetriesPerSecond(minRetriesPerSecond);
        checkWindow(window);
        Objects.requireNonNull(clock, "clock");
        if (ratio == 0.0 && minRetriesPerSecond == 0) {
            throw new IllegalStateException("ratio and minRetriesPerSecond are both 0: the budget would never allow a retry");
        }
    }

    /** 10% of the calls plus 10 retries per second, over a 10-second window, on the system clock. */
    public static RetryBudgetConfig defaults() {
        return builder().build();
    }

    /** A builder starting from {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    private static void checkRatio(double ratio) {
        if (!(ratio >= 0.0 && ratio <= 1000.0)) {
            throw new IllegalArgumentException("ratio must be in [0, 1000], was " + ratio);
        }
    }

    private static void checkMinRetriesPerSecond(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("minRetriesPerSecond must not be negative, was " + value);
        }
    }

    private static void checkWindow(Duration window) {
        Objects.requireNonNull(window, "window");
        if (window.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("window must be at least PT1S, was " + window);
        }
    }

    /** Builds a {@link RetryBudgetConfig}; each setter rejects a bad value at once. */
    public static final class Builder {
        private double ratio = 0.1;
        private int minRetriesPerSecond = 10;
        private Duration window = Duration.ofSeconds(10);
        private Clock clock = Clock.system();

        private Builder() {}

        /** Retries allowed per call made within the window: 0.1 lets retries add 10% load. */
        public Builder ratio(double ratio) {
            checkRatio(ratio);
            this.ratio = ratio;
            return this;
        }

        /** Retries allowed per second whatever the traffic. */
        public Builder minRetriesPerSecond(int minRetriesPerSecond) {
            checkMinRetriesPerSecond(minRetriesPerSecond);
            this.minRetriesPerSecond = minRetriesPerSecond;
            return this;
        }

        /** How far back calls and retries count. */
        public Builder window(Duration window) {
            checkWindow(window);
            this.window = window;
            return this;
        }

        /** The source of time; tests pass a {@link ManualClock}. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** @throws IllegalStateException if the settings together allow no retry at all */
        public RetryBudgetConfig build() {
            return new RetryBudgetConfig(ratio, minRetriesPerSecond, window, clock);
        }
    }
}
