package dev.bulwark.examples;

import dev.bulwark.examples.FulfilmentSaga.ShopOrder;
import dev.bulwark.resilience.CircuitBreaker;
import dev.bulwark.resilience.CircuitBreakerEvent;
import dev.bulwark.saga.SagaHandle;
import dev.bulwark.saga.SagaResult;
import dev.bulwark.saga.SagaState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What happened during a scenario run, with the time of each thing: phases, breaker transitions and rejections,
 * every HTTP attempt, and each order from its placement to the end of its saga. Written from many threads (the
 * placers, the saga threads, the breakers' listeners), read for the progress line and the reports.
 *
 * <p>Times are nanoseconds since the run started; breaker transitions also keep the breaker's wall-clock time.
 */
final class Timeline {

    /** A phase began. */
    record PhaseMark(int index, String name, long atNanos) {}

    /** A breaker changed state. */
    record Transition(String breaker, long atNanos, long wallMillis, CircuitBreaker.State from,
            CircuitBreaker.State to) {}

    /** A breaker refused a call. */
    record Rejection(String breaker, long atNanos) {}

    /**
     * One order.
     *
     * @param endedNanos when its saga ended, or -1 while it runs
     * @param state how its saga ended, or {@code null} while it runs or when this node lost track of it
     * @param failure why it did not complete, grouped as the report tallies it (see {@link ScenarioReport#reason}),
     *     or {@code null}
     * @param placed whether the command that placed it succeeded
     * @param sawOwnWrite whether the query right after placing it found it
     */
    record OrderTrack(String orderId, int phase, long placedNanos, long endedNanos, SagaState state, String failure,
            boolean placed, boolean sawOwnWrite) {}

    private volatile long startNanos = System.nanoTime();
    private volatile long startMillis = System.currentTimeMillis();
    private final List<PhaseMark> phases = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Transition> transitions = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Rejection> rejections = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<CallSample> samples = new ConcurrentLinkedQueue<>();
    private final Map<String, OrderTrack> orders = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Guarded by {@link #lock}: placed successfully, placement failed, sagas ended (by outcome). */
    private int placed;
    private int placementFailures;
    private int ended;
    private int completed;
    private int compensated;

    /** Starts the clock again: times are measured from now on. */
    void begin() {
        startNanos = System.nanoTime();
        startMillis = System.currentTimeMillis();
    }

    /** When the run started, by the wall clock. */
    long startMillis() {
        return startMillis;
    }

    /** Nanoseconds since the run started. */
    long now() {
        return System.nanoTime() - startNanos;
    }

    void phase(int index, String name) {
        phases.add(new PhaseMark(index, name, now()));
    }

    /** A listener for a breaker: records its transitions and rejections. */
    void breakerEvent(CircuitBreakerEvent event) {
        if (event instanceof CircuitBreakerEvent.StateTransition transition) {
            transitions.add(new Transition(transition.breakerName(), now(), transition.timestampMillis(),
                    transition.from(), transition.to()));
        } else if (event instanceof CircuitBreakerEvent.CallRejected) {
            rejections.add(new Rejection(event.breakerName(), now()));
        }
    }

    /** Records an HTTP attempt. */
    void call(CallSample sample) {
        samples.add(sample);
    }

    /** An order is about to be placed in phase {@code phase}. */
    void placing(String orderId, int phase) {
        orders.put(orderId, new OrderTrack(orderId, phase, now(), -1, null, null, false, false));
    }

    /** The order was placed; {@code sawOwnWrite}: the query right after found it. */
    void placed(String orderId, boolean sawOwnWrite) {
        orders.computeIfPresent(orderId, (id, t) -> new OrderTrack(id, t.phase(), t.placedNanos(), t.endedNanos(),
                t.state(), t.failure(), true, sawOwnWrite));
        count(() -> placed++);
    }

    /** Placing the order failed: there is no order. */
    void placementFailed(String orderId, Throwable failure) {
        orders.computeIfPresent(orderId, (id, t) -> new OrderTrack(id, t.phase(), t.placedNanos(), now(), null,
                "placement failed: " + failure, false, false));
        count(() -> placementFailures++);
    }

    /** A saga started for the order: its end will be recorded. */
    void sagaStarted(String orderId, SagaHandle<ShopOrder> handle) {
        handle.result().whenComplete((result, failure) -> ended(orderId, result, failure));
    }

    private void ended(String orderId, SagaResult<ShopOrder> result, Throwable failure) {
        SagaState state = result == null ? null : result.state();
        String why = result == null ? String.valueOf(failure)
                : result.reason() == null ? null : ScenarioReport.reason(result.reason());
        long at = now();
        // A saga may end before its placer records the placement: the command had succeeded, so it is placed.
        orders.compute(orderId, (id, t) -> t == null ? new OrderTrack(id, -1, at, at, state, why, true, false)
                : new OrderTrack(id, t.phase(), t.placedNanos(), at, state, why, true, t.sawOwnWrite()));
        count(() -> {
            ended++;
            if (state == SagaState.COMPLETED) {
                completed++;
            } else if (state == SagaState.COMPENSATED) {
                compensated++;
            }
        });
    }

    /** Counts as the progress line shows them. */
    record Counts(int placed, int placementFailures, int ended, int completed, int compensated) {
        int inFlight() {
            return placed - ended;
        }
    }

    Counts counts() {
        lock.lock();
        try {
            return new Counts(placed, placementFailures, ended, completed, compensated);
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the saga of every placed order has ended; false if that takes longer than {@code timeout}. */
    boolean awaitSettled(Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (ended < placed) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = changed.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    List<PhaseMark> phases() {
        return List.copyOf(phases);
    }

    List<Transition> transitions() {
        List<Transition> list = new ArrayList<>(transitions);
        list.sort(Comparator.comparingLong(Transition::atNanos));
        return list;
    }

    List<Rejection> rejections() {
        return List.copyOf(rejections);
    }

    List<CallSample> samples() {
        return List.copyOf(samples);
    }

    /** Converts a sample's start time to nanoseconds since the run started. */
    long sinceStart(CallSample sample) {
        return sample.startNanos() - startNanos;
    }

    List<OrderTrack> orders() {
        return List.copyOf(orders.values());
    }

    OrderTrack order(String orderId) {
        return orders.get(Objects.requireNonNull(orderId, "orderId"));
    }

    private void count(Runnable change) {
        lock.lock();
        try {
            change.run();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
