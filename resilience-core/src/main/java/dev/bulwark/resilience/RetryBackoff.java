package dev.bulwark.resilience;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * How long a {@link Retry} waits before each retry.
 *
 * <pre>{@code
 * RetryBackoff.fixed(Duration.ofMillis(100));                                      // 100, 100, 100, ...
 * RetryBackoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofSeconds(5));    // 100, 200, 400, ... 5 s
 * RetryBackoff.decorrelatedJitter(Duration.ofMillis(100), Duration.ofSeconds(5));  // random in [100, 3 x previous]
 * }</pre>
 *
 * <p>Decorrelated jitter (as described in the AWS architecture blog on backoff and jitter) spreads the
 * retries of many callers that failed at the same moment, so they do not hit the recovering dependency in
 * waves; it draws from the retry config's random source, which tests replace.
 */
public sealed interface RetryBackoff {

    /**
     * The wait before retry number {@code retry} (1 for the first retry).
     *
     * @param retry the number of the retry about to happen, from 1
     * @param previousNanos the previous wait, or 0 before the first retry
     * @param random uniform values in [0, 1)
     */
    long delayNanos(int retry, long previousNanos, DoubleSupplier random);

    /** No wait at all. */
    static RetryBackoff none() {
        return Fixed.NONE;
    }

    /** The same wait before every retry. */
    static RetryBackoff fixed(Duration delay) {
        return new Fixed(delay);
    }

    /** {@code initial}, then multiplied by {@code multiplier} for each further retry, up to {@code max}. */
    static RetryBackoff exponential(Duration initial, double multiplier, Duration max) {
        return new Exponential(initial, multiplier, max);
    }

    /** A random wait between {@code base} and three times the previous wait, at most {@code max}. */
    static RetryBackoff decorrelatedJitter(Duration base, Duration max) {
        return new DecorrelatedJitter(base, max);
    }

    /** See {@link #fixed(Duration)}. */
    record Fixed(Duration delay) implements RetryBackoff {
        static final Fixed NONE = new Fixed(Duration.ZERO);

        public Fixed {
            requireNotNegative(delay, "delay");
        }

        @Override
        public long delayNanos(int retry, long previousNanos, DoubleSupplier random) {
            return delay.toNanos();
        }
    }

    /** See {@link #exponential(Duration, double, Duration)}. */
    record Exponential(Duration initial, double multiplier, Duration max) implements RetryBackoff {
        public Exponential {
            requirePositive(initial, "initial");
            if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
                throw new IllegalArgumentException("multiplier must be a finite number of at least 1.0, was " + multiplier);
            }
            requireAtLeast(max, initial, "max", "initial");
        }

        @Override
        public long delayNanos(int retry, long previousNanos, DoubleSupplier random) {
            double delay = initial.toNanos() * Math.pow(multiplier, retry - 1);
            return (long) Math.min(delay, max.toNanos());
        }
    }

    /** See {@link #decorrelatedJitter(Duration, Duration)}. */
    record DecorrelatedJitter(Duration base, Duration max) implements RetryBackoff {
        public DecorrelatedJitter {
            requirePositive(base, "base");
            requireAtLeast(max, base, "max", "base");
        }

        @Override
        public long delayNanos(int retry, long previousNanos, DoubleSupplier random) {
            long baseNanos = base.toNanos();
            long previous = Math.max(previousNanos, baseNanos);
            double upper = Math.min((double) previous * 3, max.toNanos());
            double draw = random.getAsDouble();
            if (!(draw >= 0.0 && draw < 1.0)) {
                throw new IllegalStateException("the retry's random source must return values in [0, 1), returned " + draw);
            }
            return (long) Math.min(baseNanos + draw * (upper - baseNanos), max.toNanos());
        }
    }

    private static void requireNotNegative(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + value);
        }
    }

    private static void requirePositive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }

    private static void requireAtLeast(Duration value, Duration lower, String name, String lowerName) {
        Objects.requireNonNull(value, name);
        if (value.compareTo(lower) < 0) {
            throw new IllegalArgumentException(
                    name + " must be at least " + lowerName + " (" + lower + "), was " + value);
        }
    }
}
