package dev.bulwark.resilience;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The {@link RateLimiter}: fixed periods counted from the limiter's creation, and one {@link AtomicLong}
 * that numbers the permits.
 *
 * <h2>Permit numbers</h2>
 * Period {@code p} owns the permit numbers {@code [p * limit, (p + 1) * limit)}. {@link #next} holds the
 * next number to hand out. A caller in period {@code p} takes {@code n = max(next, p * limit)}: numbers
 * below {@code p * limit} belonged to periods that are over, and are skipped. If {@code n} lies in
 * {@code p}'s range the permit is free now; if it lies in a later period's range it is a reservation, and
 * the caller waits until that period begins, or is refused (leaving {@code next} unchanged) if that is
 * further away than the timeout. The config makes sure the counter cannot overflow within a century.
 *
 * <h2>Why it never over-grants</h2>
 * Every grant is one successful compare-and-set of {@code next} from {@code n'} to {@code n + 1} with
 * {@code n >= n'}, so no number is handed out twice, and each period has only {@code limit} numbers.
 * Numbers only grow, so a caller whose clock reading is late cannot give out an old period's numbers again.
 *
 * <h2>Hot path</h2>
 * One clock reading, a read of the period hint (written about once a period), a read and a CAS of
 * {@code next}; divisions only when a period begins or a caller must wait. No lock, no allocation.
 */
final class DefaultRateLimiter implements RateLimiter, Stage {
    private final String name;
    private final RateLimiterConfig config;
    private final Clock clock;
    private final Scheduler scheduler;
    private final long origin;
    private final long periodNanos;
    private final long limit;
    private final long timeoutNanos;
    /** The next permit number to hand out. */
    private final AtomicLong next = new AtomicLong();
    /**
     * The latest period a caller has seen begin: a hint that spares the division {@code now / periodNanos}
     * on most calls. Checked against the clock before use, so a stale value costs a division, never a
     * wrong answer.
     */
    private volatile long periodHint;
    private final AtomicInteger waiting = new AtomicInteger();
    private final LongAdder permitted = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final RateLimitExceededException rejection;
    private final ListenerList<RateLimiterEvent> listeners;

    DefaultRateLimiter(String name, RateLimiterConfig config) {
        this.name = SettingChecks.name(name);
        this.config = Objects.requireNonNull(config, "config");
        this.clock = config.clock();
        this.scheduler = config.scheduler();
        this.periodNanos = config.limitRefreshPeriod().toNanos();
        this.limit = config.limitForPeriod();
        this.timeoutNanos = config.timeout().toNanos();
        this.rejection = new RateLimitExceededException(name, config);
        this.listeners = new ListenerList<>("rate limiter '" + name + "'");
        this.origin = clock.nanoTime();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public RateLimiterConfig config() {
        return config;
    }

    @Override
    public int availablePermits() {
        long periodEnd = (period(clock.nanoTime() - origin) + 1) * limit;
        return (int) Math.max(0, Math.min(limit, periodEnd - next.get()));
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
    public void onEvent(Consumer<? super RateLimiterEvent> listener) {
        listeners.add(listener);
    }

    @Override
    public boolean removeListener(Consumer<? super RateLimiterEvent> listener) {
        return listeners.remove(listener);
    }

    @Override
    public <T> T call(Supplier<? extends T> supplier) {
        return call(Invoker.DIRECT, supplier);
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
    public <T> CompletionStage<T> callAsync(Supplier<? extends CompletionStage<T>> supplier) {
        return callAsync(Invoker.DIRECT, supplier);
    }

    @Override
    public <T> CompletionStage<T> callAsync(Invoker inner, Supplier<? extends CompletionStage<T>> supplier) {
        Objects.requireNonNull(supplier, "supplier");
        long wait = reserve();
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
        long wait = reserve();
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

    /**
     * Reserves a permit: 0 if it is free now, the nanoseconds until its period begins if that is within the
     * timeout, or -1 (and nothing changes) if the call must be refused.
     */
    private long reserve() {
        long now = clock.nanoTime() - origin;
        boolean fresh = false;
        while (true) {
            long period = period(now);
            long periodStart = period * periodNanos;
            long first = period * limit;
            long taken = next.get();
            long number = Math.max(taken, first);
            long wait = 0;
            if (number - first >= limit) {
                // A later period's permit. Measure from this period's start if this thread's clock reading is
                // older than it: the real time is at least that, so the wait errs long, never short.
                wait = (number / limit) * periodNanos - Math.max(now, periodStart);
                if (wait > timeoutNanos) {
                    if (fresh) {
                        return -1;
                    }
                    // The clock was read before the CAS loop; a period may have begun since. Look once more.
                    now = clock.nanoTime() - origin;
                    fresh = true;
                    continue;
                }
            }
            if (next.compareAndSet(taken, number + 1)) {
                return wait;
            }
        }
    }

    /**
     * The period at {@code now}, or the latest one another caller has seen begin if this thread's reading is
     * older than that (it then counts against that period, which has begun).
     */
    private long period(long now) {
        long hint = periodHint;
        long sinceHint = now - hint * periodNanos;
        if (sinceHint < periodNanos) {
            return hint;
        }
        long period = now / periodNanos;
        if (period > periodHint) {
            periodHint = period; // a racy but monotonic-enough hint: a lower write only costs a division
        }
        return period;
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
