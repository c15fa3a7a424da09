package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The synchronous Retry: the loop on the caller's thread, sleeping through the clock. */
class RetryTest {
    private final ManualClock clock = new ManualClock();
    private final long start = clock.nanoTime();
    private final List<Long> attemptMillis = new ArrayList<>();
    private final List<RetryEvent> events = new ArrayList<>();

    private Retry retry(RetryConfig.Builder builder) {
        Retry retry = Retry.of("inventory", builder.clock(clock).scheduler(clock).build());
        retry.onEvent(events::add);
        return retry;
    }

    /** A call that records when it runs and fails the first {@code failures} times. */
    private <T> java.util.function.Supplier<T> failingTimes(int failures, T value) {
        AtomicInteger calls = new AtomicInteger();
        return () -> {
            attemptMillis.add((clock.nanoTime() - start) / 1_000_000);
            if (calls.incrementAndGet() <= failures) {
                throw new UncheckedIOException(new IOException("attempt " + calls.get() + " failed"));
            }
            return value;
        };
    }

    @Test
    void retriesAfterTheBackoffSequenceUntilTheCallSucceeds() {
        Retry retry = retry(RetryConfig.builder().maxAttempts(5)
                .backoff(RetryBackoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofSeconds(1))));

        String result = retry.call(failingTimes(3, "stock"));

        assertThat(result).isEqualTo("stock");
        assertThat(attemptMillis).containsExactly(0L, 100L, 300L, 700L);
        assertThat(retry.metrics()).isEqualTo(new Retry.Metrics(0, 1, 0, 0, 3, 0));
        assertThat(events).hasSize(4).last().isInstanceOf(RetryEvent.Succeeded.class);
        assertThat(((RetryEvent.Retrying) events.get(1)).delay()).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void givesUpAfterMaxAttemptsWithTheLastFailureUnchanged() {
        Retry retry = retry(RetryConfig.builder().maxAttempts(3).backoff(RetryBackoff.fixed(Duration.ofMillis(10))));

        assertThatThrownBy(() -> retry.call(failingTimes(10, "never")))
                .isInstanceOf(UncheckedIOException.class)
                .hasRootCauseMessage("attempt 3 failed");
        assertThat(attemptMillis).containsExactly(0L, 10L, 20L);
        RetryEvent.Exhausted exhausted = (RetryEvent.Exhausted) events.get(events.size() - 1);
        assertThat(exhausted.reason()).isEqualTo(RetryEvent.Reason.MAX_ATTEMPTS);
        assertThat(exhausted.attempts()).isEqualTo(3);
        assertThat(retry.metrics().failedWithRetry()).isEqualTo(1);
    }

    @Test
    void aFailureThatIsNotRetryablePassesThroughAtOnce() {
        Retry retry = retry(RetryConfig.builder().retryOn(e -> e instanceof UncheckedIOException));

        assertThatThrownBy(() -> retry.call(() -> {
            throw new IllegalArgumentException("bad sku");
        })).hasMessage("bad sku");
        assertThat(events).isEmpty();
        assertThat(retry.metrics().failedWithoutRetry()).isEqualTo(1);
    }

    @Test
    void errorsAreNotRetriedByDefault() {
        Retry retry = retry(RetryConfig.builder());
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> retry.call(() -> {
            calls.incrementAndGet();
            throw new StackOverflowError("deep");
        })).isInstanceOf(StackOverflowError.class);
        assertThat(calls).hasValue(1);
    }

    @Test
    void anAbortingFailureStopsRetryingEvenIfItIsRetryable() {
        Retry retry = retry(RetryConfig.builder().maxAttempts(5)
                .abortOn(e -> e.getMessage().contains("attempt 2")));

        assertThatThrownBy(() -> retry.call(failingTimes(10, "x"))).hasRootCauseMessage("attempt 2 failed");
        assertThat(attemptMillis).hasSize(2);
        assertThat(((RetryEvent.Exhausted) events.get(events.size() - 1)).reason()).isEqualTo(RetryEvent.Reason.ABORTED);
    }

    @Test
    void aRetryableResultIsRetriedAndTheLastOneReturnedWhenAttemptsRunOut() {
        Retry retry = retry(RetryConfig.builder().maxAttempts(3).retryOnResult(r -> r == null || "busy".equals(r)));
        AtomicInteger calls = new AtomicInteger();

        Object result = retry.call(() -> calls.incrementAndGet() == 1 ? null : "busy");

        assertThat(result).isEqualTo("busy");
        assertThat(calls).hasValue(3);
        assertThat(((RetryEvent.Exhausted) events.get(events.size() - 1)).lastFailure()).isNull();
    }

    @Test
    void maxDurationStopsARetryWhoseBackoffWouldEndPastIt() {
        Retry retry = retry(RetryConfig.builder().maxAttempts(100)
                .maxDuration(Duration.ofMillis(350)).backoff(RetryBackoff.fixed(Duration.ofMillis(100))));

        assertThatThrownBy(() -> retry.call(failingTimes(100, "x"))).isInstanceOf(UncheckedIOException.class);
        assertThat(attemptMillis).containsExactly(0L, 100L, 200L, 300L);
        assertThat(((RetryEvent.Exhausted) events.get(events.size() - 1)).reason()).isEqualTo(RetryEvent.Reason.MAX_DURATION);
    }

    @Test
    void anInterruptedBackoffStopsWithTheLastFailureAndKeepsTheInterrupt() throws Exception {
        Retry retry = Retry.of("slow", RetryConfig.builder().maxAttempts(3)
                .backoff(RetryBackoff.fixed(Duration.ofHours(1))).build());
        retry.onEvent(events::add);
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> retry.call(failingTimes(3, "x"))).hasRootCauseMessage("attempt 1 failed");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(((RetryEvent.Exhausted) events.get(events.size() - 1)).reason()).isEqualTo(RetryEvent.Reason.INTERRUPTED);
    }

    @Test
    void aSuccessAtTheFirstAttemptPublishesNoEvent() {
        Retry retry = retry(RetryConfig.builder());

        assertThat(retry.call(() -> 7)).isEqualTo(7);
        retry.run(() -> { });

        assertThat(events).isEmpty();
        assertThat(retry.metrics().successfulWithoutRetry()).isEqualTo(2);
    }

    @Test
    void attemptReportsTheLastFailureAsAnOutcome() {
        Retry retry = retry(RetryConfig.builder().maxAttempts(2).backoff(RetryBackoff.none()));

        Outcome<String> outcome = retry.attempt(failingTimes(5, "x"));

        assertThat(outcome).isInstanceOf(Outcome.Failure.class);
        assertThat(((Outcome.Failure<String>) outcome).cause()).hasRootCauseMessage("attempt 2 failed");
    }

    @Test
    void decoratedSuppliersRetryOnEachCall() {
        Retry retry = retry(RetryConfig.builder().maxAttempts(2).backoff(RetryBackoff.none()));

        java.util.function.Supplier<String> decorated = retry.decorate(failingTimes(1, "ok"));

        assertThat(decorated.get()).isEqualTo("ok");
        assertThat(decorated.get()).isEqualTo("ok");
        assertThat(attemptMillis).hasSize(3);
    }

    @Test
    void configRejectsBadSettingsWithTheirNameAndValue() {
        assertThatThrownBy(() -> RetryConfig.builder().maxAttempts(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxAttempts must be at least 1, was 0");
        assertThatThrownBy(() -> RetryConfig.builder().maxDuration(Duration.ZERO))
                .hasMessage("maxDuration must be positive, was PT0S");
        assertThatThrownBy(() -> RetryConfig.builder().maxAttempts(Integer.MAX_VALUE).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("maxAttempts is unlimited and maxDuration is not set: the retry would never give up");
        assertThat(RetryConfig.builder().maxAttempts(Integer.MAX_VALUE).maxDuration(Duration.ofSeconds(1)).build()
                .maxAttempts()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void jitteredBackoffDrawsFromTheInjectedRandomSource() {
        double[] draws = {0.0, 0.5};
        int[] next = {0};
        Retry retry = retry(RetryConfig.builder().maxAttempts(3)
                .backoff(RetryBackoff.decorrelatedJitter(Duration.ofMillis(100), Duration.ofSeconds(10)))
                .random(() -> draws[next[0]++]));

        retry.call(failingTimes(2, "ok"));

        assertThat(attemptMillis).containsExactly(0L, 100L, 300L);
    }
}
