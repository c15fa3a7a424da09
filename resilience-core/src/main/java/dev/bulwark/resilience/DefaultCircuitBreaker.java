package dev.bulwark.resilience;

import static dev.bulwark.resilience.CircuitBreaker.State.CLOSED;
import static dev.bulwark.resilience.CircuitBreaker.State.DISABLED;
import static dev.bulwark.resilience.CircuitBreaker.State.HALF_OPEN;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The {@link CircuitBreaker}: the call shapes and the permit API over a {@link BreakerState} machine.
 *
 * <pre>
 * How state moves
 *   The current state is one immutable object in the volatile field {@code state}. A transition builds the
 *   next state object and compare-and-sets it over the one it was decided from: exactly one thread wins,
 *   logs it and publishes its event; a losing thread does nothing, because another decision already replaced
 *   that state. A call records its outcome into the state object that admitted it, so outcomes of calls
 *   admitted before a transition land in a window nobody reads any more, and a stale state's verdict fails
 *   its compare-and-set.
 *
 * The hot path (CLOSED)
 *   permission   one volatile read of {@code state} and a check of its kind
 *   timing       two clock readings (slow-call detection needs the duration of every call)
 *   recording    {@link BreakerCountWindow#record} or {@link BreakerTimeWindow#record} (lock-free, no
 *                allocation), one {@link LongAdder} increment (a per-thread cell under contention), and,
 *                only when listeners are registered, an event
 *   Nothing is locked and nothing allocated; a thread never waits for another, so virtual threads never pin.
 *
 * HALF_OPEN
 *   The state object carries an {@link java.util.concurrent.atomic.AtomicInteger} of permits, decremented
 *   by CAS only while positive: at most {@code permitted} probes are admitted per round, whatever the
 *   concurrency. The probes' outcomes go to a count window of exactly {@code permitted} slots; the
 *   recording that fills it returns a verdict, and its compare-and-set closes or reopens the breaker. When
 *   every permit is taken and no outcome came for {@code maxWaitDurationInHalfOpenState}, the next caller
 *   reopens the breaker instead of waiting for probes that may never report.
 * </pre>
 */
final class DefaultCircuitBreaker implements CircuitBreaker, Stage {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CircuitBreaker.class);
    private static final VarHandle STATE;
    /** Caps the failed-round count so that the backoff exponent stays finite. */
    private static final int MAX_FAILED_ROUNDS = 1_000;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(DefaultCircuitBreaker.class, "state", BreakerState.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String name;
    private final CircuitBreakerConfig config;
    private final Clock clock;
    private final long slowCallNanos;
    private final long maxWaitInHalfOpenNanos;
    private final BreakerWindow.Thresholds closedThresholds;
    private final BreakerWindow.Thresholds probeThresholds;
    private final Predicate<? super Throwable> recordException;
    private final Predicate<? super Throwable> ignoreException;
    /** Null when no result counts as a failure, which skips the predicate on the hot path. */
    private final Predicate<Object> recordResult;
    private final BreakerEvents events;
    private final Outcome.Rejected<?> rejectedOpen;
    private final Outcome.Rejected<?> rejectedForcedOpen;
    private final Outcome.Rejected<?> rejectedHalfOpen;

    private final LongAdder successful = new LongAdder();
    private final LongAdder slowSuccessful = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder slowFailed = new LongAdder();
    private final LongAdder ignored = new LongAdder();
    private final LongAdder notPermitted = new LongAdder();
    /** Transitions made, for tests that check each produced exactly one event. */
    private final AtomicLong transitions = new AtomicLong();

    /** The current state; replaced only by compare-and-set, see the class comment. */
    private volatile BreakerState state;

    DefaultCircuitBreaker(String name, CircuitBreakerConfig config) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank, was '" + name + "'");
        }
        this.name = name;
        this.config = Objects.requireNonNull(config, "config");
        this.clock = config.clock();
        this.slowCallNanos = saturatedNanos(config.slowCallDurationThreshold().toSeconds(),
                config.slowCallDurationThreshold().toNanosPart());
        this.maxWaitInHalfOpenNanos = saturatedNanos(config.maxWaitDurationInHalfOpenState().toSeconds(),
                config.maxWaitDurationInHalfOpenState().toNanosPart());
        this.closedThresholds = new BreakerWindow.Thresholds(config.minimumNumberOfCalls(),
                config.failureRateThreshold(), config.slowCallRateThreshold());
        this.probeThresholds = new BreakerWindow.Thresholds(config.permittedNumberOfCallsInHalfOpenState(),
                config.failureRateThreshold(), config.slowCallRateThreshold());
        this.recordException = config.recordException();
        this.ignoreException = config.ignoreException();
        this.recordResult = config.recordResult() == CircuitBreakerConfig.NO_RESULT ? null : config.recordResult();
        this.events = new BreakerEvents(name, clock);
        this.rejectedOpen = rejection(State.OPEN, "permits no calls until its wait is over");
        this.rejectedForcedOpen = rejection(State.FORCED_OPEN, "permits no calls until it is transitioned manually");
        this.rejectedHalfOpen = rejection(State.HALF_OPEN, "all "
                + config.permittedNumberOfCallsInHalfOpenState() + " permitted probe calls are in flight");
        this.state = BreakerState.closed(newSlidingWindow());
    }

    private Outcome.Rejected<?> rejection(State kind, String reason) {
        return new Outcome.Rejected<>(new CallNotPermittedException(name, kind, reason));
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
        BreakerState admitted = state;
        if (admitted.kind != CLOSED) {
            Object permit = acquireSlow(admitted);
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
        Object permit = acquire();
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
        Object permit = acquire();
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

    // ---------------------------------------------------------------- permission

    /** The state that admits a call, or a preallocated {@link Outcome.Rejected} if none does. */
    Object acquire() {
        BreakerState current = state;
        return current.kind == CLOSED ? current : acquireSlow(current);
    }

    private Object acquireSlow(BreakerState current) {
        while (true) {
            switch (current.kind) {
                case CLOSED:
                case DISABLED:
                case METRICS_ONLY:
                    return current;
                case FORCED_OPEN:
                    return reject(rejectedForcedOpen, State.FORCED_OPEN);
                case OPEN:
                    long now = clock.nanoTime();
                    if (now - current.untilNanos < 0) {
                        return reject(rejectedOpen, State.OPEN);
                    }
                    transition(current, halfOpen(current.failedRounds, now), "the wait in OPEN is over; admitting "
                            + config.permittedNumberOfCallsInHalfOpenState() + " probe calls");
                    break;
                case HALF_OPEN:
                    if (current.tryTakePermit()) {
                        return current;
                    }
                    long checked = clock.nanoTime();
                    if (checked - current.lastProgressNanos < maxWaitInHalfOpenNanos) {
                        return reject(rejectedHalfOpen, State.HALF_OPEN);
                    }
                    reopen(current, checked, "no probe outcome within " + config.maxWaitDurationInHalfOpenState());
                    break;
                default:
                    throw new AssertionError(current.kind);
            }
            current = state;
        }
    }

    private Object reject(Outcome.Rejected<?> rejected, State kind) {
        notPermitted.increment();
        if (events.active()) {
            events.rejected(kind);
        }
        return rejected;
    }

    @Override
    public boolean tryAcquirePermission() {
        return acquire() instanceof BreakerState;
    }

    @Override
    public void releasePermission() {
        release(state);
    }

    private void release(BreakerState admitted) {
        if (admitted.kind == HALF_OPEN) {
            admitted.lastProgressNanos = clock.nanoTime();
            admitted.returnPermit();
        }
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
        BreakerState current = state;
        return current.kind == DISABLED ? null : current;
    }

    private long endOf(BreakerState current) {
        return current.window != null && current.window.needsTime() ? clock.nanoTime() : 0;
    }

    private void returned(BreakerState admitted, long elapsed, long end, Object value) {
        if (recordResult != null && recordResult.test(value)) {
            boolean slow = elapsed > slowCallNanos;
            (slow ? slowFailed : failed).increment();
            record(admitted, true, slow, end);
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
        record(admitted, false, slow, end);
        if (events.active()) {
            events.succeeded(elapsed, slow);
        }
    }

    private void threw(BreakerState admitted, long elapsed, long end, Throwable error) {
        if (error instanceof CancellationException || ignoreException.test(error)) {
            ignored.increment();
            release(admitted);
            if (events.active()) {
                events.ignored(elapsed, error);
            }
        } else if (recordException.test(error)) {
            boolean slow = elapsed > slowCallNanos;
            (slow ? slowFailed : failed).increment();
            record(admitted, true, slow, end);
            if (events.active()) {
                events.failed(elapsed, error, slow);
            }
        } else {
            succeeded(admitted, elapsed, end);
        }
    }

    private void record(BreakerState admitted, boolean failure, boolean slow, long end) {
        if (admitted.kind == CLOSED) {
            if (admitted.window.record(failure, slow, end) == BreakerWindow.ABOVE_THRESHOLDS && state == admitted) {
                long now = clock.nanoTime();
                reopen(admitted, now, admitted.window.counts(now).describe());
            }
            return;
        }
        switch (admitted.kind) {
            case METRICS_ONLY:
                admitted.window.record(failure, slow, end);
                break;
            case HALF_OPEN:
                long now = clock.nanoTime();
                admitted.lastProgressNanos = now;
                int verdict = admitted.window.record(failure, slow, now);
                if (verdict == BreakerWindow.ABOVE_THRESHOLDS) {
                    reopen(admitted, now, "probe calls failed: " + admitted.window.counts(now).describe());
                } else if (verdict == BreakerWindow.BELOW_THRESHOLDS) {
                    transition(admitted, BreakerState.closed(newSlidingWindow()),
                            "probe calls succeeded: " + admitted.window.counts(now).describe());
                }
                break;
            default:
                break; // OPEN, FORCED_OPEN, DISABLED: a call admitted there has nothing to record into
        }
    }

    // ---------------------------------------------------------------- transitions

    /** Opens the breaker from {@code from}; from HALF_OPEN, that is one more failed round of probes. */
    private void reopen(BreakerState from, long now, String reason) {
        int rounds = from.kind == HALF_OPEN ? Math.min(from.failedRounds + 1, MAX_FAILED_ROUNDS) : from.failedRounds;
        long wait = BreakerOpenWait.nanos(config, rounds);
        transition(from, BreakerState.open(from.window, rounds, now + wait),
                reason + "; waiting " + java.time.Duration.ofNanos(wait));
    }

    private BreakerState halfOpen(int failedRounds, long now) {
        int permitted = config.permittedNumberOfCallsInHalfOpenState();
        return BreakerState.halfOpen(new BreakerCountWindow(permitted, probeThresholds), failedRounds, permitted, now);
    }

    private BreakerWindow newSlidingWindow() {
        return config.slidingWindowType() == CircuitBreakerConfig.SlidingWindowType.COUNT_BASED
                ? new BreakerCountWindow(config.slidingWindowSize(), closedThresholds)
                : new BreakerTimeWindow(config.slidingWindowSize(), clock.nanoTime(), closedThresholds);
    }

    /** Replaces {@code from} by {@code to} if {@code from} is still current; the winner logs and publishes. */
    private boolean transition(BreakerState from, BreakerState to, String reason) {
        if (!STATE.compareAndSet(this, from, to)) {
            return false;
        }
        transitions.incrementAndGet();
        LOG.info("circuit breaker '{}' changed from {} to {}: {}", name, from.kind, to.kind, reason);
        if (events.active()) {
            events.transition(from.kind, to.kind);
        }
        return true;
    }

    private boolean manual(State target) {
        while (true) {
            BreakerState current = state;
            if (current.kind == target) {
                return false;
            }
            long now = clock.nanoTime();
            BreakerState next = switch (target) {
                case CLOSED -> BreakerState.closed(newSlidingWindow());
                case OPEN -> BreakerState.open(current.window, current.failedRounds,
                        now + BreakerOpenWait.nanos(config, current.failedRounds));
                case HALF_OPEN -> halfOpen(current.failedRounds, now);
                case FORCED_OPEN -> BreakerState.forcedOpen(current.failedRounds);
                case DISABLED -> BreakerState.disabled();
                case METRICS_ONLY -> BreakerState.metricsOnly(newSlidingWindow());
            };
            if (transition(current, next, "manual transition")) {
                return true;
            }
        }
    }

    @Override
    public boolean transitionToClosed() {
        return manual(CLOSED);
    }

    @Override
    public boolean transitionToOpen() {
        return manual(State.OPEN);
    }

    @Override
    public boolean transitionToHalfOpen() {
        return manual(HALF_OPEN);
    }

    @Override
    public boolean transitionToForcedOpen() {
        return manual(State.FORCED_OPEN);
    }

    @Override
    public boolean transitionToDisabled() {
        return manual(DISABLED);
    }

    @Override
    public boolean transitionToMetricsOnly() {
        return manual(State.METRICS_ONLY);
    }

    @Override
    public void reset() {
        BreakerState current;
        do {
            current = state;
        } while (!transition(current, BreakerState.closed(newSlidingWindow()), "reset"));
    }

    // ---------------------------------------------------------------- queries

    @Override
    public CircuitBreakerConfig config() {
        return config;
    }

    @Override
    public State state() {
        return state.kind;
    }

    @Override
    public CircuitBreakerSnapshot snapshot() {
        BreakerState current = state;
        BreakerWindow.Counts counts = current.window == null ? null : current.window.counts(clock.nanoTime());
        return new CircuitBreakerSnapshot(current.kind,
                counts == null ? -1 : counts.failureRate(), counts == null ? -1 : counts.slowCallRate(),
                counts == null ? 0 : counts.calls(), counts == null ? 0 : counts.failedCalls(),
                counts == null ? 0 : counts.slowCalls(),
                successful.sum(), slowSuccessful.sum(), failed.sum(), slowFailed.sum(), ignored.sum(),
                notPermitted.sum());
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

    /** The current state object (for tests in this package). */
    BreakerState currentState() {
        return state;
    }

    /** How many transitions have been made (for tests in this package). */
    long transitionCount() {
        return transitions.get();
    }

    @Override
    public void onEvent(Consumer<? super CircuitBreakerEvent> listener) {
        events.add(listener);
    }

    @Override
    public boolean removeListener(Consumer<? super CircuitBreakerEvent> listener) {
        return events.remove(listener);
    }

    private static long saturatedNanos(long seconds, int nanos) {
        return seconds >= Long.MAX_VALUE / 4_000_000_000L ? Long.MAX_VALUE / 4 : seconds * 1_000_000_000L + nanos;
    }

    @Override
    public String toString() {
        return "CircuitBreaker[" + name + ", " + state + "]";
    }
}
