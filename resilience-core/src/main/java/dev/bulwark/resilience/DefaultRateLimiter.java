package dev.bulwark.resilience;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The {@link RateLimiter}. The permits live in {@link RateLimiterPermits}, whose comment explains how they
 * are numbered and why no period hands out more than its limit; this class adds the waiting of synchronous
 * and asynchronous callers, events and counters.
 */
final class DefaultRateLimiter extends AbstractPolicy<RateLimiterEvent> implements RateLimiter {
    private final RateLimiterConfig config;
    private final Clock clock;
    private final Scheduler scheduler;
    private final RateLimiterPermits permits;
    private final AtomicInteger waiting = new AtomicInteger();
    private final LongAdder permitted = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final RateLimitExceededException rejection;

    DefaultRateLimiter(String name, RateLimiterConfig config) {
        super("rate limiter", name);
        this.config = Objects.requireNonNull(config, "config");
        this.clock = config.clock();
        this.scheduler = config.scheduler();
        this.permits = new RateLimiterPermits(config, Runtime.getRuntime().availableProcessors());
        this.rejection = new RateLimitExceededException(name, config);
    }

    @Override
    public RateLimiterConfig config() {
        return config;
    }

    @Override
    public int availablePermits() {
        return (int) permits.available();
    }

    @Override
    public int waitingCalls() {
        return waiting.get();
    }

    @Override
    public long permittedCalls() {
        return permitted.sum();
    }

    @Override
    public long rejectedCalls() {
        return rejected.sum();
    }

    @Override
    public <T> T call(Invoker inner, Supplier<? extends T> supplier) {
        if (!acquire()) {
            throw rejection;
        }
        return inner.call(supplier);
    }

    @Override
    public <T> Outcome<T> attempt(Supplier<? extends T> supplier) {
        Objects.requireNonNull(supplier, "supplier");
        boolean acquired;
        try {
            acquired = acquire();
        } catch (CancellationException interrupted) {
            return Outcome.failure(interrupted);
        }
        return acquired ? CallOutcomes.capture(Invoker.DIRECT, supplier) : Outcome.rejected(rejection);
    }

    @Override
    public <T> CompletionStage<T> callAsync(Invoker inner, Supplier<? extends CompletionStage<T>> supplier) {
        Objects.requireNonNull(supplier, "supplier");
        long wait = permits.reserve();
        if (wait < 0) {
            rejectedNow();
            return CompletableFuture.failedFuture(rejection);
        }
        permittedNow(wait);
        if (wait == 0) {
            return inner.callAsync(supplier);
        }
        waiting.incrementAndGet();
        return DelayedAsyncCall.schedule(scheduler, wait, inner, supplier, waiting::decrementAndGet);
    }

    @Override
    public String toString() {
        return "RateLimiter[" + name + ", " + config.limitForPeriod() + " per " + config.limitRefreshPeriod()
                + ", available=" + availablePermits() + "]";
    }

    /**
     * Takes a permit for a synchronous call, sleeping until its period if it lies ahead.
     *
     * @return false if the call is refused
     * @throws CancellationException if the thread is interrupted while it waits (its interrupt status is kept)
     */
    private boolean acquire() {
        long wait = permits.reserve();
        if (wait < 0) {
            rejectedNow();
            return false;
        }
        permittedNow(wait);
        if (wait > 0) {
            waiting.incrementAndGet();
            try {
                clock.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException(
                        "rate limiter '" + name + "': interrupted while waiting for a permit");
            } finally {
                waiting.decrementAndGet();
            }
        }
        return true;
    }

    private void permittedNow(long waitedNanos) {
        permitted.increment();
        if (!listeners.isEmpty()) {
            listeners.publish(new RateLimiterEvent.CallPermitted(name, now(), Duration.ofNanos(waitedNanos)));
        }
    }

    private void rejectedNow() {
        rejected.increment();
        if (!listeners.isEmpty()) {
            listeners.publish(new RateLimiterEvent.CallRejected(name, now()));
        }
    }

    private Instant now() {
        return Instant.ofEpochMilli(clock.currentTimeMillis());
    }
}
