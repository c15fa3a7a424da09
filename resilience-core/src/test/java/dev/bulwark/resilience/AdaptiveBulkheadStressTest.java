package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Many threads against one adaptive bulkhead, on the real clock: admission never exceeds the limit. */
class AdaptiveBulkheadStressTest {
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxSeen = new AtomicInteger();
    private final AtomicInteger overLimit = new AtomicInteger();

    @Test
    void aPinnedLimitIsNeverExceeded() throws InterruptedException {
        AdaptiveBulkhead bulkhead = AdaptiveBulkhead.of("pinned", AdaptiveBulkheadConfig.builder()
                .initialLimit(1).minLimit(1).maxLimit(1).build());

        hammer(bulkhead, 4, 100_000);

        assertThat(maxSeen.get()).isEqualTo(1);
        assertThat(bulkhead.inFlight()).isZero();
    }

    @Test
    void aMovingLimitNeverLetsMoreThanItsMaximumIn() throws InterruptedException {
        AdaptiveBulkhead bulkhead = AdaptiveBulkhead.of("moving", AdaptiveBulkheadConfig.builder()
                .initialLimit(4).minLimit(2).maxLimit(8).windowMinSamples(20).windowMinDuration(Duration.ZERO)
                .build());

        hammer(bulkhead, 8, 20_000);

        assertThat(maxSeen.get()).isBetween(1, 8);
        assertThat(overLimit).as("calls admitted beyond maxLimit").hasValue(0);
        assertThat(bulkhead.inFlight()).isZero();
        assertThat(bulkhead.permittedCalls() + bulkhead.rejectedCalls()).isEqualTo(8 * 20_000L);
    }

    private void hammer(AdaptiveBulkhead bulkhead, int threads, int attemptsEach) throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < attemptsEach; i++) {
                    bulkhead.attempt(() -> {
                        int now = inFlight.incrementAndGet();
                        maxSeen.accumulateAndGet(now, Math::max);
                        if (now > bulkhead.config().maxLimit()) {
                            overLimit.incrementAndGet();
                        }
                        return inFlight.decrementAndGet();
                    });
                }
            });
            started.add(thread);
            thread.start();
        }
        start.countDown();
        for (Thread thread : started) {
            thread.join(60_000);
        }
    }
}
