package dev.bulwark.resilience;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The {@link Bulkhead}. The permits live in {@link BulkheadPermits} (whose comment explains why they are
 * handed out exactly once and never stranded); this class adds the waiting of synchronous and asynchronous
 * callers, events and counters.
 *
 * <p>A synchronous waiter parks until it is granted, its {@code maxWait} (measured with the config's clock)
 * has passed, or it is interrupted. A task on the config's scheduler also ends the wait at {@code maxWait}:
 * that is what ends it under a {@link ManualClock}, whose time does not pass by itself; with the system
 * clock, whichever comes first wins and the other finds the waiter gone.
 */
final class DefaultBulkhead extends AbstractPolicy<BulkheadEvent> implements Bulkhead, BulkheadAsyncCall.Owner {
    private static final int WAITING = 0;
    private static final int GRANTED = 1;
    private static final int EXPIRED = 2;

    private final BulkheadConfig config;
    private final Clock clock;
    private final Scheduler scheduler;
    private final long maxWaitNanos;
    private final BulkheadPermits permits;
    private final BulkheadFullException rejection;
    private final LongAdder rejected = new LongAdder();

    DefaultBulkhead(String name, BulkheadConfig config) {
        super("bulkhead", name);
        this.config = Objects.requireNonNull(config, "config");
        this.clock = config.clock();
        this.scheduler = config.scheduler();
        this.maxWaitNanos = config.maxWait().toNanos();
        this.permits = new BulkheadPermits(config.maxConcurrentCalls());
        this.rejection = new BulkheadFullException(name, config.maxConcurrentCalls(), config.maxWait());
    }

    @Override
    public BulkheadConfig config() {
        return config;
    }

    @Override
    public int availablePermits() {
        return permits.available();
    }

    @Override
    public int waitingCalls() {
        return permits.waiting();
    }

    @Override
    public long permittedCalls() {
        return permits.granted();
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
        try {
            return inner.call(supplier);
        } finally {
            release();
        }
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
        if (!acquired) {
            return Outcome.rejected(rejection);
        }
        try {
            return CallOutcomes.capture(Invoker.DIRECT, supplier);
        } finally {
            release();
        }
    }

    @Override
    public <T> CompletionStage<T> callAsync(Invoker inner, Supplier<? extends CompletionStage<T>> supplier) {
        Objects.requireNonNull(supplier, "supplier");
        if (permits.tryAcquire()) {
            permittedNow(0);
            BulkheadAsyncCall<T> call = new BulkheadAsyncCall<>(this, inner, supplier);
            call.permitted();
            call.run();
            return call;
        }
        long budget = waitBudget();
        if (budget <= 0) {
            rejectedNow();
            return CompletableFuture.failedFuture(rejection);
        }
        BulkheadAsyncCall<T> call = new BulkheadAsyncCall<>(this, inner, supplier);
        QueuedCall entry = new QueuedCall(call, clock.nanoTime());
        call.queuedAs(entry);
        permits.enqueue(entry);
        if (!entry.granted) {
            entry.expiry = scheduler.schedule(() -> {
                if (permits.remove(entry)) {
                    rejectedNow();
                    call.completeExceptionally(rejection);
                }
            }, budget);
        }
        return call;
    }

    /** {@link BulkheadAsyncCall.Owner}: an asynchronous call ended. */
    @Override
    public void release(BulkheadAsyncCall<?> call, Throwable failure) {
        release();
    }

    /** {@link BulkheadAsyncCall.Owner}: a queued asynchronous call was cancelled. */
    @Override
    public boolean withdraw(BulkheadPermits.Waiter waiter) {
        if (!permits.remove(waiter)) {
            return false;
        }
        Scheduler.Task expiry = ((QueuedCall) waiter).expiry;
        if (expiry != null) {
            expiry.cancel();
        }
        return true;
    }

    @Override
    public String toString() {
        return "Bulkhead[" + name + ", available=" + availablePermits() + "/" + config.maxConcurrentCalls()
                + ", waiting=" + waitingCalls() + "]";
    }

    /**
     * Takes a permit for a synchronous call, waiting up to {@code maxWait}.
     *
     * @return false if the call is refused
     * @throws CancellationException if the thread is interrupted while it waits (its interrupt status is kept)
     */
    private boolean acquire() {
        if (permits.tryAcquire()) {
            permittedNow(0);
            return true;
        }
        long budget = waitBudget();
        if (budget <= 0) {
            rejectedNow();
            return false;
        }
        return awaitPermit(budget);
    }

    /**
     * How long a call may wait for a permit: {@code maxWait}, but never past the {@link Deadline} of an
     * enclosing {@link Timeout}; zero or less means not at all.
     */
    private long waitBudget() {
        return maxWaitNanos == 0 ? 0 : Math.min(maxWaitNanos, Deadline.currentRemainingNanos());
    }

    private void release() {
        permits.release();
        if (!listeners.isEmpty()) {
            listeners.publish(new BulkheadEvent.CallFinished(name, now()));
        }
    }

    private boolean awaitPermit(long budget) {
        long start = clock.nanoTime();
        long deadline = start + budget;
        ParkedCaller caller = new ParkedCaller(Thread.currentThread());
        permits.enqueue(caller);
        Scheduler.Task expiry =
                caller.state == GRANTED ? null : scheduler.schedule(() -> expire(caller), budget);
        boolean interrupted = false;
        try {
            while (true) {
                int state = caller.state;
                if (state == GRANTED) {
                    permittedNow(clock.nanoTime() - start);
                    return true;
                }
                if (state == EXPIRED) {
                    rejectedNow();
                    return false;
                }
                if (Thread.interrupted()) {
                    interrupted = true;
                    if (permits.remove(caller)) {
                        throw new CancellationException(
                                "bulkhead '" + name + "': interrupted while waiting for a permit");
                    }
                    Thread.onSpinWait(); // granted meanwhile: the call goes ahead, still marked interrupted
                    continue;
                }
                long remaining = deadline - clock.nanoTime();
                if (remaining <= 0) {
                    if (!expire(caller)) {
                        Thread.onSpinWait(); // granted just now: its state is about to say so
                    }
                } else {
                    LockSupport.parkNanos(this, remaining);
                }
            }
        } finally {
            if (expiry != null) {
                expiry.cancel();
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Ends the wait of {@code caller} unless it has been granted; returns whether it ended it. */
    private boolean expire(ParkedCaller caller) {
        if (!permits.remove(caller)) {
            return false;
        }
        caller.state = EXPIRED;
        LockSupport.unpark(caller.thread);
        return true;
    }

    private void permittedNow(long waitedNanos) {
        if (!listeners.isEmpty()) {
            listeners.publish(new BulkheadEvent.CallPermitted(name, now(), Duration.ofNanos(waitedNanos)));
        }
    }

    private void rejectedNow() {
        rejected.increment();
        if (!listeners.isEmpty()) {
            listeners.publish(new BulkheadEvent.CallRejected(name, now()));
        }
    }

    private Instant now() {
        return Instant.ofEpochMilli(clock.currentTimeMillis());
    }

    /** A synchronous caller parked until it is granted or its wait ends. */
    private static final class ParkedCaller extends BulkheadPermits.Waiter {
        final Thread thread;
        volatile int state = WAITING;

        ParkedCaller(Thread thread) {
            this.thread = thread;
        }

        @Override
        void granted() {
            state = GRANTED;
            if (thread != Thread.currentThread()) {
                LockSupport.unpark(thread);
            }
        }
    }

    /** An asynchronous call queued for a permit; once granted, it starts on the scheduler. */
    private final class QueuedCall extends BulkheadPermits.Waiter {
        final BulkheadAsyncCall<?> call;
        final long queuedAtNanos;
        volatile Scheduler.Task expiry;
        volatile boolean granted;

        QueuedCall(BulkheadAsyncCall<?> call, long queuedAtNanos) {
            this.call = call;
            this.queuedAtNanos = queuedAtNanos;
        }

        @Override
        void granted() {
            granted = true;
            Scheduler.Task task = expiry;
            if (task != null) {
                task.cancel();
            }
            permittedNow(clock.nanoTime() - queuedAtNanos);
            call.permitted();
            scheduler.schedule(call, 0);
        }
    }
}
