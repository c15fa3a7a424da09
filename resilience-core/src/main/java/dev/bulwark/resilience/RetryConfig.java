package dev.bulwark.resilience;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Predicate;

/**
 * The settings of a {@link Retry}.
 *
 * <pre>{@code
 * RetryConfig config = RetryConfig.builder()
 *         .maxAttempts(4)
 *         .maxDuration(Duration.ofSeconds(2))
 *         .backoff(RetryBackoff.decorrelatedJitter(Duration.ofMillis(50), Duration.ofSeconds(1)))
 *         .retryOn(e -> e instanceof java.io.UncheckedIOException)
 *         .abortOn(e -> e instanceof IllegalArgumentException)
 *         .budget(RetryBudget.ofDefaults("inventory"))
 *         .build();
 * }</pre>
 *
 * @param maxAttempts the most attempts per call, the first included; at least 1
 * @param maxDuration the most time from the start of the first attempt to the start of the last, or
 *     {@code null} for no limit; a retry whose backoff would end past it is not made
 * @param backoff the wait before each retry
 * @param retryOn which failures are retried
 * @param retryOnResult which results are retried as if they were failures (after the last attempt the
 *     result is returned as it is)
 * @param abortOn failures that stop retrying at once, even if {@code retryOn} accepts them
 * @param budget the shared retry budget, or {@code null} for none
 * @param random uniform values in [0, 1) for jittered backoff; tests pass a fixed sequence
 * @param clock measures the duration and sleeps the backoff of synchronous calls
 * @param scheduler waits the backoff of asynchronous calls
 * @param contextPropagator carries thread-bound context into asynchronous retries
 */
public record RetryConfig(
        int maxAttempts,
        Duration maxDuration,
        RetryBackoff backoff,
        Predicate<? super Throwable> retryOn,
        Predicate<Object> retryOnResult,
        Predicate<? super Throwable> abortOn,
        RetryBudget budget,
        DoubleSupplier random,
        Clock clock,
        Scheduler scheduler,
        ContextPropagator contextPropagator) {

    static final Predicate<Object> NO_RESULT = new Predicate<>() {
        @Override
        public boolean test(Object result) {
            return false;
        }

        @Override
        public String toString() {
            return "no result";
        }
    };
    private static final Predicate<Throwable> ANY_EXCEPTION = e -> e instanceof Exception;
    private static final Predicate<Throwable> NO_ABORT = e -> false;
    private static final DoubleSupplier THREAD_LOCAL_RANDOM = () -> ThreadLocalRandom.current().nextDouble();

    public RetryConfig {
        checkMaxAttempts(maxAttempts);
        if (maxDuration != null) {
            checkMaxDuration(maxDuration);
        }
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(retryOn, "retryOn");
        Objects.requireNonNull(retryOnResult, "retryOnResult");
        Objects.requireNonNull(abortOn, "abortOn");
        Objects.requireNonNull(random, "random");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(contextPropagator, "contextPropagator");
        if (maxAttempts == Integer.MAX_VALUE && maxDuration == null) {
            throw new IllegalStateException(
                    "maxAttempts is unlimited and maxDuration is not set: the retry would never give up");
        }
    }

    /** Three attempts, 500 ms fixed backoff, every {@link Exception} retried, no budget, system clock. */
    public static RetryConfig defaults() {
        return builder().build();
    }

    /** A builder starting from {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    private static void checkMaxAttempts(int maxAttempts) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
    }

    private static void checkMaxDuration(Duration maxDuration) {
        if (maxDuration.isNegative() || maxDuration.isZero()) {
            throw new IllegalArgumentException("maxDuration must be positive, was " + maxDuration);
        }
    }

    /** Builds a {@link RetryConfig}; each setter rejects a bad value at once. */
    public static final class Builder {
        private int maxAttempts = 3;
        private Duration maxDuration;
        private RetryBackoff backoff = RetryBackoff.fixed(Duration.ofMillis(500));
        private Predicate<? super Throwable> retryOn = ANY_EXCEPTION;
        private Predicate<Object> retryOnResult = NO_RESULT;
        private Predicate<? super Throwable> abortOn = NO_ABORT;
        private RetryBudget budget;
        private DoubleSupplier random = THREAD_LOCAL_RANDOM;
        private Clock clock = Clock.system();
        private Scheduler scheduler = Scheduler.system();
        private ContextPropagator contextPropagator = ContextPropagator.none();

        private Builder() {}

        /** The most attempts per call, the first included. {@link Integer#MAX_VALUE} needs a maxDuration. */
        public Builder maxAttempts(int maxAttempts) {
            checkMaxAttempts(maxAttempts);
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** The most time from the first attempt's start until a retry may start. */
        public Builder maxDuration(Duration maxDuration) {
            Objects.requireNonNull(maxDuration, "maxDuration");
            checkMaxDuration(maxDuration);
            this.maxDuration = maxDuration;
            return this;
        }

        /** The wait before each retry. */
        public Builder backoff(RetryBackoff backoff) {
            this.backoff = Objects.requireNonNull(backoff, "backoff");
            return this;
        }

        /**
         * Which failures are retried (default: every {@link Exception}, no {@link Error}). The default
         * includes the {@link RejectedException}s of policies inside the retry: a retry around an open
         * circuit breaker waits its backoff and asks again, at most {@code maxAttempts} times and within the
         * budget, then ends with the rejection. Exclude them with
         * {@code retryOn(e -> !(e instanceof RejectedException))} to give up at the first rejection.
         */
        public Builder retryOn(Predicate<? super Throwable> retryOn) {
            this.retryOn = Objects.requireNonNull(retryOn, "retryOn");
            return this;
        }

        /** Which results are retried as if they had failed (default: none). */
        public Builder retryOnResult(Predicate<Object> retryOnResult) {
            this.retryOnResult = Objects.requireNonNull(retryOnResult, "retryOnResult");
            return this;
        }

        /** Failures that stop retrying at once (default: none). */
        public Builder abortOn(Predicate<? super Throwable> abortOn) {
            this.abortOn = Objects.requireNonNull(abortOn, "abortOn");
            return this;
        }

        /** A retry budget shared with other retries of the same dependency. */
        public Builder budget(RetryBudget budget) {
            this.budget = Objects.requireNonNull(budget, "budget");
            return this;
        }

        /** Uniform values in [0, 1) for jittered backoff (default: {@link ThreadLocalRandom}). */
        public Builder random(DoubleSupplier random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /** The clock that measures durations and sleeps synchronous backoffs. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The scheduler that waits asynchronous backoffs. */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** Carries thread-bound context (such as the MDC) into asynchronous retries. */
        public Builder contextPropagator(ContextPropagator contextPropagator) {
            this.contextPropagator = Objects.requireNonNull(contextPropagator, "contextPropagator");
            return this;
        }

        /** @throws IllegalStateException if the retry would never give up */
        public RetryConfig build() {
            return new RetryConfig(maxAttempts, maxDuration, backoff, retryOn, retryOnResult, abortOn, budget,
                    random, clock, scheduler, contextPropagator);
        }
    }
}
