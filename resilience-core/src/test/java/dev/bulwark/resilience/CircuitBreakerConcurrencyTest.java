package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.resilience.CircuitBreaker.State;
import dev.bulwark.resilience.CircuitBreakerConfig.SlidingWindowType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Many threads hammer one breaker. Bounded iterations, a manual clock moved by the test thread: each test
 * takes well under a few seconds on two cores.
 */
class CircuitBreakerConcurrencyTest {
    private static final int THREADS = 8;
    private static final IllegalStateException DOWN = new IllegalStateException("down");
    private static final IllegalArgumentException IGNORED = new IllegalArgumentException("ignored");

    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

    @AfterEach
    void shutDown() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    /** Per half-open round: probes running now, the most seen at once, probes admitted, permits given back. */
    private static final class Round {
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger mostAtOnce = new AtomicInteger();
        final AtomicInteger admitted = new AtomicInteger();
        final AtomicInteger released = new AtomicInteger();
    }

    @Test
    void cyclesThroughOpenHalfOpenAndClosedWithoutEverAdmittingTooManyProbes() throws Exception {
        ManualClock clock = new ManualClock();
        DefaultCircuitBreaker breaker = (DefaultCircuitBreaker) CircuitBreaker.of("stress", CircuitBreakerConfig.builder()
                .clock(clock)
                .slidingWindow(SlidingWindowType.COUNT_BASED, 20)
                .minimumNumberOfCalls(10)
                .permittedNumberOfCallsInHalfOpenState(3)
                .waitDurationInOpenState(Duration.ofMillis(1))
                .maxWaitDurationInHalfOpenState(Duration.ofMillis(20)) // some rounds give up on slow probes
                .ignoreExceptions(IllegalArgumentException.class)
                .build());
        ConcurrentLinkedQueue<CircuitBreakerEvent.StateTransition> transitions = new ConcurrentLinkedQueue<>();
        breaker.onEvent(event -> {
            if (event instanceof CircuitBreakerEvent.StateTransition transition) {
                transitions.add(transition);
            }
        });
        Map<BreakerState, Round> rounds = java.util.Collections.synchronizedMap(new IdentityHashMap<>());
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            workers.add(pool.submit(() -> {
                start.await();
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (!stop.get()) {
                    Object permit = breaker.acquire();
                    if (!(permit instanceof BreakerState admitted)) {
                        clock.advanceNanos(100_000); // rejected: let time pass towards the next probe round
                        Thread.yield(); // and let the probes finish
                        continue;
                    }
                    Round round = admitted.kind == State.HALF_OPEN ? rounds.computeIfAbsent(admitted, s -> new Round()) : null;
                    if (round != null) {
                        round.admitted.incrementAndGet();
                        round.mostAtOnce.accumulateAndGet(round.running.incrementAndGet(), Math::max);
                        Thread.yield(); // let other threads try to get in while this probe runs
                    }
                    int dice = random.nextInt(10);
                    Throwable error = dice < 5 ? DOWN : dice == 5 ? IGNORED : null;
                    if (round != null) {
                        round.running.decrementAndGet();
                        if (error == IGNORED) {
                            round.released.incrementAndGet();
                        }
                    }
                    breaker.complete(admitted, 0, error);
                }
                return null;
            }));
        }

        start.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (rounds.size() < 500 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        stop.set(true);
        for (Future<?> worker : workers) {
            worker.get(10, TimeUnit.SECONDS);
        }

        assertThat(rounds).as("the test must actually cycle").hasSizeGreaterThan(100);
        for (Round round : rounds.values()) {
            assertThat(round.mostAtOnce.get()).isLessThanOrEqualTo(3);
            assertThat(round.admitted.get()).isLessThanOrEqualTo(3 + round.released.get());
        }
        assertThat(transitions).hasSize((int) breaker.transitionCount());
        assertChainIsConsistent(transitions, breaker.state());
    }

    /**
     * Each transition leaves the state the previous one entered: per state, entries minus exits is 1 for the
     * final state and 0 for the others (counting the initial CLOSED as an entry). Duplicated or lost events
     * would break the balance.
     */
    private static void assertChainIsConsistent(Iterable<CircuitBreakerEvent.StateTransition> transitions, State last) {
        Map<State, Integer> balance = new EnumMap<>(State.class);
        for (State state : State.values()) {
            balance.put(state, 0);
        }
        balance.merge(State.CLOSED, 1, Integer::sum);
        for (CircuitBreakerEvent.StateTransition transition : transitions) {
            assertThat(transition.from()).isNotEqualTo(transition.to());
            balance.merge(transition.from(), -1, Integer::sum);
            balance.merge(transition.to(), 1, Integer::sum);
        }
        for (State state : State.values()) {
            assertThat(balance.get(state)).as("entries minus exits of %s", state).isEqualTo(state == last ? 1 : 0);
        }
    }

    @Test
    void aCountWindowCountsEveryConcurrentOutcome() throws Exception {
        CircuitBreaker breaker = CircuitBreaker.of("counts", CircuitBreakerConfig.builder().clock(new ManualClock())
                .slidingWindow(SlidingWindowType.COUNT_BASED, CircuitBreakerConfig.MAX_COUNT_WINDOW_SIZE)
                .failureRateThreshold(100).slowCallRateThreshold(100)
                .slowCallDurationThreshold(Duration.ofNanos(1))
                .build());

        long[] expected = hammer(breaker, 20_000);

        assertWindowHolds(breaker, expected);
    }

    @Test
    void aTimeWindowCountsEveryConcurrentOutcome() throws Exception {
        ManualClock clock = new ManualClock();
        CircuitBreaker breaker = CircuitBreaker.of("counts", CircuitBreakerConfig.builder().clock(clock)
                .slidingWindow(SlidingWindowType.TIME_BASED, 10)
                .failureRateThreshold(100).slowCallRateThreshold(100)
                .slowCallDurationThreshold(Duration.ofNanos(1))
                .build());

        long[] expected = hammer(breaker, 20_000);

        assertWindowHolds(breaker, expected);
        clock.advance(Duration.ofSeconds(10));
        assertWindowHolds(breaker, new long[] {0, 0, 0});
    }

    /**
     * Every thread reports outcomes through the permit API: one in three failed, one in four slow (a
     * duration of 2 ns against a 1 ns threshold), never all failed. Returns {calls, failed, slow} reported.
     */
    private long[] hammer(CircuitBreaker breaker, int perThread) throws Exception {
        AtomicLong calls = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong slow = new AtomicLong();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            workers.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < perThread; i++) {
                    assertThat(breaker.tryAcquirePermission()).isTrue();
                    long nanos = i % 4 == 0 ? 2 : 1;
                    if (i % 3 == 0) {
                        breaker.onError(nanos, DOWN);
                        failed.incrementAndGet();
                    } else {
                        breaker.onSuccess(nanos);
                    }
                    slow.addAndGet(nanos == 2 ? 1 : 0);
                    calls.incrementAndGet();
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> worker : workers) {
            worker.get(30, TimeUnit.SECONDS);
        }
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        return new long[] {calls.get(), failed.get(), slow.get()};
    }

    private static void assertWindowHolds(CircuitBreaker breaker, long[] expected) {
        CircuitBreakerSnapshot snapshot = breaker.snapshot();
        assertThat(new long[] {snapshot.windowCalls(), snapshot.windowFailedCalls(), snapshot.windowSlowCalls()})
                .containsExactly(expected);
    }

    @Test
    void afterTheRingWrapsUnderContentionItHoldsExactlyTheLatestOutcomes() throws Exception {
        CircuitBreaker breaker = CircuitBreaker.of("ring", CircuitBreakerConfig.builder().clock(new ManualClock())
                .slidingWindow(SlidingWindowType.COUNT_BASED, 64)
                .failureRateThreshold(100)
                .build());
        breaker.transitionToMetricsOnly(); // records everything, never opens

        runEverywhere(() -> breaker.onError(1, DOWN), 5_000);
        CircuitBreakerSnapshot afterFailures = breaker.snapshot();
        runEverywhere(() -> breaker.onSuccess(1), 5_000);
        CircuitBreakerSnapshot afterSuccesses = breaker.snapshot();

        assertThat(afterFailures.windowCalls()).isEqualTo(64);
        assertThat(afterFailures.windowFailedCalls()).isEqualTo(64);
        assertThat(afterSuccesses.windowCalls()).isEqualTo(64);
        assertThat(afterSuccesses.windowFailedCalls()).isZero();
    }

    private void runEverywhere(Runnable action, int perThread) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            workers.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < perThread; i++) {
                    action.run();
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> worker : workers) {
            worker.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aTimeWindowDrainsToZeroAfterOutcomesRecordedWhileTheClockRaced() throws Exception {
        ManualClock clock = new ManualClock();
        CircuitBreaker breaker = CircuitBreaker.of("drain", CircuitBreakerConfig.builder().clock(clock)
                .slidingWindow(SlidingWindowType.TIME_BASED, 3)
                .build());
        breaker.transitionToMetricsOnly();
        AtomicBoolean done = new AtomicBoolean();

        Future<?> ticker = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "clock");
            thread.setDaemon(true);
            return thread;
        }).submit(() -> {
            while (!done.get()) {
                clock.advance(Duration.ofMillis(7));
                Thread.yield();
            }
        });
        runEverywhere(() -> breaker.onError(1, DOWN), 20_000);
        done.set(true);
        ticker.get(10, TimeUnit.SECONDS);

        clock.advance(Duration.ofSeconds(3));
        assertWindowHolds(breaker, new long[] {0, 0, 0});
        breaker.onSuccess(1);
        assertWindowHolds(breaker, new long[] {1, 0, 0});
    }
}
