package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** A deadline set by a Timeout is respected by the Retry inside it. */
class DeadlineTest {
    private final ManualClock clock = new ManualClock();
    private final long start = clock.nanoTime();
    private final List<Long> attemptMillis = new ArrayList<>();
    private final List<RetryEvent> events = new ArrayList<>();

    private Timeout timeout(Duration limit) {
        return Timeout.of("overall", TimeoutConfig.builder().timeout(limit).clock(clock).scheduler(clock).build());
    }

    private Retry retry(Duration backoff) {
        Retry retry = Retry.of("inner", RetryConfig.builder().maxAttempts(100).backoff(RetryBackoff.fixed(backoff))
                .clock(clock).scheduler(clock).build());
        retry.onEvent(events::add);
        return retry;
    }

    @Test
    void noDeadlineOutsideATimeout() {
        assertThat(Deadline.current()).isEmpty();
        assertThat(Deadline.currentRemainingNanos()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aSyncRetryInsideATimeoutDoesNotSleepABackoffThatEndsPastTheDeadline() {
        Pipeline pipeline = Pipeline.of(timeout(Duration.ofSeconds(1)), retry(Duration.ofMillis(300)));

        assertThatThrownBy(() -> pipeline.call(() -> {
            attemptMillis.add((clock.nanoTime() - start) / 1_000_000);
            clock.sleep(TimeUnit.MILLISECONDS.toNanos(50));
            throw new IllegalStateException("down");
        })).isInstanceOf(IllegalStateException.class).hasMessage("down");

        // attempts at 0, 350, 700; after the third (ends at 750) a 300 ms backoff would end at 1050 > 1000
        assertThat(attemptMillis).containsExactly(0L, 350L, 700L);
        assertThat(events).last().isInstanceOfSatisfying(RetryEvent.Exhausted.class,
                exhausted -> assertThat(exhausted.reason()).isEqualTo(RetryEvent.Reason.DEADLINE));
        assertThat(clock.nanoTime() - start).isEqualTo(TimeUnit.MILLISECONDS.toNanos(750));
    }

    @Test
    void anAsyncRetryInsideATimeoutStopsAtTheDeadlineItCapturedWhenTheCallStarted() {
        Pipeline pipeline = Pipeline.of(timeout(Duration.ofSeconds(1)), retry(Duration.ofMillis(400)));

        CompletionStage<String> result = pipeline.callAsync(() -> {
            attemptMillis.add((clock.nanoTime() - start) / 1_000_000);
            return CompletableFuture.failedFuture(new IllegalStateException("down"));
        });
        clock.advance(Duration.ofMillis(900));

        // attempts at 0, 400, 800; the next would start at 1200, after the deadline
        assertThat(attemptMillis).containsExactly(0L, 400L, 800L);
        assertThat(result.toCompletableFuture()).isCompletedExceptionally();
        assertThat(events).last().isInstanceOfSatisfying(RetryEvent.Exhausted.class,
                exhausted -> assertThat(exhausted.reason()).isEqualTo(RetryEvent.Reason.DEADLINE));
    }

    @Test
    void anAsyncRetryInsideATimeoutIsCancelledWhenTheTimeoutFires() {
        Pipeline pipeline = Pipeline.of(timeout(Duration.ofSeconds(1)), retry(Duration.ofMillis(100)));
        List<CompletableFuture<String>> attempts = new ArrayList<>();

        CompletionStage<String> result = pipeline.callAsync(() -> {
            CompletableFuture<String> attempt = new CompletableFuture<>();
            attempts.add(attempt);
            return attempt;
        });
        clock.advance(Duration.ofSeconds(1));

        assertThat(result.toCompletableFuture()).failsWithin(Duration.ZERO)
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withCauseInstanceOf(TimeoutException.class);
        assertThat(attempts).singleElement().satisfies(attempt -> assertThat(attempt).isCancelled());
    }

    @Test
    void laterAsyncAttemptsSeeTheDeadlineOnTheSchedulersThread() {
        Pipeline pipeline = Pipeline.of(timeout(Duration.ofSeconds(1)), retry(Duration.ofMillis(100)));
        List<Duration> remaining = new ArrayList<>();

        pipeline.callAsync(() -> {
            remaining.add(Deadline.current().orElseThrow().remaining());
            return CompletableFuture.failedFuture(new IllegalStateException("down"));
        });
        clock.advance(Duration.ofMillis(200));

        assertThat(remaining).containsExactly(Duration.ofMillis(1000), Duration.ofMillis(900), Duration.ofMillis(800));
        assertThat(Deadline.current()).isEmpty();
    }
}
