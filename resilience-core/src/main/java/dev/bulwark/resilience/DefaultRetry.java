package dev.bulwark.resilience;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The {@link Retry}. The first attempt is the whole of the success path: one optional budget deposit, the
 * call, one {@link LongAdder} increment; no allocation, no clock reading unless {@code maxDuration} is set.
 * Everything after a failure lives in {@link #nextDelay}, shared by the synchronous loop here and the
 * asynchronous {@link RetryExecution}. The instance holds no per-call state, so it needs no locking; the
 * counters are {@link LongAdder}s so that concurrent callers do not contend.
 */
final class DefaultRetry extends AbstractPolicy<RetryEvent> implements Retry {
    private final RetryConfig config;
    private final int maxAttempts;
    private final long maxDurationNanos;
    private final boolean checksResults;
    final Clock clock;
    final Scheduler scheduler;
    final ContextPropagator contextPropagator;
    private final RetryBudget budget;

    private final LongAdder successfulWithoutRetry = new LongAdder();
    private final LongAdder successfulWithRetry = new LongAdder();
    private final LongAdder failedWithoutRetry = new LongAdder();
    private final LongAdder failedWithRetry = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder budgetExhausted = new LongAdder();

    DefaultRetry(String name, RetryConfig config) {
        super("retry", name);
        this.config = Objects.requireNonNull(config, "config");
        this.maxAttempts = config.maxAttempts();
        this.maxDurationNanos = config.maxDuration() == null ? 0 : config.maxDuration().toNanos();
        this.checksResults = config.retryOnResult() != RetryConfig.NO_RESULT;
        this.clock = config.clock();
        this.scheduler = config.scheduler();
        this.contextPropagator = config.contextPropagator();
        this.budget = config.budget();
    }

    @Override
    public RetryConfig config() {
        return config;
    }

    @Override
    public <T> T call(Invoker inner, Supplier<? extends T> supplier) {
        Objects.requireNonNull(supplier, "supplier");
        if (budget != null) {
            budget.recordCall();
        }
        long startNanos = maxDurationNanos > 0 ? clock.nanoTime() : 0;
        T result;
        try {
            result = inner.call(supplier);
        } catch (Throwable failure) {
            return retrySync(inner, supplier, failure, null, startNanos);
        }
        if (checksResults && config.retryOnResult().test(result)) {
            return retrySync(inner, supplier, null, result, startNanos);
        }
        successfulWithoutRetry.increment();
        return result;
    }

    private <T> T retrySync(Invoker inner, Supplier<? extends T> supplier, Throwable failure, T result, long startNanos) {
        int attempts = 1;
        long delay = 0;
        while (true) {
            delay = nextDelay(attempts, delay, failure, startNanos, Deadline.currentRemainingNanos());
            if (delay < 0) {
                return surface(failure, result);
            }
            try {
                clock.sleep(delay);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                giveUp(attempts, RetryEvent.Reason.INTERRUPTED, failure);
                return surface(failure, result);
            }
            attempts++;
            try {
                result = inner.call(supplier);
                failure = null;
            } catch (Throwable next) {
                failure = next;
                result = null;
                continue;
            }
            if (!(checksResults && config.retryOnResult().test(result))) {
                recordSuccess(attempts);
                return result;
            }
        }
    }

    private static <T> T surface(Throwable failure, T result) {
        if (failure != null) {
            throw PipelineFailures.rethrow(failure);
        }
        return result;
    }

    @Override
    public <T> CompletionStage<T> callAsync(Invoker inner, Supplier<? extends CompletionStage<T>> supplier) {
        Objects.requireNonNull(supplier, "supplier");
        if (budget != null) {
            budget.recordCall();
        }
        long startNanos = maxDurationNanos > 0 ? clock.nanoTime() : 0;
        RetryExecution<T> execution = new RetryExecution<>(this, inner, supplier,
                ContextCarrier.snapshotFor(contextPropagator, supplier), Deadline.captureOrNull(), startNanos);
        execution.start();
        return execution.result;
    }

    /** Whether {@code result} is to be retried as if it had failed. */
    boolean retriesResult(Object result) {
        return checksResults && config.retryOnResult().test(result);
    }

    /**
     * Decides, after attempt number {@code attempts} failed with {@code failure} (or, if null, returned a
     * retryable result), whether to retry: returns the backoff to wait, or -1 to give up, in which case the
     * call's failure has been counted and the event published. Takes a retry from the budget only when
     * everything else allows it, so a retry that will not happen costs the budget nothing.
     */
    long nextDelay(int attempts, long previousDelay, Throwable failure, long startNanos, long deadlineRemaining) {
        if (failure != null) {
            if (config.abortOn().test(failure)) {
                return giveUp(attempts, RetryEvent.Reason.ABORTED, failure);
            }
            if (!config.retryOn().test(failure)) {
                countFailure(attempts);
                return -1;
            }
        }
        if (attempts >= maxAttempts) {
            return giveUp(attempts, RetryEvent.Reason.MAX_ATTEMPTS, failure);
        }
        long delay = Math.max(0, config.backoff().delayNanos(attempts, previousDelay, config.random()));
        if (maxDurationNanos > 0 && clock.nanoTime() - startNanos + delay > maxDurationNanos) {
            return giveUp(attempts, RetryEvent.Reason.MAX_DURATION, failure);
        }
        if (delay >= deadlineRemaining) {
            return giveUp(attempts, RetryEvent.Reason.DEADLINE, failure);
        }
        if (budget != null && !budget.tryAcquire()) {
            budgetExhausted.increment();
            countFailure(attempts);
            if (!listeners.isEmpty()) {
                listeners.publish(new RetryEvent.BudgetExhausted(name, now(), attempts, budget.name(), failure));
            }
            return -1;
        }
        retries.increment();
        if (!listeners.isEmpty()) {
            listeners.publish(new RetryEvent.Retrying(name, now(), attempts, Duration.ofNanos(delay), failure));
        }
        return delay;
    }

    long giveUp(int attempts, RetryEvent.Reason reason, Throwable failure) {
        countFailure(attempts);
        if (!listeners.isEmpty()) {
            listeners.publish(new RetryEvent.Exhausted(name, now(), attempts, reason, failure));
        }
        return -1;
    }

    private void countFailure(int attempts) {
        (attempts == 1 ? failedWithoutRetry : failedWithRetry).increment();
    }

    void recordSuccess(int attempts) {
        if (attempts == 1) {
            successfulWithoutRetry.increment();
            return;
        }
        successfulWithRetry.increment();
        if (!listeners.isEmpty()) {
            listeners.publish(new RetryEvent.Succeeded(name, now(), attempts));
        }
    }

    private Instant now() {
        return Instant.ofEpochMilli(clock.currentTimeMillis());
    }

    @Override
    public Metrics metrics() {
        return new Metrics(successfulWithoutRetry.sum(), successfulWithRetry.sum(), failedWithoutRetry.sum(),
                failedWithRetry.sum(), retries.sum(), budgetExhausted.sum());
    }

    @Override
    public String toString() {
        return "Retry[" + name + ", maxAttempts=" + maxAttempts + ", backoff=" + config.backoff() + "]";
    }
}
