package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** The synchronous behaviour of {@link AdaptiveBulkhead}; see {@link AdaptiveBulkheadAsyncTest}. */
class AdaptiveBulkheadTest {
    private final ManualClock clock = new ManualClock();

    private AdaptiveBulkhead bulkhead(AdaptiveBulkheadConfig.Builder builder) {
        return AdaptiveBulkhead.of("search", builder
                .windowMinSamples(10)
                .windowMinDuration(Duration.ZERO)
                .clock(clock)
                .build());
    }

    private AdaptiveBulkhead bulkhead() {
        return bulkhead(AdaptiveBulkheadConfig.builder().initialLimit(10).minLimit(2).maxLimit(100));
    }

    private static String timeOut() {
        throw new IllegalStateException("timed out", new TimeoutException());
    }

    @Test
    void aCallCountsAsInFlightWhileItRuns() {
        AdaptiveBulkhead bulkhead = bulkhead();

        int during = bulkhead.call(bulkhead::inFlight);

        assertThat(during).isEqualTo(1);
        assertThat(bulkhead.inFlight()).isZero();
        assertThat(bulkhead.permittedCalls()).isEqualTo(1);
    }

    @Test
    void overTheLimitACallIsRefused() {
        AdaptiveBulkhead bulkhead = bulkhead();
        for (int i = 0; i < 10; i++) {
            bulkhead.callAsync(CompletableFuture::new);
        }

        assertThatThrownBy(() -> bulkhead.call(() -> "never"))
                .isInstanceOf(AdaptiveBulkheadFullException.class)
                .hasMessage("adaptive bulkhead 'search' is full (limit=10, minLimit=2, maxLimit=100)")
                .satisfies(e -> assertThat(((AdaptiveBulkheadFullException) e).limit()).isEqualTo(10));
        Outcome<String> outcome = bulkhead.attempt(() -> "never");
        assertThat(outcome).isInstanceOf(Outcome.Rejected.class);
        assertThat(bulkhead.rejectedCalls()).isEqualTo(2);
    }

    @Test
    void aFailingCallLeavesAndItsFailureIsRethrownUnchanged() {
        AdaptiveBulkhead bulkhead = bulkhead();
        IllegalArgumentException bad = new IllegalArgumentException("bad");

        assertThatThrownBy(() -> bulkhead.call(() -> {
            throw bad;
        })).isSameAs(bad);
        assertThat(bulkhead.attempt(() -> {
            throw bad;
        })).isEqualTo(Outcome.failure(bad));
        assertThat(bulkhead.inFlight()).isZero();
    }

    @Test
    void oneCallerAtATimeDoesNotTestTheLimitSoItStays() {
        AdaptiveBulkhead bulkhead = bulkhead();

        for (int i = 0; i < 100; i++) {
            bulkhead.call(() -> {
                clock.advance(Duration.ofMillis(10));
                return "hits";
            });
        }

        assertThat(bulkhead.limit()).isEqualTo(10);
        assertThat(bulkhead.noLoadLatency()).isEqualTo(Duration.ofMillis(10));
    }

    @Test
    void timeoutsCutTheLimit() {
        AdaptiveBulkhead bulkhead = bulkhead(AdaptiveBulkheadConfig.builder().initialLimit(10).minLimit(2)
                .maxLimit(100).dropOn(failure -> failure.getCause() instanceof TimeoutException));

        for (int i = 0; i < 10; i++) {
            bulkhead.attempt(AdaptiveBulkheadTest::timeOut);
        }
        assertThat(bulkhead.limit()).isEqualTo(9);
        for (int i = 0; i < 10; i++) {
            assertThatThrownBy(() -> bulkhead.call(AdaptiveBulkheadTest::timeOut)).hasMessage("timed out");
        }

        assertThat(bulkhead.limit()).isEqualTo(8);
    }

    @Test
    void theLimitRisesForConcurrentCallersAtLowLatency() throws InterruptedException {
        AdaptiveBulkhead bulkhead = bulkhead();
        for (int round = 0; round < 3; round++) {
            int callers = bulkhead.limit();
            CountDownLatch answer = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                Thread thread = new Thread(() -> bulkhead.run(() -> await(answer)));
                threads.add(thread);
                thread.start();
            }
            Eventually.until(() -> bulkhead.inFlight() == callers);
            clock.advance(Duration.ofMillis(10));
            answer.countDown();
            for (Thread thread : threads) {
                thread.join(5_000);
            }
        }

        assertThat(bulkhead.limit()).isGreaterThan(12);
        assertThat(bulkhead.inFlight()).isZero();
    }

    @Test
    void runAndDecorateGoThroughTheBulkhead() {
        AdaptiveBulkhead bulkhead = bulkhead();
        List<Integer> seen = new ArrayList<>();

        bulkhead.run(() -> seen.add(bulkhead.inFlight()));
        seen.add(bulkhead.decorate(bulkhead::inFlight).get());

        assertThat(seen).containsExactly(1, 1);
        assertThat(bulkhead.permittedCalls()).isEqualTo(2);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
