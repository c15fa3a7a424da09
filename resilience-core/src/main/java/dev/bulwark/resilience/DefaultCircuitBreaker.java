package dev.bulwark.resilience;

import static dev.bulwark.resilience.CircuitBreaker.State.CLOSED;
import static dev.bulwark.resilience.CircuitBreaker.State.DISABLED;

import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The {@link CircuitBreaker}: the call shapes and the permit API over a {@link BreakerStateMachine}, which
 * says who is admitted and records outcomes (its class comment explains the state moves).
 *
 * <pre>
 * The hot path (CLOSED)
 *   permission   one volatile read of the state and a check of its kind
 *   timing       two clock readings (slow-call detection needs the duration of every call)
 *   recording    {@link BreakerCountWindow#record} or {@link BreakerTimeWindow#record} (lock-free, no
 *                allocation), one {@link LongAdder} increment (a per-thread cell under contention), and,
 *                only when listeners are registered, an event
 *   Nothing is locked and nothing allocated; a thread never waits for another, so virtual threads never pin.
 * </pre>
 */
final class DefaultCircuitBreaker implements CircuitBreaker, Stage {
    private final String name;
    private final CircuitBreakerConfig config;
    private final Clock clock;
    private final long slowCallNanos;
    private final Predicate<? super Throwable> recordException;
    private final Predicate<? super Throwable> ignoreException;
    /** Null when no result counts as a failure, which skips the predicate on the hot path. */
    private final Predicate<Object> recordResult;
    private final BreakerEvents events;
    private final BreakerStateMachine machine;

    private final LongAdder successful = new LongAdder();
    private final LongAdder slowSuccessful = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder slowFailed = new LongAdder();
    private final LongAdder ignored = new LongAdder();

    DefaultCircuitBreaker(String name, CircuitBreakerConfig config) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank, was '" + name + "'");
        }
        this.name = name;
        this.config = Objects.requireNonNull(config, "config");
        this.clock = config.clock();
        this.slowCallNanos = BreakerStateMachine.nanos(config.slowCallDurationThreshold());
        this.recordException = config.recordException();
        this.ignoreException = config.ignoreException();
        this.recordResult = config.recordResult() == CircuitBreakerConfig.NO_RESULT ? null : config.recordResult();
        this.events = new BreakerEvents(name, clock);
        this.machine = new BreakerStateMachine(name, config, events);
    }

    // ---------------------------------------------------------------- call shapes

    @Override
    public String name() {
        return name;
    }

    @Override
    public <T> T call(Supplier<? extends T> supplier) {
        return call(Invoker.DIRECT, supplier);
    }

    @Override
    public <T> T call(Invoker inner, Supplier<? extends T> supplier) {
        Objects.requireNonNull(supplier, "supplier");
        BreakerState admitted = machine.state;
        if (admitted.kind != CLOSED) {
            Object permit = machine.acquire(admitted);
            if (!(permit instanceof BreakerState)) {
                throw ((Outcome.Rejected<?>) permit).rejection();
            }
            admitted = (BreakerState) permit;
            if (admitted.kind == DISABLED) {
                return inner.call(supplier);
            }
        }
        long start = clock.nanoTime();
        T value;
        try {
            value = inner.call(supplier);
        } catch (Throwable error) {
            long end = clock.nanoTime();
            threw(admitted, end - start, end, error);
            throw error;
        }
        long end = clock.nanoTime();
        returned(admitted, end - start, end, value);
        return value;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> Outcome<T> attempt(Supplier<? extends T> supplier) {
        Objects.requireNonNull(supplier, "supplier");
        Object permit = machine.acquire();
        if (!(permit instanceof BreakerState)) {
            return (Outcome<T>) permit; // a preallocated Rejected: it holds no T, so the cast is safe
        }
        BreakerState admitted = (BreakerState) permit;
        boolean records = admitted.kind != DISABLED;
        long start = records ? clock.nanoTime() : 0;
        T value;
        try {
            value = supplier.get();
        } catch (Throwable error) {
            if (records) {
                long end = clock.nanoTime();
                threw(admitted, end - start, end, error);
            }
            if (error instanceof VirtualMachineError fatal) {
                throw fatal;
            }
            return Outcome.failure(error);
        }
        if (records) {
            long end = clock.nanoTime();
            returned(admitted, end - start, end, value);
        }
        return Outcome.success(value);
    }

    @Override
    public <T> CompletionStage<T> callAsync(Supplier<? extends CompletionStage<T>> supplier) {
        return callAsync(Invoker.DIRECT, supplier);
    }

    @Override
    public <T> CompletionStage<T> callAsync(Invoker inner, Supplier<? extends CompletionStage<T>> supplier) {
        Objects.requireNonNull(supplier, "supplier");
        Object permit = machine.acquire();
        if (!(permit instanceof BreakerState)) {
            return CompletableFuture.failedFuture(((Outcome.Rejected<?>) permit).rejection());
        }
        BreakerState admitted = (BreakerState) permit;
        if (admitted.kind == DISABLED) {
            return inner.callAsync(supplier);
        }
        long start = clock.nanoTime();
        return inner.callAsync(supplier).whenComplete((value, error) -> {
            long end = clock.nanoTime();
            if (error == null) {
                returned(admitted, end - start, end, value);
            } else {
                threw(admitted, end - start, end, unwrap(error));
            }
        });
    }

    private static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    // ---------------------------------------------------------------- permit API

    @Override
    public boolean tryAcquirePermission() {
        return machine.acquire() instanceof BreakerState;
    }

    @Override
    public void releasePermission() {
        machine.release(machine.state);
    }

    // ---------------------------------------------------------------- recording

    @Override
    public void onSuccess(long durationNanos) {
        BreakerState current = reportingState(durationNanos);
        if (current != null) {
            succeeded(current, durationNanos, endOf(current));
        }
    }

    @Override
    public void onResult(long durationNanos, Object result) {
        BreakerState current = reportingState(durationNanos);
        if (current != null) {
            returned(current, durationNanos, endOf(current), result);
        }
    }

    @Override
    public void onError(long durationNanos, Throwable error) {
        Objects.requireNonNull(error, "error");
        BreakerState current = reportingState(durationNanos);
        if (current != null) {
            threw(current, durationNanos, endOf(current), error);
        }
    }

    /** The state a permit-API report goes to, or null in DISABLED (which records nothing). */
    private BreakerState reportingState(long durationNanos) {
        if (durationNanos < 0) {
            throw new IllegalArgumentException("durationNanos must not be negative, was " + durationNanos);
        }
        BreakerState current = machine.state;
        return current.kind == DISABLED ? null : current;
    }

    private long endOf(BreakerState current) {
        return current.window != null && current.window.needsTime() ? clock.nanoTime() : 0;
    }

    private void returned(BreakerState admitted, long elapsed, long end, Object value) {
        if (recordResult != null && recordResult.test(value)) {
            boolean slow = elapsed > slowCallNanos;
            (slow ? slowFailed : failed).increment();
            machine.record(admitted, true, slow, end);
            if (events.active()) {
                events.resultFailed(elapsed, value, slow);
            }
        } else {
            succeeded(admitted, elapsed, end);
        }
    }

    private void succeeded(BreakerState admitted, long elapsed, long end) {
        boolean slow = elapsed > slowCallNanos;
        (slow ? slowSuccessful : successful).increment();
        machine.record(admitted, false, slow, end);
        if (events.active()) {
            events.succeeded(elapsed, slow);
        }
    }

    private void threw(BreakerState admitted, long elapsed, long end, Throwable error) {
        if (error instanceof CancellationException || ignoreException.test(error)) {
            ignored.increment();
            machine.release(admitted);
            if (events.active()) {
                events.ignored(elapsed, error);
            }
        } else if (recordException.test(error)) {
            boolean slow = elapsed > slowCallNanos;
            (slow ? slowFailed : failed).increment();
            machine.record(admitted, true, slow, end);
            if (events.active()) {
                events.failed(elapsed, error, slow);
            }
        } else {
            succeeded(admitted, elapsed, end);
        }
    }

    // ---------------------------------------------------------------- manual transitions

    @Override
    public boolean transitionToClosed() {
        return machine.transitionTo(State.CLOSED);
    }

    @Override
    public boolean transitionToOpen() {
        return machine.transitionTo(State.OPEN);
    }

    @Override
    public boolean transitionToHalfOpen() {
        return machine.transitionTo(State.HALF_OPEN);
    }

    @Override
    public boolean transitionToForcedOpen() {
        return machine.transitionTo(State.FORCED_OPEN);
    }

    @Override
    public boolean transitionToDisabled() {
        return machine.transitionTo(State.DISABLED);
    }

    @Override
    public boolean transitionToMetricsOnly() {
        return machine.transitionTo(State.METRICS_ONLY);
    }

    @Override
    public void reset() {
        machine.reset();
    }

    // ---------------------------------------------------------------- queries

    @Override
    public CircuitBreakerConfig config() {
        return config;
    }

    @Override
    public State state() {
        return machine.state.kind;
    }

    @Override
    public CircuitBreakerSnapshot snapshot() {
        BreakerState current = machine.state;
        BreakerWindow.Counts counts = current.window == null ? null : current.window.counts(clock.nanoTime());
        return new CircuitBreakerSnapshot(current.kind,
                counts == null ? -1 : counts.failureRate(), counts == null ? -1 : counts.slowCallRate(),
                counts == null ? 0 : counts.calls(), counts == null ? 0 : counts.failedCalls(),
                counts == null ? 0 : counts.slowCalls(),
                successful.sum(), slowSuccessful.sum(), failed.sum(), slowFailed.sum(), ignored.sum(),
                machine.notPermittedCalls());
    }

    /**
     * Records the outcome of a call that {@code admitted} admitted through {@link #acquire()}: what the call
     * shapes do, for tests in this package that drive admission themselves. {@code error} null is a success.
     */
    void complete(BreakerState admitted, long elapsedNanos, Throwable error) {
        if (admitted.kind == DISABLED) {
            return;
        }
        long end = clock.nanoTime();
        if (error == null) {
            succeeded(admitted, elapsedNanos, end);
        } else {
            threw(admitted, elapsedNanos, end, error);
        }
    }

    /** See {@link BreakerStateMachine#acquire()} (for tests in this package). */
    Object acquire() {
        return machine.acquire();
    }

    /** How many transitions have been made (for tests in this package). */
    long transitionCount() {
        return machine.transitionCount();
    }

    @Override
    public void onEvent(Consumer<? super CircuitBreakerEvent> listener) {
        events.add(listener);
    }

    @Override
    public boolean removeListener(Consumer<? super CircuitBreakerEvent> listener) {
        return events.remove(listener);
    }

    @Override
    public String toString() {
        return "CircuitBreaker[" + name + ", " + machine.state + "]";
    }
}
