package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The asynchronous behaviour of {@link RateLimiter}: waits are scheduled, no thread sleeps. */
class RateLimiterAsyncTest {
    private final ManualClock clock = new ManualClock();
    private final AtomicInteger started = new AtomicInteger();

    private RateLimiter limiter(int limit, Duration timeout) {
        return RateLimiter.of("search", RateLimiterConfig.builder()
                .limitForPeriod(limit)
                .limitRefreshPeriod(Duration.ofSeconds(1))
                .timeout(timeout)
                .clock(clock)
                .scheduler(clock)
                .build());
    }

    private CompletableFuture<String> call(RateLimiter limiter, String value) {
        return limiter.<String>callAsync(() -> {
            started.incrementAndGet();
            return CompletableFuture.completedFuture(value);
        }).toCompletableFuture();
    }

    @Test
    void aPermittedCallStartsAtOnce() {
        RateLimiter limiter = limiter(1, Duration.ZERO);

        assertThat(call(limiter, "now").join()).isEqualTo("now");
        assertThat(started).hasValue(1);
    }

    @Test
    void aRefusedCallFailsItsStageWithoutStarting() {
        RateLimiter limiter = limiter(1, Duration.ZERO);
        call(limiter, "first");

        CompletableFuture<String> refused = call(limiter, "second");

        assertThat(refused.handle((v, e) -> e).join()).isInstanceOf(RateLimitExceededException.class);
        assertThat(started).hasValue(1);
        assertThat(limiter.rejectedCalls()).isEqualTo(1);
    }

    @Test
    void aWaitingCallStartsWhenItsPeriodBegins() {
        RateLimiter limiter = limiter(1, Duration.ofSeconds(2));
        call(limiter, "first");
        clock.advance(Duration.ofMillis(300));

        CompletableFuture<String> second = call(limiter, "second");
        CompletableFuture<String> third = call(limiter, "third");
        assertThat(limiter.waitingCalls()).isEqualTo(2);
        assertThat(clock.pendingTasks()).containsExactly(Duration.ofMillis(700), Duration.ofMillis(1700));

        clock.advance(Duration.ofMillis(700));
        assertThat(second.join()).isEqualTo("second");
        assertThat(third).isNotDone();
        clock.advance(Duration.ofSeconds(1));
        assertThat(third.join()).isEqualTo("third");
        assertThat(limiter.waitingCalls()).isZero();
    }

    @Test
    void cancellingAWaitingCallMeansItNeverStarts() {
        RateLimiter limiter = limiter(1, Duration.ofSeconds(2));
        call(limiter, "first");
        CompletableFuture<String> waiting = call(limiter, "second");

        waiting.cancel(true);
        clock.advance(Duration.ofSeconds(2));

        assertThat(started).hasValue(1);
        assertThat(limiter.waitingCalls()).isZero();
        assertThat(clock.pendingTasks()).isEmpty();
    }

    @Test
    void cancellingAStartedCallCancelsItsInnerStage() {
        RateLimiter limiter = limiter(1, Duration.ofSeconds(2));
        call(limiter, "first");
        CompletableFuture<String> remote = new CompletableFuture<>();
        CompletableFuture<String> waiting = limiter.callAsync(() -> remote).toCompletableFuture();
        clock.advance(Duration.ofSeconds(1));

        waiting.cancel(true);

        assertThat(remote).isCancelled();
    }

    @Test
    void aFailingCallFailsItsStage() {
        RateLimiter limiter = limiter(2, Duration.ofSeconds(2));
        IllegalStateException down = new IllegalStateException("down");

        CompletableFuture<String> now = limiter.<String>callAsync(() -> CompletableFuture.failedFuture(down))
                .toCompletableFuture();
        limiter.callAsync(CompletableFuture::new);
        CompletableFuture<String> later = limiter.<String>callAsync(() -> {
            throw down;
        }).toCompletableFuture();
        clock.advance(Duration.ofSeconds(1));

        assertThat(now.handle((v, e) -> e).join()).isSameAs(down);
        assertThat(later.handle((v, e) -> e).join()).isSameAs(down);
    }

    @Test
    void insideATimeoutACallIsRefusedRatherThanWaitPastTheDeadline() {
        RateLimiter limiter = limiter(1, Duration.ofSeconds(2));
        Pipeline pipeline = Pipeline.of(Timeout.of("overall", TimeoutConfig.builder().timeout(Duration.ofMillis(500))
                .clock(clock).scheduler(clock).build()), limiter);
        pipeline.callAsync(() -> CompletableFuture.completedFuture("first"));

        CompletableFuture<String> refused = pipeline.<String>callAsync(() -> {
            started.incrementAndGet();
            return CompletableFuture.completedFuture("would wait a second");
        }).toCompletableFuture();

        assertThat(refused.handle((v, e) -> CallOutcomes.unwrap(e)).join())
                .isInstanceOf(RateLimitExceededException.class);
        assertThat(started).hasValue(0);
        assertThat(limiter.waitingCalls()).isZero();
    }
}
