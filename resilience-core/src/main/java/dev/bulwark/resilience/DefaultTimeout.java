package dev.bulwark.resilience;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The {@link Timeout}. It keeps no per-call state of its own: a synchronous call on the caller's thread is
 * two clock readings around the inner call with the {@link Deadline} installed (saved and restored in
 * locals, so nothing is allocated); the other forms hand the race between the call and the timer to a
 * future ({@link InterruptibleCall}, {@link TimeoutExecution}), where the first completion wins and the
 * loser's effect is only a cancellation.
 */
final class DefaultTimeout extends AbstractPolicy<TimeoutEvent> implements Timeout {
    private final TimeoutConfig config;
    private final long timeoutNanos;
    private final Duration timeout;
    private final Executor executor;
    final Clock clock;
    final Scheduler scheduler;
    private final ContextPropagator contextPropagator;

    private final LongAdder successful = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder timedOut = new LongAdder();

    DefaultTimeout(String name, TimeoutConfig config) {
        super("timeout", name);
        this.config = Objects.requireNonNull(config, "config");
        this.timeout = config.timeout();
        this.timeoutNanos = timeout.toNanos();
        this.executor = config.executor();
        this.clock = config.clock();
        this.scheduler = config.scheduler();
        this.contextPropagator = config.contextPropagator();
    }

    @Override
    public TimeoutConfig config() {
        return config;
    }

    @Override
    public <T> T call(Invoker inner, Supplier<? extends T> supplier) {
        Objects.requireNonNull(supplier, "supplier");
        return executor == null ? callHere(inner, supplier) : callOnExecutor(inner, supplier);
    }

    private <T> T callHere(Invoker inner, Supplier<? extends T> supplier) {
        Deadline.Holder holder = Deadline.holder();
        Clock savedClock = holder.clock;
        long savedAt = holder.atNanos;
        long start = clock.nanoTime();
        holder.installIfEarlier(clock, start + timeoutNanos);
        T result;
        try {
            result = inner.call(supplier);
        } catch (Throwable failure) {
            if (clock.nanoTime() - start >= timeoutNanos) {
                throw timedOut(failure);
            }
            failed.increment();
            throw failure;
        } finally {
            holder.restore(savedClock, savedAt);
        }
        if (clock.nanoTime() - start >= timeoutNanos) {
            throw timedOut(null);
        }
        successful.increment();
        return result;
    }

    private <T> T callOnExecutor(Invoker inner, Supplier<? extends T> supplier) {
        Deadline deadline = Deadline.earliest(Deadline.captureOrNull(), clock, timeoutNanos);
        InterruptibleCall<T> call = new InterruptibleCall<>(() -> inner.call(supplier),
                ContextCarrier.snapshotFor(contextPropagator, supplier), deadline);
        TimeoutExceededException timeoutFailure = new TimeoutExceededException(name, timeout, null);
        Scheduler.Task timer = scheduler.schedule(() -> {
            if (call.timeOut(timeoutFailure)) {
                recordTimeout();
            }
        }, timeoutNanos);
        try {
            executor.execute(call);
        } catch (RuntimeException refused) {
            timer.cancel();
            failed.increment();
            throw refused;
        }
        try {
            T value = PipelineFailures.await(call);
            successful.increment();
            return value;
        } catch (Throwable failure) {
            if (failure != timeoutFailure) {
                failed.increment();
            }
            throw failure;
        } finally {
            timer.cancel();
        }
    }

    @Override
    public <T> CompletionStage<T> callAsync(Invoker inner, Supplier<? extends CompletionStage<T>> supplier) {
        Objects.requireNonNull(supplier, "supplier");
        TimeoutExecution<T> execution =
                new TimeoutExecution<>(this, ContextCarrier.snapshotFor(contextPropagator, supplier));
        execution.arm(timeoutNanos);
        Deadline.Holder holder = Deadline.holder();
        Clock savedClock = holder.clock;
        long savedAt = holder.atNanos;
        holder.installIfEarlier(clock, clock.nanoTime() + timeoutNanos);
        CompletionStage<T> stage;
        try {
            stage = inner.callAsync(supplier);
        } finally {
            holder.restore(savedClock, savedAt);
        }
        execution.follow(stage);
        return execution.result;
    }

    private TimeoutExceededException timedOut(Throwable lateFailure) {
        recordTimeout();
        return new TimeoutExceededException(name, timeout, lateFailure);
    }

    void recordTimeout() {
        timedOut.increment();
        if (!listeners.isEmpty()) {
            listeners.publish(new TimeoutEvent.TimedOut(name, Instant.ofEpochMilli(clock.currentTimeMillis()), timeout));
        }
    }

    void recordCompletion(Throwable failure) {
        (failure == null ? successful : failed).increment();
    }

    String timeoutMessage() {
        return "timeout '" + name + "' exceeded after " + timeout;
    }

    Duration timeout() {
        return timeout;
    }

    @Override
    public Metrics metrics() {
        return new Metrics(successful.sum(), failed.sum(), timedOut.sum());
    }

    @Override
    public String toString() {
        return "Timeout[" + name + ", timeout=" + timeout + (executor == null ? "" : ", executor=" + executor) + "]";
    }
}
