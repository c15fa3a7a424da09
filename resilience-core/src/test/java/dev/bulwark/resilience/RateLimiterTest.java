package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The synchronous behaviour of {@link RateLimiter}, on a {@link ManualClock}. */
class RateLimiterTest {
    private final ManualClock clock = new ManualClock();

    private RateLimiter limiter(int limit, Duration period, Duration timeout) {
        return RateLimiter.of("search", RateLimiterConfig.builder()
                .limitForPeriod(limit)
                .limitRefreshPeriod(period)
                .timeout(timeout)
                .clock(clock)
                .scheduler(clock)
                .build());
    }

    private static int permitted(RateLimiter limiter, int calls) {
        int permitted = 0;
        for (int i = 0; i < calls; i++) {
            if (limiter.attempt(() -> "ok").isSuccess()) {
                permitted++;
            }
        }
        return permitted;
    }

    @Test
    void aPeriodHandsOutItsLimitAndNoMore() {
        RateLimiter limiter = limiter(3, Duration.ofSeconds(1), Duration.ZERO);

        assertThat(permitted(limiter, 10)).isEqualTo(3);
        assertThat(limiter.availablePermits()).isZero();
        assertThat(limiter.permittedCalls()).isEqualTo(3);
        assertThat(limiter.rejectedCalls()).isEqualTo(7);
    }

    @Test
    void theNextPeriodRefillsThePermits() {
        RateLimiter limiter = limiter(3, Duration.ofSeconds(1), Duration.ZERO);
        permitted(limiter, 3);

        clock.advance(Duration.ofMillis(999));
        assertThat(permitted(limiter, 1)).isZero();
        clock.advance(Duration.ofMillis(1));

        assertThat(limiter.availablePermits()).isEqualTo(3);
        assertThat(permitted(limiter, 10)).isEqualTo(3);
    }

    @Test
    void unusedPermitsDoNotCarryOver() {
        RateLimiter limiter = limiter(3, Duration.ofSeconds(1), Duration.ZERO);
        permitted(limiter, 1);

        clock.advance(Duration.ofSeconds(5));

        assertThat(permitted(limiter, 10)).isEqualTo(3);
    }

    @Test
    void periodsAreCountedFromTheLimitersCreation() {
        clock.advance(Duration.ofMillis(700));
        RateLimiter limiter = limiter(1, Duration.ofSeconds(1), Duration.ZERO);
        permitted(limiter, 1);

        clock.advance(Duration.ofMillis(999));
        assertThat(permitted(limiter, 1)).isZero();
        clock.advance(Duration.ofMillis(1));
        assertThat(permitted(limiter, 1)).isEqualTo(1);
    }

    @Test
    void aRefusedCallThrowsTheLimitersRejection() {
        RateLimiter limiter = limiter(1, Duration.ofSeconds(1), Duration.ZERO);
        limiter.call(() -> "first");

        assertThatThrownBy(() -> limiter.call(() -> "second"))
                .isInstanceOf(RateLimitExceededException.class)
                .hasMessage("rate limiter 'search' has no permit left (limitForPeriod=1, limitRefreshPeriod=PT1S,"
                        + " timeout=PT0S)")
                .satisfies(e -> assertThat(((RejectedException) e).policyName()).isEqualTo("search"));
    }

    @Test
    void attemptReportsARefusalAsAnOutcome() {
        RateLimiter limiter = limiter(1, Duration.ofSeconds(1), Duration.ZERO);
        IllegalStateException down = new IllegalStateException("down");

        assertThat(limiter.<String>attempt(() -> {
            throw down;
        })).isEqualTo(Outcome.failure(down));
        Outcome<String> refused = limiter.attempt(() -> "second");

        assertThat(refused).isInstanceOf(Outcome.Rejected.class);
        assertThat(((Outcome.Rejected<String>) refused).rejection()).isInstanceOf(RateLimitExceededException.class);
    }

    @Test
    void aCallWaitsForTheNextPeriodWithinItsTimeout() {
        RateLimiter limiter = limiter(2, Duration.ofSeconds(1), Duration.ofSeconds(1));
        long start = clock.nanoTime();
        clock.advance(Duration.ofMillis(400));
        permitted(limiter, 2);

        String result = limiter.call(() -> "waited");

        assertThat(result).isEqualTo("waited");
        assertThat(Duration.ofNanos(clock.nanoTime() - start)).as("slept until the next period began")
                .isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void reservationsQueueIntoLaterPeriodsInOrder() {
        RateLimiter limiter = limiter(2, Duration.ofSeconds(1), Duration.ofSeconds(3));
        long start = clock.nanoTime();
        List<Duration> startedAt = new ArrayList<>();

        for (int i = 0; i < 7; i++) {
            limiter.run(() -> startedAt.add(Duration.ofNanos(clock.nanoTime() - start)));
        }

        assertThat(startedAt).containsExactly(Duration.ZERO, Duration.ZERO, Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(3));
    }

    @Test
    void aCallThatWouldWaitLongerThanItsTimeoutIsRefusedAtOnce() {
        RateLimiter limiter = limiter(1, Duration.ofSeconds(1), Duration.ofMillis(500));
        long start = clock.nanoTime();
        permitted(limiter, 1);
        clock.advance(Duration.ofMillis(400));

        assertThatThrownBy(() -> limiter.call(() -> "never")).isInstanceOf(RateLimitExceededException.class);
        assertThat(Duration.ofNanos(clock.nanoTime() - start)).as("no time spent waiting")
                .isEqualTo(Duration.ofMillis(400));
        clock.advance(Duration.ofMillis(100));
        assertThat(limiter.call(() -> "now within the timeout")).isEqualTo("now within the timeout");
    }

    @Test
    void anInterruptedWaiterGivesUpAndKeepsItsInterruptStatus() throws InterruptedException {
        RateLimiter limiter = RateLimiter.of("search", RateLimiterConfig.builder()
                .limitForPeriod(1)
                .limitRefreshPeriod(Duration.ofHours(1))
                .timeout(Duration.ofHours(2))
                .build());
        limiter.call(() -> "first");
        AtomicReference<String> result = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                limiter.call(() -> "never");
            } catch (CancellationException e) {
                result.set(e.getMessage() + " / interrupted=" + Thread.currentThread().isInterrupted());
            }
        });
        waiter.start();
        Eventually.until(() -> limiter.waitingCalls() == 1);

        waiter.interrupt();
        waiter.join(5_000);

        assertThat(result.get())
                .isEqualTo("rate limiter 'search': interrupted while waiting for a permit / interrupted=true");
        assertThat(limiter.waitingCalls()).isZero();
    }

    @Test
    void listenersHearPermitsWithTheirWaitAndRefusals() {
        RateLimiter limiter = limiter(1, Duration.ofSeconds(1), Duration.ofSeconds(1));
        List<RateLimiterEvent> events = new ArrayList<>();
        limiter.onEvent(events::add);
        Instant start = Instant.ofEpochMilli(clock.currentTimeMillis());

        limiter.call(() -> "now");
        limiter.callAsync(() -> java.util.concurrent.CompletableFuture.completedFuture("next period"));
        limiter.attempt(() -> "the period after next begins past the timeout");

        assertThat(events).containsExactly(
                new RateLimiterEvent.CallPermitted("search", start, Duration.ZERO),
                new RateLimiterEvent.CallPermitted("search", start, Duration.ofSeconds(1)),
                new RateLimiterEvent.CallRejected("search", start));
    }

    @Test
    void runAndDecorateTakePermits() {
        RateLimiter limiter = limiter(3, Duration.ofSeconds(1), Duration.ZERO);

        limiter.run(() -> { });
        limiter.decorate(() -> "x").get();
        limiter.<Integer, Integer>decorate(x -> x + 1).apply(1);

        assertThat(limiter.availablePermits()).isZero();
    }

    @Test
    void insideATimeoutACallIsRefusedRatherThanWaitPastTheDeadline() {
        RateLimiter limiter = limiter(1, Duration.ofSeconds(1), Duration.ofSeconds(2));
        Timeout timeout = Timeout.of("overall", TimeoutConfig.builder().timeout(Duration.ofMillis(500)).clock(clock)
                .scheduler(clock).build());
        Pipeline pipeline = Pipeline.of(timeout, limiter);
        long start = clock.nanoTime();
        pipeline.call(() -> "first");

        assertThatThrownBy(() -> pipeline.call(() -> "would wait a second"))
                .isInstanceOf(RateLimitExceededException.class);
        assertThat(clock.nanoTime()).as("no time spent waiting").isEqualTo(start);
        assertThat(limiter.call(() -> "outside the timeout, the next period's permit is still there"))
                .isEqualTo("outside the timeout, the next period's permit is still there");
        assertThat(Duration.ofNanos(clock.nanoTime() - start)).isEqualTo(Duration.ofSeconds(1));
    }
}
