package dev.bulwark.resilience;

import java.time.Duration;

/**
 * A {@link RateLimiter} refused a call: its period's permits were taken and no later permit could be had
 * within its {@code timeout}. The message names the limiter and its limits, as in
 * {@code "rate limiter 'search-api' has no permit left (limitForPeriod=100, limitRefreshPeriod=PT1S, timeout=PT0S)"}.
 *
 * <p>Each rate limiter throws one preallocated instance, without a stack trace.
 */
public final class RateLimitExceededException extends RejectedException {
    private static final long serialVersionUID = 1L;

    private final int limitForPeriod;
    private final Duration limitRefreshPeriod;

    RateLimitExceededException(String limiterName, RateLimiterConfig config) {
        super(limiterName, "rate limiter '" + limiterName + "' has no permit left (limitForPeriod="
                + config.limitForPeriod() + ", limitRefreshPeriod=" + config.limitRefreshPeriod() + ", timeout="
                + config.timeout() + ")");
        this.limitForPeriod = config.limitForPeriod();
        this.limitRefreshPeriod = config.limitRefreshPeriod();
    }

    /** The permits each period holds. */
    public int limitForPeriod() {
        return limitForPeriod;
    }

    /** The length of a period. */
    public Duration limitRefreshPeriod() {
        return limitRefreshPeriod;
    }
}
