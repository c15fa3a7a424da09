package dev.bulwark.resilience;

import static dev.bulwark.resilience.CircuitBreaker.State.CLOSED;
import static dev.bulwark.resilience.CircuitBreaker.State.HALF_OPEN;

import dev.bulwark.resilience.CircuitBreaker.State;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The states of one circuit breaker and the moves between them: who is admitted, where an outcome is
 * recorded, and when the state changes.
 *
 * <pre>
 * How state moves
 *   The current state is one immutable {@link BreakerState} in the volatile field {@link #state}. A
 *   transition builds the next state object and compare-and-sets it over the one it was decided from:
 *   exactly one thread wins, logs the transition and publishes its event; a losing thread does nothing,
 *   because another decision already replaced that state. A call records its outcome into the state object
 *   that admitted it, so outcomes of calls admitted before a transition land in a window nobody reads any
 *   more, and a stale state's verdict fails its compare-and-set.
 *
 * Admission
 *   CLOSED, DISABLED, METRICS_ONLY: the state itself, after one volatile read.
 *   OPEN: one clock reading; once the wait is over, the first caller moves to HALF_OPEN and tries again.
 *   HALF_OPEN: the state carries an AtomicInteger of permits, decremented by CAS only while positive, so at
 *     most {@code permitted} probes are admitted per round however many threads ask. The probes' outcomes
 *     go to a count window of exactly {@code permitted} slots; the recording that fills it gets the verdict,
 *     and its compare-and-set closes or reopens the breaker. When every permit is taken and no outcome came
 *     for {@code maxWaitDurationInHalfOpenState}, the next caller reopens the breaker instead of waiting for
 *     probes that may never report.
 *   A refusal returns a preallocated {@link Outcome.Rejected}: no allocation, no stack trace.
 * </pre>
 */
final class BreakerStateMachine {
    private static final Logger LOG = LoggerFactory.getLogger(CircuitBreaker.class);
    private static final VarHandle STATE;
    /** Caps the failed-round count so that the backoff exponent stays finite. */
    private static final int MAX_FAILED_ROUNDS = 1_000;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(BreakerStateMachine.class, "state", BreakerState.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String name;
    private final CircuitBreakerConfig config;
    private final Clock clock;
    private final long maxWaitInHalfOpenNanos;
    private final BreakerWindow.Thresholds closedThresholds;
    private final BreakerWindow.Thresholds probeThresholds;
    private final BreakerEvents events;
    private final Outcome.Rejected<?> rejectedOpen;
    private final Outcome.Rejected<?> rejectedForcedOpen;
    private final Outcome.Rejected<?> rejectedHalfOpen;
    private final LongAdder notPermitted = new LongAdder();
    /** Transitions made, for tests that check each produced exactly one event. */
    private final AtomicLong transitions = new AtomicLong();

    /** The current state; replaced only by compare-and-set, see the class comment. Read directly on the hot path. */
    volatile BreakerState state;

    BreakerStateMachine(String name, CircuitBreakerConfig config, BreakerEvents events) {
        this.name = name;
        this.config = config;
        this.clock = config.clock();
        this.events = events;
        this.maxWaitInHalfOpenNanos = nanos(config.maxWaitDurationInHalfOpenState());
        this.closedThresholds = new BreakerWindow.Thresholds(config.minimumNumberOfCalls(),
                config.failureRateThreshold(), config.slowCallRateThreshold());
        this.probeThresholds = new BreakerWindow.Thresholds(config.permittedNumberOfCallsInHalfOpenState(),
                config.failureRateThreshold(), config.slowCallRateThreshold());
        this.rejectedOpen = rejection(State.OPEN, "permits no calls until its wait is over");
        this.rejectedForcedOpen = rejection(State.FORCED_OPEN, "permits no calls until it is transitioned manually");
        this.rejectedHalfOpen = rejection(State.HALF_OPEN, "all "
                + config.permittedNumberOfCallsInHalfOpenState() + " permitted probe calls are in flight");
        this.state = BreakerState.closed(newSlidingWindow());
    }

    private Outcome.Rejected<?> rejection(State kind, String reason) {
        return new Outcome.Rejected<>(new CallNotPermittedException(name, kind, reason));
    }

    /** A duration in nanoseconds, saturated far below overflow (a wait of centuries is a wait forever). */
    static long nanos(Duration duration) {
        return duration.getSeconds() >= BreakerOpenWait.MAX_NANOS / 1_000_000_000L
                ? BreakerOpenWait.MAX_NANOS : duration.toNanos();
    }

    // ---------------------------------------------------------------- admission

    /** The state that admits a call, or a preallocated {@link Outcome.Rejected} if none does. */
    Object acquire() {
        BreakerState current = state;
        return current.kind == CLOSED ? current : acquire(current);
    }

    /** {@link #acquire()} when {@code current}, just read, is not CLOSED. */
    Object acquire(BreakerState current) {
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

    /** Gives back the permit of a call {@code admitted} admitted and that records no outcome. */
    void release(BreakerState admitted) {
        if (admitted.kind == HALF_OPEN) {
            admitted.lastProgressNanos = clock.nanoTime();
            admitted.returnPermit();
        }
    }

    // ---------------------------------------------------------------- recording

    /** Records an outcome into the state that admitted the call, and makes the transition it calls for. */
    void record(BreakerState admitted, boolean failure, boolean slow, long endNanos) {
        if (admitted.kind == CLOSED) {
            if (admitted.window.record(failure, slow, endNanos) == BreakerWindow.ABOVE_THRESHOLDS && state == admitted) {
                long now = clock.nanoTime();
                reopen(admitted, now, admitted.window.counts(now).describe());
            }
            return;
        }
        switch (admitted.kind) {
            case METRICS_ONLY:
                admitted.window.record(failure, slow, endNanos);
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
        transition(from, BreakerState.open(from.window, rounds, now + wait), reason + "; waiting " + Duration.ofNanos(wait));
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

    /** Moves to {@code target} unless already there; returns whether this call changed the state. */
    boolean transitionTo(State target) {
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

    /** Closes with an empty window and no failed rounds, whatever the state. */
    void reset() {
        BreakerState current;
        do {
            current = state;
        } while (!transition(current, BreakerState.closed(newSlidingWindow()), "reset"));
    }

    long notPermittedCalls() {
        return notPermitted.sum();
    }

    long transitionCount() {
        return transitions.get();
    }
}
