package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {
    private final ManualClock clock = new ManualClock();

    private RetryBudget budget(double ratio, int minPerSecond) {
        return RetryBudget.of("inventory", RetryBudgetConfig.builder()
                .ratio(ratio).minRetriesPerSecond(minPerSecond).window(Duration.ofSeconds(10)).clock(clock).build());
    }

    private static int acquireAll(RetryBudget budget) {
        int granted = 0;
        while (budget.tryAcquire()) {
            granted++;
        }
        return granted;
    }

    @Test
    void allowsRetriesInProportionToTheCallsMade() {
        RetryBudget budget = budget(0.1, 0);
        for (int i = 0; i < 100; i++) {
            budget.recordCall();
        }

        assertThat(budget.available()).isEqualTo(10);
        assertThat(acquireAll(budget)).isEqualTo(10);
        assertThat(budget.available()).isZero();
    }

    @Test
    void theFloorAllowsRetriesWithoutTraffic() {
        RetryBudget budget = budget(0.1, 2);

        assertThat(acquireAll(budget)).isEqualTo(20); // 2 per second over a 10-second window
    }

    @Test
    void refillsAsNewCallsAreMade() {
        RetryBudget budget = budget(0.5, 0);
        budget.recordCall();
        budget.recordCall();
        assertThat(acquireAll(budget)).isEqualTo(1);

        budget.recordCall();
        budget.recordCall();

        assertThat(acquireAll(budget)).isEqualTo(1);
    }

    @Test
    void refillsAsOldRetriesLeaveTheWindow() {
        RetryBudget budget = budget(0.1, 1);
        assertThat(acquireAll(budget)).isEqualTo(10);

        clock.advance(Duration.ofSeconds(5));
        assertThat(budget.available()).isZero();

        clock.advance(Duration.ofSeconds(6));
        assertThat(budget.available()).isEqualTo(10);
    }

    @Test
    void callsOlderThanTheWindowNoLongerCount() {
        RetryBudget budget = budget(0.1, 0);
        for (int i = 0; i < 100; i++) {
            budget.recordCall();
        }
        assertThat(budget.available()).isEqualTo(10);

        clock.advance(Duration.ofSeconds(11));

        assertThat(budget.available()).isZero();
    }

    @Test
    void callsAtASteadyRateCountForTheWindowEvenIfNobodyLookedMeanwhile() {
        RetryBudget budget = budget(0.1, 0);
        for (int second = 0; second < 20; second++) { // 100 calls a second for 20 seconds, unobserved
            for (int i = 0; i < 100; i++) {
                budget.recordCall();
            }
            clock.advance(Duration.ofSeconds(1));
        }

        assertThat(budget.available()).isBetween(90L, 110L); // about 10% of the last ~10 seconds' calls
    }

    @Test
    void aRetryStopsWhenTheSharedBudgetIsSpentAndSurfacesTheLastFailure() {
        RetryBudget shared = budget(0.1, 0);
        List<RetryEvent> events = new ArrayList<>();
        RetryConfig config = RetryConfig.builder().maxAttempts(10).backoff(RetryBackoff.none())
                .budget(shared).clock(clock).scheduler(clock).build();
        Retry reads = Retry.of("reads", config);
        Retry writes = Retry.of("writes", config);
        reads.onEvent(events::add);
        for (int i = 0; i < 29; i++) {
            writes.call(() -> "ok"); // 29 successful calls, plus the failing one below: 30 calls, 3 retries
        }
        AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> reads.call(() -> {
            throw new IllegalStateException("attempt " + attempts.incrementAndGet());
        })).hasMessage("attempt 4");

        assertThat(events).last().isInstanceOfSatisfying(RetryEvent.BudgetExhausted.class, exhausted -> {
            assertThat(exhausted.budgetName()).isEqualTo("inventory");
            assertThat(exhausted.attempts()).isEqualTo(4);
            assertThat(exhausted.lastFailure()).hasMessage("attempt 4");
        });
        assertThat(reads.metrics().budgetExhausted()).isEqualTo(1);
    }

    @Test
    void anAsynchronousRetryStopsWhenTheBudgetIsSpent() {
        RetryBudget shared = budget(1.0, 0);
        Retry retry = Retry.of("reads", RetryConfig.builder().maxAttempts(10).backoff(RetryBackoff.none())
                .budget(shared).clock(clock).scheduler(clock).build());
        AtomicInteger attempts = new AtomicInteger();

        CompletionStage<String> result = retry.callAsync(() -> CompletableFuture.failedFuture(
                new IllegalStateException("attempt " + attempts.incrementAndGet())));
        clock.runDueTasks();

        assertThat(result.toCompletableFuture()).isCompletedExceptionally();
        assertThat(attempts).hasValue(2); // one call earned one retry
    }

    @Test
    void configRejectsBadSettingsWithTheirNameAndValue() {
        assertThatThrownBy(() -> RetryBudgetConfig.builder().ratio(-0.1))
                .hasMessage("ratio must be in [0, 1000], was -0.1");
        assertThatThrownBy(() -> RetryBudgetConfig.builder().minRetriesPerSecond(-1))
                .hasMessage("minRetriesPerSecond must not be negative, was -1");
        assertThatThrownBy(() -> RetryBudgetConfig.builder().window(Duration.ofMillis(500)))
                .hasMessage("window must be at least PT1S, was PT0.5S");
        assertThatThrownBy(() -> RetryBudgetConfig.builder().ratio(0).minRetriesPerSecond(0).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("ratio and minRetriesPerSecond are both 0: the budget would never allow a retry");
    }

    @Test
    void concurrentRetriesNeverTakeMoreThanTheBudget() throws Exception {
        RetryBudget budget = budget(0.1, 0);
        for (int i = 0; i < 1000; i++) {
            budget.recordCall();
        }
        AtomicInteger granted = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 100; i++) {
                    if (budget.tryAcquire()) {
                        granted.incrementAndGet();
                    }
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(granted).hasValue(100);
    }
}
