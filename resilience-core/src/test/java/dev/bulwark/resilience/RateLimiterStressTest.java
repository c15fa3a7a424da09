package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Many threads against one rate limiter: no period ever hands out more than its limit. The clock is a
 * {@link ManualClock}, moved by the test, so each period's count is exact. Bounded to a few thousand calls.
 */
class RateLimiterStressTest {
    private static final int THREADS = 8;
    private static final int LIMIT = 1_000;
    private static final Duration PERIOD = Duration.ofSeconds(1);
    private static final int CALLS_EACH = 3 * LIMIT / THREADS + 50;
    private final ManualClock clock = new ManualClock();

    private RateLimiter limiter(Duration timeout) {
        return limiter(LIMIT, timeout);
    }

    private RateLimiter limiter(int limit, Duration timeout) {
        return RateLimiter.of("stress", RateLimiterConfig.builder()
                .limitForPeriod(limit)
                .limitRefreshPeriod(PERIOD)
                .timeout(timeout)
                .clock(clock)
                .scheduler(clock)
                .build());
    }

    /** Periods of a second lease permits to threads; periods shorter than a millisecond never do. */
    @ParameterizedTest
    @ValueSource(longs = {1_000_000_000L, 500_000L})
    void everyPeriodHandsOutExactlyItsLimitUnderContention(long periodNanos) throws Exception {
        // Big periods, so that each round keeps every thread busy long enough to overlap with the others.
        int limit = 100_000;
        Duration period = Duration.ofNanos(periodNanos);
        RateLimiter limiter = RateLimiter.of("stress", RateLimiterConfig.builder()
                .limitForPeriod(limit)
                .limitRefreshPeriod(period)
                .clock(clock)
                .build());
        int rounds = 3;
        AtomicInteger grantedThisRound = new AtomicInteger();
        List<Integer> grantedPerRound = new ArrayList<>();
        CyclicBarrier barrier = new CyclicBarrier(THREADS, () -> {
            // Alone now: take whatever permits the busy threads left in leases, so the count is exact.
            while (limiter.attempt(() -> "ok").isSuccess()) {
                grantedThisRound.incrementAndGet();
            }
            grantedPerRound.add(grantedThisRound.getAndSet(0));
            clock.advance(period);
        });

        runConcurrently(() -> {
            for (int round = 0; round < rounds; round++) {
                for (int i = 0; i < 2 * limit / THREADS + 1; i++) {
                    if (limiter.attempt(() -> "ok").isSuccess()) {
                        grantedThisRound.incrementAndGet();
                    }
                }
                barrier.await();
            }
            return null;
        });

        assertThat(grantedPerRound).hasSize(rounds).containsOnly(limit);
    }

    @Test
    void noPeriodHandsOutMoreThanItsLimitWhileTimeMovesUnderTheCallers() throws Exception {
        RateLimiter limiter = limiter(Duration.ZERO);
        long start = clock.nanoTime();
        AtomicInteger granted = new AtomicInteger();
        AtomicInteger attempts = new AtomicInteger();

        runConcurrently(() -> {
            for (int i = 0; i < 20_000; i++) {
                if (attempts.incrementAndGet() % 2_000 == 0) {
                    clock.advance(PERIOD.dividedBy(7)); // time moves while the other threads are mid-call
                }
                if (limiter.attempt(() -> "ok").isSuccess()) {
                    granted.incrementAndGet();
                }
            }
            return null;
        });

        long periodsBegun = (clock.nanoTime() - start) / PERIOD.toNanos() + 1;
        assertThat(granted.get()).isBetween(LIMIT, (int) (periodsBegun * LIMIT));
    }

    @Test
    void reservationsFillEachLaterPeriodExactlyToItsLimit() throws Exception {
        RateLimiter limiter = limiter(PERIOD.multipliedBy(2));
        List<CompletableFuture<String>> results = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicInteger started = new AtomicInteger();

        runConcurrently(() -> {
            for (int i = 0; i < CALLS_EACH; i++) {
                results.add(limiter.<String>callAsync(() -> {
                    started.incrementAndGet();
                    return CompletableFuture.completedFuture("ok");
                }).toCompletableFuture());
            }
            return null;
        });

        Map<Duration, Long> waitsByDelay = clock.pendingTasks().stream()
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertThat(waitsByDelay).containsOnly(Map.entry(PERIOD, (long) LIMIT), Map.entry(PERIOD.multipliedBy(2),
                (long) LIMIT));
        assertThat(started).hasValue(LIMIT);
        assertThat(results.stream().filter(r -> r.isCompletedExceptionally()).count())
                .isEqualTo(THREADS * CALLS_EACH - 3 * LIMIT);
        clock.advance(PERIOD.multipliedBy(2));
        assertThat(started).hasValue(3 * LIMIT);
    }

    private static void runConcurrently(java.util.concurrent.Callable<Void> body) throws InterruptedException {
        CyclicBarrier start = new CyclicBarrier(THREADS);
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                    body.call();
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join(60_000);
        }
        assertThat(failures).isEmpty();
    }
}
