package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** The asynchronous Retry: backoffs waited on the scheduler (a ManualClock, so nothing sleeps). */
class RetryAsyncTest {
    private final ManualClock clock = new ManualClock();
    private final List<CompletableFuture<String>> attempts = new ArrayList<>();
    private final List<RetryEvent> events = new ArrayList<>();

    private Retry retry(RetryConfig.Builder builder) {
        Retry retry = Retry.of("inventory", builder.clock(clock).scheduler(clock).build());
        retry.onEvent(events::add);
        return retry;
    }

    /** Each attempt returns a new future that the test completes. */
    private final Supplier<CompletionStage<String>> pending = () -> {
        CompletableFuture<String> attempt = new CompletableFuture<>();
        attempts.add(attempt);
        return attempt;
    };

    private static Throwable failureOf(CompletionStage<?> stage) {
        try {
            stage.toCompletableFuture().get();
            throw new AssertionError("expected a failure");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void waitsEachBackoffOnTheSchedulerBeforeTheNextAttempt() throws Exception {
        Retry retry = retry(RetryConfig.builder().maxAttempts(4)
                .backoff(RetryBackoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofSeconds(1))));

        CompletionStage<String> result = retry.callAsync(pending);
        attempts.get(0).completeExceptionally(new IllegalStateException("down"));

        assertThat(clock.pendingTasks()).containsExactly(Duration.ofMillis(100));
        clock.advance(Duration.ofMillis(99));
        assertThat(attempts).hasSize(1);
        clock.advance(Duration.ofMillis(1));
        assertThat(attempts).hasSize(2);
        attempts.get(1).completeExceptionally(new IllegalStateException("still down"));
        assertThat(clock.pendingTasks()).containsExactly(Duration.ofMillis(200));
        clock.advance(Duration.ofMillis(200));
        attempts.get(2).complete("stock");

        assertThat(result.toCompletableFuture().get()).isEqualTo("stock");
        assertThat(retry.metrics()).isEqualTo(new Retry.Metrics(0, 1, 0, 0, 2, 0));
        assertThat(events).last().isInstanceOf(RetryEvent.Succeeded.class);
    }

    @Test
    void givesUpWithTheLastFailureUnwrapped() {
        Retry retry = retry(RetryConfig.builder().maxAttempts(2).backoff(RetryBackoff.fixed(Duration.ofMillis(10))));
        AtomicInteger calls = new AtomicInteger();

        CompletionStage<String> result = retry.callAsync(
                () -> CompletableFuture.failedFuture(new IllegalStateException("failure " + calls.incrementAndGet())));
        clock.advance(Duration.ofMillis(10));

        assertThat(failureOf(result)).isInstanceOf(IllegalStateException.class).hasMessage("failure 2");
        assertThat(((RetryEvent.Exhausted) events.get(events.size() - 1)).reason()).isEqualTo(RetryEvent.Reason.MAX_ATTEMPTS);
    }

    @Test
    void aSupplierThatThrowsCountsAsAFailedAttempt() throws Exception {
        Retry retry = retry(RetryConfig.builder().maxAttempts(2).backoff(RetryBackoff.none()));
        AtomicInteger calls = new AtomicInteger();

        CompletionStage<String> result = retry.callAsync(() -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("could not even start");
            }
            return CompletableFuture.completedFuture("second time lucky");
        });
        clock.runDueTasks();

        assertThat(result.toCompletableFuture().get()).isEqualTo("second time lucky");
    }

    @Test
    void aNonRetryableFailureEndsTheCallAtOnce() {
        Retry retry = retry(RetryConfig.builder().retryOn(e -> e instanceof IllegalStateException));

        CompletionStage<String> result = retry.callAsync(pending);
        attempts.get(0).completeExceptionally(new IllegalArgumentException("bad request"));

        assertThat(failureOf(result)).hasMessage("bad request");
        assertThat(clock.pendingTasks()).isEmpty();
        assertThat(retry.metrics().failedWithoutRetry()).isEqualTo(1);
    }

    @Test
    void cancellingTheCallCancelsThePendingBackoffAndTheAttemptInFlight() {
        Retry retry = retry(RetryConfig.builder().maxAttempts(3).backoff(RetryBackoff.fixed(Duration.ofMillis(50))));

        CompletionStage<String> result = retry.callAsync(pending);
        attempts.get(0).completeExceptionally(new IllegalStateException("down"));
        clock.advance(Duration.ofMillis(50));
        CompletableFuture<String> inFlight = attempts.get(1);
        result.toCompletableFuture().cancel(true);

        assertThat(inFlight).isCancelled();
        clock.advance(Duration.ofSeconds(1));
        assertThat(attempts).hasSize(2);
    }

    @Test
    void cancellingDuringABackoffStartsNoFurtherAttempt() {
        Retry retry = retry(RetryConfig.builder().maxAttempts(3).backoff(RetryBackoff.fixed(Duration.ofMillis(50))));

        CompletionStage<String> result = retry.callAsync(pending);
        attempts.get(0).completeExceptionally(new IllegalStateException("down"));
        result.toCompletableFuture().cancel(true);
        clock.advance(Duration.ofSeconds(1));

        assertThat(attempts).hasSize(1);
        assertThat(clock.pendingTasks()).isEmpty();
    }

    @Test
    void retriesAResultThatTheConfigCallsRetryable() throws Exception {
        Retry retry = retry(RetryConfig.builder().maxAttempts(3).backoff(RetryBackoff.none())
                .retryOnResult("busy"::equals));

        CompletionStage<String> result = retry.callAsync(pending);
        attempts.get(0).complete("busy");
        clock.runDueTasks();
        attempts.get(1).complete("ready");

        assertThat(result.toCompletableFuture().get()).isEqualTo("ready");
    }

    @Test
    void laterAttemptsRunWithTheCallersMdc() throws Exception {
        Retry retry = retry(RetryConfig.builder().maxAttempts(2).backoff(RetryBackoff.fixed(Duration.ofMillis(10)))
                .contextPropagator(ContextPropagator.mdc()));
        List<String> seen = new ArrayList<>();
        MDC.put("requestId", "r-42");
        CompletionStage<String> result;
        try {
            result = retry.callAsync(() -> {
                seen.add(MDC.get("requestId"));
                return seen.size() == 1 ? CompletableFuture.failedFuture(new IllegalStateException("down"))
                        : CompletableFuture.completedFuture("ok");
            });
        } finally {
            MDC.clear();
        }

        clock.advance(Duration.ofMillis(10)); // the retry runs here, on a thread whose MDC is empty

        assertThat(result.toCompletableFuture().get()).isEqualTo("ok");
        assertThat(seen).containsExactly("r-42", "r-42");
        assertThat(MDC.get("requestId")).isNull();
    }
}
