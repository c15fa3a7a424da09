package dev.bulwark.resilience;

import java.time.Duration;
import java.util.Objects;

/**
 * The checks that the configs of the bulkheads, the rate limiter and chaos share, so that the same mistake
 * gets the same message everywhere: the message names the setting and shows the value.
 */
final class SettingChecks {
    /** The longest duration that still fits in a {@code long} of nanoseconds (about 292 years). */
    private static final Duration MAX_NANOS = Duration.ofNanos(Long.MAX_VALUE);

    private SettingChecks() {}

    static String name(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank, was '" + name + "'");
        }
        return name;
    }

    static int atLeast(String setting, int value, int minimum) {
        if (value < minimum) {
            throw new IllegalArgumentException(setting + " must be at least " + minimum + ", was " + value);
        }
        return value;
    }

    /** A duration that is zero or positive and fits in nanoseconds. */
    static Duration notNegative(String setting, Duration value) {
        Objects.requireNonNull(value, setting);
        if (value.isNegative()) {
            throw new IllegalArgumentException(setting + " must not be negative, was " + value);
        }
        return fitsInNanos(setting, value);
    }

    /** A duration that is strictly positive and fits in nanoseconds. */
    static Duration positive(String setting, Duration value) {
        Objects.requireNonNull(value, setting);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(setting + " must be positive, was " + value);
        }
        return fitsInNanos(setting, value);
    }

    /** A probability: in [0, 1]. */
    static double rate(String setting, double value) {
        if (!(value >= 0.0 && value <= 1.0)) {
            throw new IllegalArgumentException(setting + " must be in [0, 1], was " + value);
        }
        return value;
    }

    /** A number that is strictly positive (and not NaN). */
    static double positive(String setting, double value) {
        if (!(value > 0.0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(setting + " must be positive and finite, was " + value);
        }
        return value;
    }

    /** A number in the open interval (0, 1). */
    static double ratio(String setting, double value) {
        if (!(value > 0.0 && value < 1.0)) {
            throw new IllegalArgumentException(setting + " must be in (0, 1), was " + value);
        }
        return value;
    }

    /** A number in the half-open interval (0, 1]. */
    static double fraction(String setting, double value) {
        if (!(value > 0.0 && value <= 1.0)) {
            throw new IllegalArgumentException(setting + " must be in (0, 1], was " + value);
        }
        return value;
    }

    private static Duration fitsInNanos(String setting, Duration value) {
        if (value.compareTo(MAX_NANOS) > 0) {
            throw new IllegalArgumentException(setting + " must be at most " + MAX_NANOS + ", was " + value);
        }
        return value;
    }
}
