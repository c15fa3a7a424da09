package dev.bulwark.resilience;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The settings of a {@link CircuitBreaker}: immutable, validated when built. The defaults are those of
 * {@link #defaults()}; change them with a builder:
 *
 * <pre>{@code
 * CircuitBreakerConfig config = CircuitBreakerConfig.builder()
 *         .failureRateThreshold(50)
 *         .slowCallRateThreshold(80)
 *         .slowCallDurationThreshold(Duration.ofSeconds(2))
 *         .slidingWindow(CircuitBreakerConfig.SlidingWindowType.TIME_BASED, 60)
 *         .minimumNumberOfCalls(20)
 *         .exponentialBackoffInOpenState(Duration.ofSeconds(5), 2.0, Duration.ofMinutes(5))
 *         .openStateJitter(0.2)
 *         .ignoreExceptions(IllegalArgumentException.class)
 *         .build();
 * }</pre>
 *
 * @param failureRateThreshold the percentage of failed calls in the window, in (0, 100], at or above which the
 *     breaker opens
 * @param slowCallRateThreshold the percentage of slow calls in the window, in (0, 100], at or above which the
 *     breaker opens
 * @param slowCallDurationThreshold calls that take longer than this are slow; positive
 * @param slidingWindowType whether the window holds the last N calls or the calls of the last N seconds
 * @param slidingWindowSize N: calls (at most {@value #MAX_COUNT_WINDOW_SIZE}) or seconds (at most
 *     {@value #MAX_TIME_WINDOW_SECONDS})
 * @param minimumNumberOfCalls how many outcomes the window must hold before the rates are evaluated; at least 1,
 *     and for a count-based window at most its size
 * @param permittedNumberOfCallsInHalfOpenState how many probe calls HALF_OPEN admits (at once, and in total
 *     unless a probe is ignored and gives its permit back); their outcomes decide, with the same thresholds
 * @param maxWaitDurationInHalfOpenState how long HALF_OPEN may go without any probe outcome while all its
 *     permits are taken before it gives up and reopens; positive
 * @param waitDurationInOpenState how long the breaker stays OPEN the first time; positive
 * @param openStateBackoffMultiplier each round of probes that fails multiplies the wait by this; 1 keeps it fixed
 * @param maxWaitDurationInOpenState the longest wait, however many rounds of probes failed
 * @param openStateJitter spreads each wait at random by up to this fraction either way, in [0, 1), so that
 *     many breakers opened together do not probe together
 * @param recordException which thrown exceptions count as failures (unless ignored)
 * @param ignoreException which thrown exceptions are not recorded at all
 * @param recordResult which returned values count as failures
 * @param clock the source of time for durations and waits
 */
public record CircuitBreakerConfig(
        double failureRateThreshold,
        double slowCallRateThreshold,
        Duration slowCallDurationThreshold,
        SlidingWindowType slidingWindowType,
        int slidingWindowSize,
        int minimumNumberOfCalls,
        int permittedNumberOfCallsInHalfOpenState,
        Duration maxWaitDurationInHalfOpenState,
        Duration waitDurationInOpenState,
        double openStateBackoffMultiplier,
        Duration maxWaitDurationInOpenState,
        double openStateJitter,
        Predicate<? super Throwable> recordException,
        Predicate<? super Throwable> ignoreException,
        Predicate<Object> recordResult,
        Clock clock) {

    /** The largest count-based window: the window's counters are packed into one 64-bit word. */
    public static final int MAX_COUNT_WINDOW_SIZE = 1_000_000;
    /** The largest time-based window, in seconds: its counters are packed into 32-bit fields. */
    public static final int MAX_TIME_WINDOW_SECONDS = 2000;
    /** The most probes a half-open round may admit (they are counted in a count-based window). */
    public static final int MAX_PERMITTED_CALLS_IN_HALF_OPEN = MAX_COUNT_WINDOW_SIZE;

    static final Predicate<Throwable> ALL_EXCEPTIONS = new NamedPredicate<>("every exception", true);
    static final Predicate<Throwable> NO_EXCEPTION = new NamedPredicate<>("no exception", false);
    static final Predicate<Object> NO_RESULT = new NamedPredicate<>("no result", false);

    private static final CircuitBreakerConfig DEFAULTS = builder().build();

    /** How the sliding window delimits the recent calls. */
    public enum SlidingWindowType {
        /** The last {@code slidingWindowSize} calls. */
        COUNT_BASED,
        /**
         * The calls that ended in the last {@code slidingWindowSize} seconds, counted in one bucket per second
         * (whole seconds of the breaker's clock). A bucket counts at most 1,048,575 calls; calls beyond that in
         * the same second are not recorded, so the rates are those of the first million.
         */
        TIME_BASED
    }

    /** Validates every setting; see the component descriptions for the ranges. */
    public CircuitBreakerConfig {
        checkPercentage("failureRateThreshold", failureRateThreshold);
        checkPercentage("slowCallRateThreshold", slowCallRateThreshold);
        checkPositive("slowCallDurationThreshold", slowCallDurationThreshold);
        Objects.requireNonNull(slidingWindowType, "slidingWindowType");
        checkWindowSize(slidingWindowType, slidingWindowSize);
        checkAtLeastOne("minimumNumberOfCalls", minimumNumberOfCalls);
        if (slidingWindowType == SlidingWindowType.COUNT_BASED && minimumNumberOfCalls > slidingWindowSize) {
            throw new IllegalStateException("minimumNumberOfCalls (" + minimumNumberOfCalls
                    + ") must not exceed the count-based slidingWindowSize (" + slidingWindowSize + ")");
        }
        checkPermittedCalls(permittedNumberOfCallsInHalfOpenState);
        checkPositive("maxWaitDurationInHalfOpenState", maxWaitDurationInHalfOpenState);
        checkPositive("waitDurationInOpenState", waitDurationInOpenState);
        checkMultiplier(openStateBackoffMultiplier);
        checkPositive("maxWaitDurationInOpenState", maxWaitDurationInOpenState);
        if (maxWaitDurationInOpenState.compareTo(waitDurationInOpenState) < 0) {
            throw new IllegalStateException("maxWaitDurationInOpenState (" + maxWaitDurationInOpenState
                    + ") must not be shorter than waitDurationInOpenState (" + waitDurationInOpenState + ")");
        }
        checkJitter(openStateJitter);
        Objects.requireNonNull(recordException, "recordException");
        Objects.requireNonNull(ignoreException, "ignoreException");
        Objects.requireNonNull(recordResult, "recordResult");
        Objects.requireNonNull(clock, "clock");
    }

    /**
     * Failure rate 50%, slow-call rate 100% with calls slower than 60 s, a count-based window of 100 calls
     * evaluated from 100 calls on, 10 probes in HALF_OPEN that may go 60 s without an outcome, a fixed wait of
     * 60 s in OPEN, every exception recorded, none ignored, no result a failure, the system clock.
     */
    public static CircuitBreakerConfig defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration's settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Builds a {@link CircuitBreakerConfig}; each setter rejects a bad value at once. Not thread-safe. */
    public static final class Builder {
        private double failureRateThreshold = 50;
        private double slowCallRateThreshold = 100;
        private Duration slowCallDurationThreshold = Duration.ofSeconds(60);
        private SlidingWindowType slidingWindowType = SlidingWindowType.COUNT_BASED;
        private int slidingWindowSize = 100;
        /** Null until set: then it follows the window (100, or the size of a smaller count-based window). */
        private Integer minimumNumberOfCalls;
        private int permittedNumberOfCallsInHalfOpenState = 10;
        private Duration maxWaitDurationInHalfOpenState = Duration.ofSeconds(60);
        private Duration waitDurationInOpenState = Duration.ofSeconds(60);
        private double openStateBackoffMultiplier = 1;
        private Duration maxWaitDurationInOpenState = Duration.ofSeconds(60);
        private double openStateJitter;
        private Predicate<? super Throwable> recordException = ALL_EXCEPTIONS;
        private Predicate<? super Throwable> ignoreException = NO_EXCEPTION;
        private Predicate<Object> recordResult = NO_RESULT;
        private Clock clock = Clock.system();

        private Builder() {}

        private Builder(CircuitBreakerConfig config) {
            failureRateThreshold = config.failureRateThreshold;
            slowCallRateThreshold = config.slowCallRateThreshold;
            slowCallDurationThreshold = config.slowCallDurationThreshold;
            slidingWindowType = config.slidingWindowType;
            slidingWindowSize = config.slidingWindowSize;
            minimumNumberOfCalls = config.minimumNumberOfCalls;
            permittedNumberOfCallsInHalfOpenState = config.permittedNumberOfCallsInHalfOpenState;
            maxWaitDurationInHalfOpenState = config.maxWaitDurationInHalfOpenState;
            waitDurationInOpenState = config.waitDurationInOpenState;
            openStateBackoffMultiplier = config.openStateBackoffMultiplier;
            maxWaitDurationInOpenState = config.maxWaitDurationInOpenState;
            openStateJitter = config.openStateJitter;
            recordException = config.recordException;
            ignoreException = config.ignoreException;
            recordResult = config.recordResult;
            clock = config.clock;
        }

        /** The failure percentage, in (0, 100], at or above which the breaker opens. Default 50. */
        public Builder failureRateThreshold(double percent) {
            checkPercentage("failureRateThreshold", percent);
            failureRateThreshold = percent;
            return this;
        }

        /** The slow-call percentage, in (0, 100], at or above which the breaker opens. Default 100. */
        public Builder slowCallRateThreshold(double percent) {
            checkPercentage("slowCallRateThreshold", percent);
            slowCallRateThreshold = percent;
            return this;
        }

        /** Calls that take longer than this are slow. Default 60 s. */
        public Builder slowCallDurationThreshold(Duration threshold) {
            checkPositive("slowCallDurationThreshold", threshold);
            slowCallDurationThreshold = threshold;
            return this;
        }

        /** The window: the last {@code size} calls, or the calls of the last {@code size} seconds. Default 100 calls. */
        public Builder slidingWindow(SlidingWindowType type, int size) {
            Objects.requireNonNull(type, "type");
            checkWindowSize(type, size);
            slidingWindowType = type;
            slidingWindowSize = size;
            return this;
        }

        /**
         * How many outcomes the window must hold before the rates are evaluated. Unless set, 100, or the size of
         * a smaller count-based window.
         */
        public Builder minimumNumberOfCalls(int calls) {
            checkAtLeastOne("minimumNumberOfCalls", calls);
            minimumNumberOfCalls = calls;
            return this;
        }

        /** How many probe calls HALF_OPEN admits. Default 10. */
        public Builder permittedNumberOfCallsInHalfOpenState(int calls) {
            checkPermittedCalls(calls);
            permittedNumberOfCallsInHalfOpenState = calls;
            return this;
        }

        /** How long HALF_OPEN may go without a probe outcome, all permits taken, before it reopens. Default 60 s. */
        public Builder maxWaitDurationInHalfOpenState(Duration wait) {
            checkPositive("maxWaitDurationInHalfOpenState", wait);
            maxWaitDurationInHalfOpenState = wait;
            return this;
        }

        /** A fixed wait in OPEN, the same after every failed round of probes. Default 60 s. */
        public Builder waitDurationInOpenState(Duration wait) {
            checkPositive("waitDurationInOpenState", wait);
            waitDurationInOpenState = wait;
            openStateBackoffMultiplier = 1;
            maxWaitDurationInOpenState = wait;
            return this;
        }

        /**
         * A wait in OPEN that starts at {@code initial} and is multiplied by {@code multiplier} after each failed
         * round of probes, up to {@code max}; a successful round (the breaker closes) starts over.
         */
        public Builder exponentialBackoffInOpenState(Duration initial, double multiplier, Duration max) {
            checkPositive("waitDurationInOpenState", initial);
            checkMultiplier(multiplier);
            checkPositive("maxWaitDurationInOpenState", max);
            if (max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("maxWaitDurationInOpenState must not be shorter than the initial wait "
                        + initial + ", was " + max);
            }
            waitDurationInOpenState = initial;
            openStateBackoffMultiplier = multiplier;
            maxWaitDurationInOpenState = max;
            return this;
        }

        /** Spreads each wait in OPEN at random by up to this fraction either way, in [0, 1). Default 0. */
        public Builder openStateJitter(double fraction) {
            checkJitter(fraction);
            openStateJitter = fraction;
            return this;
        }

        /** Which thrown exceptions count as failures (unless ignored). Default: every exception. */
        public Builder recordException(Predicate<? super Throwable> predicate) {
            recordException = Objects.requireNonNull(predicate, "predicate");
            return this;
        }

        /** Only exceptions of these types (or subtypes) count as failures; others count as successes. */
        @SafeVarargs
        public final Builder recordExceptions(Class<? extends Throwable>... types) {
            recordException = instanceOfAny("recordExceptions", types);
            return this;
        }

        /** Which thrown exceptions are not recorded at all; their permit is returned. Default: none. */
        public Builder ignoreException(Predicate<? super Throwable> predicate) {
            ignoreException = Objects.requireNonNull(predicate, "predicate");
            return this;
        }

        /** Exceptions of these types (or subtypes) are not recorded at all. */
        @SafeVarargs
        public final Builder ignoreExceptions(Class<? extends Throwable>... types) {
            ignoreException = instanceOfAny("ignoreExceptions", types);
            return this;
        }

        /**
         * Which returned values count as failures (the value is still returned). Default: none. The predicate
         * sees the value as returned, which may be {@code null}.
         */
        public Builder recordResult(Predicate<Object> predicate) {
            recordResult = Objects.requireNonNull(predicate, "predicate");
            return this;
        }

        /** The source of time. Default {@link Clock#system()}; tests pass a {@link ManualClock}. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The configuration.
         *
         * @throws IllegalStateException if an explicitly set minimumNumberOfCalls exceeds a count-based window
         */
        public CircuitBreakerConfig build() {
            int minimum = minimumNumberOfCalls != null ? minimumNumberOfCalls
                    : slidingWindowType == SlidingWindowType.COUNT_BASED ? Math.min(100, slidingWindowSize) : 100;
            return new CircuitBreakerConfig(failureRateThreshold, slowCallRateThreshold, slowCallDurationThreshold,
                    slidingWindowType, slidingWindowSize, minimum, permittedNumberOfCallsInHalfOpenState,
                    maxWaitDurationInHalfOpenState, waitDurationInOpenState, openStateBackoffMultiplier,
                    maxWaitDurationInOpenState, openStateJitter, recordException, ignoreException, recordResult, clock);
        }
    }

    private static void checkPercentage(String name, double value) {
        if (!(value > 0 && value <= 100)) {
            throw new IllegalArgumentException(name + " must be in (0, 100], was " + value);
        }
    }

    private static void checkPositive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }

    private static void checkAtLeastOne(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, was " + value);
        }
    }

    private static void checkWindowSize(SlidingWindowType type, int size) {
        int max = type == SlidingWindowType.COUNT_BASED ? MAX_COUNT_WINDOW_SIZE : MAX_TIME_WINDOW_SECONDS;
        if (size < 1 || size > max) {
            throw new IllegalArgumentException("slidingWindowSize must be in [1, " + max + "] for a " + type
                    + " window, was " + size);
        }
    }

    private static void checkPermittedCalls(int calls) {
        if (calls < 1 || calls > MAX_PERMITTED_CALLS_IN_HALF_OPEN) {
            throw new IllegalArgumentException("permittedNumberOfCallsInHalfOpenState must be in [1, "
                    + MAX_PERMITTED_CALLS_IN_HALF_OPEN + "], was " + calls);
        }
    }

    private static void checkMultiplier(double multiplier) {
        if (!(multiplier >= 1) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("openStateBackoffMultiplier must be a finite number of at least 1, was "
                    + multiplier);
        }
    }

    private static void checkJitter(double fraction) {
        if (!(fraction >= 0 && fraction < 1)) {
            throw new IllegalArgumentException("openStateJitter must be in [0, 1), was " + fraction);
        }
    }

    @SafeVarargs
    private static Predicate<Throwable> instanceOfAny(String setting, Class<? extends Throwable>... types) {
        Objects.requireNonNull(types, setting);
        if (types.length == 0) {
            throw new IllegalArgumentException(setting + " needs at least one exception type, was []");
        }
        List<Class<? extends Throwable>> list = List.of(types);
        return new NamedPredicate<>("instance of any of " + Arrays.toString(types), false) {
            @Override
            public boolean test(Throwable error) {
                for (Class<? extends Throwable> type : list) {
                    if (type.isInstance(error)) {
                        return true;
                    }
                }
                return false;
            }
        };
    }

    /** A predicate that says what it is in the config's {@code toString()}. */
    private static class NamedPredicate<T> implements Predicate<T> {
        private final String description;
        private final boolean constant;

        NamedPredicate(String description, boolean constant) {
            this.description = description;
            this.constant = constant;
        }

        @Override
        public boolean test(T value) {
            return constant;
        }

        @Override
        public String toString() {
            return description;
        }
    }
}
