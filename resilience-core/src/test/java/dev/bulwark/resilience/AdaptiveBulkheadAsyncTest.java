package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The adaptive limit, driven by asynchronous calls on a {@link ManualClock}: each round starts as many calls
 * as the limit allows, lets the given latency pass and answers them all.
 */
class AdaptiveBulkheadAsyncTest {
    private static final Duration FAST = Duration.ofMillis(10);
    private static final Duration QUEUEING = Duration.ofMillis(100);
    private final ManualClock clock = new ManualClock();
    private final List<AdaptiveBulkheadEvent> events = new ArrayList<>();
    private final AdaptiveBulkhead bulkhead = AdaptiveBulkhead.of("search", AdaptiveBulkheadConfig.builder()
            .initialLimit(10)
            .minLimit(2)
            .maxLimit(100)
            .windowMinSamples(10)
            .windowMinDuration(Duration.ZERO)
            .clock(clock)
            .build());

    AdaptiveBulkheadAsyncTest() {
        bulkhead.onEvent(events::add);
    }

    /** Fills the bulkhead, lets {@code latency} pass, then answers every call the way {@code answer} says. */
    private int round(Duration latency, boolean timeOut) {
        List<CompletableFuture<String>> remotes = new ArrayList<>();
        while (true) {
            CompletableFuture<String> remote = new CompletableFuture<>();
            CompletableFuture<String> result = bulkhead.callAsync(() -> remote).toCompletableFuture();
            if (result.isCompletedExceptionally()) {
                break;
            }
            remotes.add(remote);
        }
        clock.advance(latency);
        for (CompletableFuture<String> remote : remotes) {
            if (timeOut) {
                remote.completeExceptionally(new TimeoutException("too slow"));
            } else {
                remote.complete("hits");
            }
        }
        return remotes.size();
    }

    @Test
    void theLimitRisesWhileLatencyStaysAtTheNoLoadMinimum() {
        List<Integer> limits = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            round(FAST, false);
            limits.add(bulkhead.limit());
        }

        assertThat(limits).isSorted();
        assertThat(bulkhead.limit()).isGreaterThanOrEqualTo(20);
        assertThat(bulkhead.noLoadLatency()).isEqualTo(FAST);
        assertThat(bulkhead.inFlight()).isZero();
    }

    @Test
    void theLimitFallsWhenLatencyGrows() {
        for (int i = 0; i < 6; i++) {
            round(FAST, false);
        }
        int raised = bulkhead.limit();

        List<Integer> limits = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            round(QUEUEING, false);
            limits.add(bulkhead.limit());
        }

        assertThat(limits).isSortedAccordingTo((a, b) -> Integer.compare(b, a));
        assertThat(bulkhead.limit()).isLessThan(raised / 2);
        assertThat(bulkhead.noLoadLatency()).as("the no-load latency is the minimum seen").isEqualTo(FAST);
    }

    @Test
    void theLimitNeverLeavesItsRange() {
        for (int i = 0; i < 200; i++) {
            round(FAST, false);
        }
        assertThat(bulkhead.limit()).isEqualTo(100);

        for (int i = 0; i < 200; i++) {
            round(QUEUEING.multipliedBy(10), false);
        }
        assertThat(bulkhead.limit()).as("no more than beta calls can be seen queueing").isBetween(2, 6);
        for (int i = 0; i < 200; i++) {
            round(QUEUEING, true);
        }
        assertThat(bulkhead.limit()).isEqualTo(2);
    }

    @Test
    void timeoutsAreDropsThatCutTheLimitByTheBackoffRatio() {
        round(FAST, true);

        assertThat(bulkhead.limit()).isEqualTo(9);
        assertThat(events).contains(new AdaptiveBulkheadEvent.LimitChanged("search",
                java.time.Instant.ofEpochMilli(clock.currentTimeMillis()), 10, 9, Duration.ZERO, Duration.ZERO));
    }

    @Test
    void overTheLimitACallIsRefusedAtOnceWithoutStarting() {
        int admitted = 0;
        for (int i = 0; i < 10; i++) {
            bulkhead.callAsync(CompletableFuture::new);
            admitted++;
        }

        CompletableFuture<Object> refused = bulkhead.callAsync(() -> {
            throw new AssertionError("a refused call must not start");
        }).toCompletableFuture();

        assertThat(admitted).isEqualTo(10);
        assertThat(refused.handle((v, e) -> e).join())
                .isInstanceOf(AdaptiveBulkheadFullException.class)
                .hasMessage("adaptive bulkhead 'search' is full (limit=10, minLimit=2, maxLimit=100)");
        assertThat(events).contains(new AdaptiveBulkheadEvent.CallRejected("search",
                java.time.Instant.ofEpochMilli(clock.currentTimeMillis()), 10));
    }

    @Test
    void cancellingACallFreesItsPlaceAndCountsNoLatency() {
        CompletableFuture<String> remote = new CompletableFuture<>();
        CompletableFuture<String> result = bulkhead.callAsync(() -> remote).toCompletableFuture();
        assertThat(bulkhead.inFlight()).isEqualTo(1);

        result.cancel(true);

        assertThat(remote).isCancelled();
        assertThat(bulkhead.inFlight()).isZero();
        assertThat(bulkhead.noLoadLatency()).isEqualTo(Duration.ZERO);
    }

    @Test
    void aFailureThatIsNotADropIsIgnored() {
        for (int i = 0; i < 30; i++) {
            bulkhead.<String>callAsync(() -> CompletableFuture.failedFuture(new IllegalStateException("bad input")));
        }

        assertThat(bulkhead.limit()).isEqualTo(10);
        assertThat(bulkhead.inFlight()).isZero();
        assertThat(events).isEmpty();
    }
}
