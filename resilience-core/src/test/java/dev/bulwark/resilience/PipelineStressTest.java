package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Many threads through one pipeline at once: the policies keep no per-call state on the instance, so every
 * call must end exactly once in each policy's counts, whatever the interleaving.
 */
class PipelineStressTest {
    private static final int THREADS = 4;
    private static final int CALLS_PER_THREAD = 5_000;

    @Test
    void everyConcurrentCallIsCountedExactlyOnceByEveryPolicy() throws Exception {
        Fallback fallback = Fallback.ofValue("fallback", -1L);
        Retry retry = Retry.of("retry", RetryConfig.builder().maxAttempts(2).backoff(RetryBackoff.none()).build());
        Timeout timeout = Timeout.of("timeout", TimeoutConfig.builder().timeout(Duration.ofSeconds(30)).build());
        Pipeline pipeline = Pipeline.of(fallback, retry, timeout);
        AtomicLong attempts = new AtomicLong();
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<long[]>> results = new ArrayList<>();
        try {
            for (int t = 0; t < THREADS; t++) {
                results.add(CompletableFuture.supplyAsync(() -> {
                    long[] tally = new long[2]; // [values returned, fallbacks]
                    await(start);
                    for (int i = 0; i < CALLS_PER_THREAD; i++) {
                        long n = i;
                        boolean[] failedOnce = {false};
                        long value = pipeline.call(() -> {
                            attempts.incrementAndGet();
                            if (n % 10 == 0 && !failedOnce[0]) {
                                failedOnce[0] = true;
                                throw new IllegalStateException("flaky");
                            }
                            if (n % 100 == 1) {
                                throw new IllegalStateException("broken");
                            }
                            return n;
                        });
                        tally[value == -1L ? 1 : 0]++;
                    }
                    return tally;
                }, threads));
            }
            start.countDown();
            long returned = 0;
            long fallbacks = 0;
            for (CompletableFuture<long[]> result : results) {
                long[] tally = result.get(60, TimeUnit.SECONDS);
                returned += tally[0];
                fallbacks += tally[1];
            }

            long total = (long) THREADS * CALLS_PER_THREAD;
            assertThat(returned + fallbacks).isEqualTo(total);
            assertThat(fallbacks).isEqualTo(total / 100); // only the always-broken calls fall back
            assertThat(retry.metrics().successfulWithRetry()).isEqualTo(total / 10); // the flaky ones recover
            Retry.Metrics r = retry.metrics();
            assertThat(r.successfulWithoutRetry() + r.successfulWithRetry() + r.failedWithoutRetry()
                    + r.failedWithRetry()).isEqualTo(total);
            assertThat(attempts.get()).isEqualTo(total + r.retries());
            assertThat(timeout.metrics().successful() + timeout.metrics().failed()).isEqualTo(attempts.get());
            assertThat(fallback.metrics()).isEqualTo(new Fallback.Metrics(returned, fallbacks, 0));
        } finally {
            threads.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
