package dev.bulwark.resilience;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** How long a circuit breaker stays OPEN: a fixed wait, or one that grows with each failed round of probes. */
final class BreakerOpenWait {
    /** The longest wait we compute, so that {@code now + wait} cannot overflow (about 73 years). */
    static final long MAX_NANOS = Long.MAX_VALUE / 4;

    private BreakerOpenWait() {}

    /**
     * {@code min(initial * multiplier^failedRounds, max)}, then spread at random by up to
     * {@code ± openStateJitter} of itself, in nanoseconds, at least 1.
     */
    static long nanos(CircuitBreakerConfig config, int failedRounds) {
        double base = Math.min(nanosOf(config.waitDurationInOpenState())
                * Math.pow(config.openStateBackoffMultiplier(), failedRounds), nanosOf(config.maxWaitDurationInOpenState()));
        double jitter = config.openStateJitter();
        double wait = jitter == 0 ? base : base * (1 + jitter * (2 * ThreadLocalRandom.current().nextDouble() - 1));
        return (long) Math.max(1, Math.min(wait, MAX_NANOS));
    }

    private static double nanosOf(Duration duration) {
        return duration.getSeconds() * 1e9 + duration.getNano();
    }
}
