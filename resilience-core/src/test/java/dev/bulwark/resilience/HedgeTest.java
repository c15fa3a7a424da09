package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class HedgeTest {
    private final ManualClock clock = new ManualClock();
    private final List<CompletableFuture<String>> attempts = new ArrayList<>();
    private final List<HedgeEvent> events = new ArrayList<>();
    private final ExecutorService workers = Executors.newFixedThreadPool(3);

    @AfterEach
    void stopWorkers() {
        workers.shutdownNow();
    }

    private Hedge hedge(HedgeConfig.Builder builder) {
        Hedge hedge = Hedge.of("search", builder.clock(clock).scheduler(clock).executor(workers).build());
        hedge.onEvent(events::add);
        return hedge;
    }

    private final Supplier<CompletionStage<String>> pending = () -> {
        CompletableFuture<String> attempt = new CompletableFuture<>();
        attempts.add(attempt);
        return attempt;
    };

    @Test
    void startsAHedgeAfterTheDelayAndTheFirstSuccessWinsWhileTheLoserIsCancelled() throws Exception {
        Hedge hedge = hedge(HedgeConfig.builder().delay(HedgeDelay.fixed(Duration.ofMillis(50))));

        CompletionStage<String> result = hedge.callAsync(pending);
        clock.advance(Duration.ofMillis(49));
        assertThat(attempts).hasSize(1);
        clock.advance(Duration.ofMillis(1));
        assertThat(attempts).hasSize(2);
        attempts.get(1).complete("from the hedge");

        assertThat(result.toCompletableFuture().get()).isEqualTo("from the hedge");
        assertThat(attempts.get(0)).isCancelled();
        assertThat(hedge.metrics()).isEqualTo(new Hedge.Metrics(0, 1, 0, 1, 0));
        assertThat(events).singleElement().isEqualTo(new HedgeEvent.HedgeStarted("search",
                java.time.Instant.ofEpochMilli(clock.currentTimeMillis()), 2, Duration.ofMillis(50)));
    }

    @Test
    void aPrimaryThatAnswersInTimeStartsNoHedge() throws Exception {
        Hedge hedge = hedge(HedgeConfig.builder().delay(HedgeDelay.fixed(Duration.ofMillis(50))));

        CompletionStage<String> result = hedge.callAsync(pending);
        attempts.get(0).complete("fast");
        clock.advance(Duration.ofSeconds(1));

        assertThat(result.toCompletableFuture().get()).isEqualTo("fast");
        assertThat(attempts).hasSize(1);
        assertThat(clock.pendingTasks()).isEmpty();
        assertThat(hedge.metrics().primaryWon()).isEqualTo(1);
    }

    @Test
    void startsAtMostMaxHedgesExtraAttemptsOnePerDelay() {
        Hedge hedge = hedge(HedgeConfig.builder().maxHedges(2).delay(HedgeDelay.fixed(Duration.ofMillis(50))));

        CompletionStage<String> result = hedge.callAsync(pending);
        clock.advance(Duration.ofMillis(50));
        assertThat(attempts).hasSize(2);
        clock.advance(Duration.ofMillis(50));
        assertThat(attempts).hasSize(3);
        clock.advance(Duration.ofSeconds(10));
        assertThat(attempts).hasSize(3);

        attempts.get(0).complete("slow primary");
        assertThat(result.toCompletableFuture()).isCompletedWithValue("slow primary");
        assertThat(attempts.get(1)).isCancelled();
        assertThat(attempts.get(2)).isCancelled();
    }

    @Test
    void failsWithTheLastFailureOnlyWhenEveryStartedAttemptFailed() {
        Hedge hedge = hedge(HedgeConfig.builder().delay(HedgeDelay.fixed(Duration.ofMillis(50))));

        CompletionStage<String> result = hedge.callAsync(pending);
        clock.advance(Duration.ofMillis(50));
        attempts.get(1).completeExceptionally(new IllegalStateException("hedge failed"));
        assertThat(result.toCompletableFuture()).isNotDone();
        attempts.get(0).completeExceptionally(new IllegalStateException("primary failed"));

        assertThat(result.toCompletableFuture()).failsWithin(Duration.ZERO)
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withCauseInstanceOf(IllegalStateException.class).withMessageContaining("primary failed");
        assertThat(hedge.metrics().failed()).isEqualTo(1);
    }

    @Test
    void aPrimaryThatFailsBeforeTheDelayFailsTheCallWithoutAHedge() {
        Hedge hedge = hedge(HedgeConfig.builder().delay(HedgeDelay.fixed(Duration.ofMillis(50))));

        CompletionStage<String> result = hedge.callAsync(pending);
        attempts.get(0).completeExceptionally(new IllegalStateException("refused"));
        clock.advance(Duration.ofSeconds(1));

        assertThat(result.toCompletableFuture()).isCompletedExceptionally();
        assertThat(attempts).hasSize(1);
    }

    @Test
    void hedgesDrawOnTheRetryBudget() {
        RetryBudget budget = RetryBudget.of("search", RetryBudgetConfig.builder().ratio(0.5).minRetriesPerSecond(0)
                .clock(clock).build());
        Hedge hedge = hedge(HedgeConfig.builder().maxHedges(3).delay(HedgeDelay.fixed(Duration.ofMillis(50)))
                .budget(budget));
        hedge.call(() -> "one earlier call earns half a hedge");

        hedge.callAsync(pending); // a second call: one hedge allowed in all
        clock.advance(Duration.ofMillis(200));

        assertThat(attempts).hasSize(2);
        assertThat(events).last().isInstanceOf(HedgeEvent.BudgetExhausted.class);
        assertThat(hedge.metrics().budgetExhausted()).isEqualTo(1);
    }

    @Test
    void cancellingTheCallCancelsEveryAttempt() {
        Hedge hedge = hedge(HedgeConfig.builder().delay(HedgeDelay.fixed(Duration.ofMillis(50))));

        CompletionStage<String> result = hedge.callAsync(pending);
        clock.advance(Duration.ofMillis(50));
        result.toCompletableFuture().cancel(true);

        assertThat(attempts).allSatisfy(attempt -> assertThat(attempt).isCancelled());
    }

    @Test
    void aPercentileDelayFollowsTheObservedLatencies() {
        Hedge hedge = hedge(HedgeConfig.builder().latencySamples(16)
                .delay(HedgeDelay.percentile(90.0, Duration.ofMillis(100))));
        assertThat(hedge.currentDelay()).isEqualTo(Duration.ofMillis(100));

        for (int i = 1; i <= 16; i++) { // latencies 1..16 ms
            CompletionStage<String> result = hedge.callAsync(pending);
            clock.advance(Duration.ofMillis(i));
            attempts.get(attempts.size() - 1).complete("ok");
            assertThat(result.toCompletableFuture()).isCompleted();
        }

        assertThat(hedge.currentDelay()).isEqualTo(Duration.ofMillis(15)); // the 90th percentile of 1..16
    }

    @Test
    void hedgedAttemptsRunWithTheCallersMdc() {
        Hedge hedge = hedge(HedgeConfig.builder().delay(HedgeDelay.fixed(Duration.ofMillis(50)))
                .contextPropagator(ContextPropagator.mdc()));
        List<String> seen = new ArrayList<>();
        MDC.put("requestId", "r-7");
        try {
            hedge.callAsync(() -> {
                seen.add(MDC.get("requestId"));
                return new CompletableFuture<String>();
            });
        } finally {
            MDC.clear();
        }

        clock.advance(Duration.ofMillis(50));

        assertThat(seen).containsExactly("r-7", "r-7");
        assertThat(MDC.get("requestId")).isNull();
    }

    @Test
    void aSyncCallRunsAttemptsOnTheExecutorAndInterruptsTheLoser() throws Exception {
        Hedge hedge = hedge(HedgeConfig.builder().delay(HedgeDelay.fixed(Duration.ofMillis(50))));
        CountDownLatch primaryStarted = new CountDownLatch(1);
        CountDownLatch primaryInterrupted = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        CompletableFuture<String> caller = CompletableFuture.supplyAsync(() -> hedge.call(() -> {
            if (calls.incrementAndGet() == 1) {
                primaryStarted.countDown();
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    primaryInterrupted.countDown();
                }
                return "primary";
            }
            return "hedge";
        }));
        assertThat(primaryStarted.await(5, TimeUnit.SECONDS)).isTrue();

        clock.advance(Duration.ofMillis(50));

        assertThat(caller.get(5, TimeUnit.SECONDS)).isEqualTo("hedge");
        assertThat(primaryInterrupted.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aSyncCallWithoutAnExecutorIsRefusedWithAClearMessage() {
        Hedge hedge = Hedge.of("search", HedgeConfig.builder().clock(clock).scheduler(clock).build());

        assertThatThrownBy(() -> hedge.call(() -> "x"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("hedge 'search' has no executor: synchronous calls need "
                        + "HedgeConfig.builder().executor(...) to run their attempts on");
    }

    @Test
    void concurrentHedgedCallsEachEndWithExactlyOneWinner() throws Exception {
        Hedge hedge = Hedge.of("stress", HedgeConfig.builder().maxHedges(2)
                .delay(HedgeDelay.fixed(Duration.ZERO)).build()); // system scheduler: hedges race for real
        List<CompletableFuture<String>> results = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            results.add(hedge.callAsync(() -> CompletableFuture.supplyAsync(() -> "ok", workers)).toCompletableFuture());
        }
        for (CompletableFuture<String> result : results) {
            assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("ok");
        }

        Hedge.Metrics metrics = hedge.metrics(); // counted before each caller's future completed
        assertThat(metrics.primaryWon() + metrics.hedgeWon()).isEqualTo(200);
        assertThat(metrics.hedgesStarted()).isLessThanOrEqualTo(400);
    }

    @Test
    void configRejectsBadSettingsWithTheirNameAndValue() {
        assertThatThrownBy(() -> HedgeConfig.builder().maxHedges(0)).hasMessage("maxHedges must be at least 1, was 0");
        assertThatThrownBy(() -> HedgeConfig.builder().latencySamples(100))
                .hasMessage("latencySamples must be a power of two in [16, 65536], was 100");
        assertThatThrownBy(() -> HedgeDelay.percentile(100.0, Duration.ZERO))
                .hasMessage("percentile must be in (0, 100), was 100.0");
    }
}
