package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Many threads against one bulkhead, on the real clock: the limit is never exceeded and no permit leaks,
 * whatever mix of waiting, failing, completing and cancelling calls. Bounded to a few thousand calls.
 */
class BulkheadStressTest {
    private static final int LIMIT = 3;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxSeen = new AtomicInteger();
    private final ExecutorService completer = Executors.newFixedThreadPool(2);

    @AfterEach
    void stop() {
        completer.shutdownNow();
    }

    private final Bulkhead bulkhead = Bulkhead.of("stress", BulkheadConfig.builder()
            .maxConcurrentCalls(LIMIT)
            .maxWait(Duration.ofSeconds(30))
            .build());

    private void enter() {
        int now = inFlight.incrementAndGet();
        maxSeen.accumulateAndGet(now, Math::max);
    }

    @Test
    void theLockFreePathNeverHandsOutMorePermitsThanItHas() throws InterruptedException {
        int limit = 1; // one stripe that every thread fights over: two holders at once would be seen
        Bulkhead noWait = Bulkhead.of("no-wait", BulkheadConfig.builder().maxConcurrentCalls(limit).build());
        int threads = 4;
        int attemptsEach = 100_000;
        runConcurrently(threads, () -> {
            for (int i = 0; i < attemptsEach; i++) {
                noWait.attempt(() -> {
                    enter();
                    return inFlight.decrementAndGet();
                });
            }
        });

        assertThat(maxSeen.get()).isBetween(1, limit);
        assertThat(noWait.permittedCalls() + noWait.rejectedCalls()).isEqualTo((long) threads * attemptsEach);
        assertThat(noWait.availablePermits()).isEqualTo(limit);
    }

    @Test
    void synchronousCallersNeverExceedTheLimit() throws InterruptedException {
        int threads = 8;
        int callsEach = 2_000;
        runConcurrently(threads, () -> {
            for (int i = 0; i < callsEach; i++) {
                boolean fail = i % 7 == 0;
                try {
                    bulkhead.run(() -> {
                        enter();
                        Thread.yield();
                        inFlight.decrementAndGet();
                        if (fail) {
                            throw new IllegalStateException("failing call");
                        }
                    });
                } catch (IllegalStateException expected) {
                    // failures give their permits back too
                }
            }
        });

        assertThat(maxSeen.get()).isBetween(1, LIMIT);
        assertThat(bulkhead.permittedCalls()).isEqualTo((long) threads * callsEach);
        assertThat(bulkhead.rejectedCalls()).isZero();
        assertThat(bulkhead.availablePermits()).isEqualTo(LIMIT);
        assertThat(bulkhead.waitingCalls()).isZero();
    }

    @Test
    void asynchronousCallsNeverExceedTheLimit() throws Exception {
        int threads = 4;
        int callsEach = 500;
        List<CompletableFuture<Integer>> results = new java.util.concurrent.CopyOnWriteArrayList<>();
        runConcurrently(threads, () -> {
            for (int i = 0; i < callsEach; i++) {
                results.add(bulkhead.<Integer>callAsync(() -> {
                    enter();
                    CompletableFuture<Integer> remote = new CompletableFuture<>();
                    completer.execute(() -> {
                        inFlight.decrementAndGet();
                        remote.complete(1);
                    });
                    return remote;
                }).toCompletableFuture());
            }
        });

        int sum = 0;
        for (CompletableFuture<Integer> result : results) {
            sum += result.get(30, TimeUnit.SECONDS);
        }
        assertThat(sum).isEqualTo(threads * callsEach);
        assertThat(maxSeen.get()).isBetween(1, LIMIT);
        Eventually.until(() -> bulkhead.availablePermits() == LIMIT);
        assertThat(bulkhead.waitingCalls()).isZero();
    }

    @Test
    void cancellingAndCompletingInAnyOrderNeverLeaksAPermit() throws Exception {
        int threads = 4;
        int callsEach = 500;
        List<CompletableFuture<String>> results = new java.util.concurrent.CopyOnWriteArrayList<>();
        runConcurrently(threads, () -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int i = 0; i < callsEach; i++) {
                CompletableFuture<String> result = bulkhead.<String>callAsync(() -> {
                    CompletableFuture<String> remote = new CompletableFuture<>();
                    completer.execute(() -> remote.complete("done"));
                    return remote;
                }).toCompletableFuture();
                results.add(result);
                if (random.nextInt(3) == 0) {
                    result.cancel(true);
                }
                if (random.nextInt(5) == 0) {
                    bulkhead.run(Thread::yield);
                }
            }
        });

        for (CompletableFuture<String> result : results) {
            result.handle((v, e) -> v).get(30, TimeUnit.SECONDS);
        }
        Eventually.until(() -> bulkhead.availablePermits() == LIMIT);
        assertThat(bulkhead.waitingCalls()).isZero();
        assertThat(bulkhead.rejectedCalls()).isZero();
    }

    private static void runConcurrently(int threads, Runnable body) throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> started = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                    body.run();
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            started.add(thread);
            thread.start();
        }
        start.countDown();
        for (Thread thread : started) {
            thread.join(60_000);
        }
        assertThat(failures).isEmpty();
    }
}
