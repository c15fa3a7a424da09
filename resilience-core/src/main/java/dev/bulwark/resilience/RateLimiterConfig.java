package dev.bulwark.resilience;

import java.time.Duration;
import java.util.Objects;

/**
 * The settings of a {@link RateLimiter}: {@code limitForPeriod} permits in each {@code limitRefreshPeriod},
 * and how long a call may wait for a permit of a later period.
 *
 * <pre>{@code
 * RateLimiterConfig config = RateLimiterConfig.builder()
 *         .limitForPeriod(100)
 *         .limitRefreshPeriod(Duration.ofSeconds(1))
 *         .timeout(Duration.ofMillis(200))
 *         .build();
 * RateLimiter limiter = RateLimiter.of("search-api", config);
 * }</pre>
 *
 * <p>The limiter numbers permits in one 64-bit counter: period {@code p} owns the numbers from
 * {@code p * limitForPeriod}. The more permits a period holds, the sooner that counter would overflow; a
 * combination that would overflow within {@value #HORIZON_YEARS} years of the limiter's creation is refused
 * when it is built, with an {@link IllegalStateException} that says so. Only extreme combinations are
 * refused, such as two billion permits every millisecond.
 *
 * @param limitForPeriod the permits each period holds; at least 1
 * @param limitRefreshPeriod the length of a period; positive
 * @param timeout how long a call may wait for a permit; {@link Duration#ZERO} refuses at once
 * @param clock the source of time, and the sleep of synchronous callers that wait
 * @param scheduler starts asynchronous calls that wait for their permit
 */
public record RateLimiterConfig(int limitForPeriod, Duration limitRefreshPeriod, Duration timeout, Clock clock,
        Scheduler scheduler) {
    /** How long a limiter must be able to count periods. */
    static final int HORIZON_YEARS = 100;
    private static final long HORIZON_NANOS = HORIZON_YEARS * 365L * 24 * 3600 * 1_000_000_000L;

    /** Validates every setting and their combination; see {@link Builder} for the rules and messages. */
    public RateLimiterConfig {
        SettingChecks.atLeast("limitForPeriod", limitForPeriod, 1);
        SettingChecks.positive("limitRefreshPeriod", limitRefreshPeriod);
        SettingChecks.notNegative("timeout", timeout);
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(scheduler, "scheduler");
        long periodNanos = limitRefreshPeriod.toNanos();
        long periods = periodsBeforeOverflow(limitForPeriod, periodNanos, timeout.toNanos());
        if (periods < HORIZON_NANOS / periodNanos + 1) {
            throw new IllegalStateException("limitForPeriod=" + limitForPeriod + " with limitRefreshPeriod="
                    + limitRefreshPeriod + " and timeout=" + timeout + " cannot be counted for " + HORIZON_YEARS
                    + " years (the permit counter would overflow after "
                    + Duration.ofNanos(periods > Long.MAX_VALUE / periodNanos ? Long.MAX_VALUE : periods * periodNanos)
                            .toDays()
                    + " days); use a longer limitRefreshPeriod, a smaller limitForPeriod or a shorter timeout");
        }
    }

    /**
     * How many periods past the current one a waiting call may reserve a permit in: none without a timeout,
     * otherwise as many as begin within it.
     */
    static long periodsAhead(long periodNanos, long timeoutNanos) {
        return timeoutNanos == 0 ? 0 : timeoutNanos / periodNanos + 1;
    }

    /**
     * How many periods can pass before permit numbers, including the reservations a timeout allows, would
     * overflow a {@code long}; zero or less if they overflow at once.
     */
    static long periodsBeforeOverflow(int limitForPeriod, long periodNanos, long timeoutNanos) {
        return Long.MAX_VALUE / limitForPeriod - periodsAhead(periodNanos, timeoutNanos) - 1;
    }

    /** 50 permits a second, no waiting, the system clock and scheduler. */
    public static RateLimiterConfig defaults() {
        return builder().build();
    }

    /** A builder that starts from the {@linkplain #defaults() defaults}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link RateLimiterConfig}; each setter rejects a bad value at once. Not thread-safe. */
    public static final class Builder {
        private int limitForPeriod = 50;
        private Duration limitRefreshPeriod = Duration.ofSeconds(1);
        private Duration timeout = Duration.ZERO;
        private Clock clock = Clock.system();
        private Scheduler scheduler = Scheduler.system();

        private Builder() {}

        /** @throws IllegalArgumentException if {@code limitForPeriod} is less than 1 */
        public Builder limitForPeriod(int limitForPeriod) {
            this.limitForPeriod = SettingChecks.atLeast("limitForPeriod", limitForPeriod, 1);
            return this;
        }

        /** @throws IllegalArgumentException if the period is zero or negative */
        public Builder limitRefreshPeriod(Duration limitRefreshPeriod) {
            this.limitRefreshPeriod = SettingChecks.positive("limitRefreshPeriod", limitRefreshPeriod);
            return this;
        }

        /** @throws IllegalArgumentException if {@code timeout} is negative */
        public Builder timeout(Duration timeout) {
            this.timeout = SettingChecks.notNegative("timeout", timeout);
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

        /** @throws IllegalStateException if the combination cannot be counted; see the class comment */
        public RateLimiterConfig build() {
            return new RateLimiterConfig(limitForPeriod, limitRefreshPeriod, timeout, clock, scheduler);
        }
    }
}
