package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TimeoutTest {
    private final ManualClock clock = new ManualClock();
    private final List<TimeoutEvent> events = new ArrayList<>();
    private final ExecutorService workers = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopWorkers() {
        workers.shutdownNow();
    }

    private Timeout timeout(Duration limit, boolean onExecutor) {
        TimeoutConfig.Builder builder = TimeoutConfig.builder().timeout(limit).clock(clock).scheduler(clock);
        if (onExecutor) {
            builder.executor(workers);
        }
        Timeout timeout = Timeout.of("pricing", builder.build());
        timeout.onEvent(events::add);
        return timeout;
    }

    // ---- asynchronous ----

    @Test
    void anAsyncCallThatDoesNotAnswerInTimeFailsWithTimeoutExceptionAndIsCancelled() {
        Timeout timeout = timeout(Duration.ofSeconds(1), false);
        CompletableFuture<String> call = new CompletableFuture<>();

        CompletionStage<String> result = timeout.callAsync(() -> call);
        clock.advance(Duration.ofMillis(999));
        assertThat(result.toCompletableFuture()).isNotDone();
        clock.advance(Duration.ofMillis(1));

        assertThatThrownBy(() -> result.toCompletableFuture().get())
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(TimeoutException.class).hasMessage("timeout 'pricing' exceeded after PT1S");
        assertThat(call).isCancelled();
        assertThat(events).singleElement().isInstanceOf(TimeoutEvent.TimedOut.class);
        assertThat(timeout.metrics()).isEqualTo(new Timeout.Metrics(0, 0, 1));
    }

    @Test
    void anAsyncCallInTimeCancelsItsTimer() throws Exception {
        Timeout timeout = timeout(Duration.ofSeconds(1), false);
        CompletableFuture<String> call = new CompletableFuture<>();

        CompletionStage<String> result = timeout.callAsync(() -> call);
        call.complete("42");

        assertThat(result.toCompletableFuture().get()).isEqualTo("42");
        assertThat(clock.pendingTasks()).isEmpty();
        assertThat(timeout.metrics()).isEqualTo(new Timeout.Metrics(1, 0, 0));
    }

    @Test
    void anAsyncFailureInTimePassesThroughUnwrapped() {
        Timeout timeout = timeout(Duration.ofSeconds(1), false);

        CompletionStage<String> result = timeout.callAsync(
                () -> CompletableFuture.supplyAsync(() -> {
                    throw new IllegalStateException("down");
                }));

        assertThatThrownBy(() -> result.toCompletableFuture().get())
                .cause().isInstanceOf(IllegalStateException.class).hasMessage("down");
        assertThat(timeout.metrics().failed()).isEqualTo(1);
    }

    @Test
    void cancellingTheResultCancelsTheCallAndTheTimer() {
        Timeout timeout = timeout(Duration.ofSeconds(1), false);
        CompletableFuture<String> call = new CompletableFuture<>();

        timeout.callAsync(() -> call).toCompletableFuture().cancel(true);

        assertThat(call).isCancelled();
        assertThat(clock.pendingTasks()).isEmpty();
    }

    @Test
    void theDeadlineIsVisibleWhileTheAsyncCallStarts() {
        Timeout timeout = timeout(Duration.ofSeconds(1), false);
        AtomicReference<Optional<Deadline>> seen = new AtomicReference<>();

        timeout.callAsync(() -> {
            seen.set(Deadline.current());
            return new CompletableFuture<>();
        });

        assertThat(seen.get()).get().extracting(Deadline::remaining).isEqualTo(Duration.ofSeconds(1));
        assertThat(Deadline.current()).isEmpty();
    }

    // ---- synchronous, on the caller's thread ----

    @Test
    void aLateSyncCallOnTheCallersThreadHasItsResultReplacedByTimeoutExceeded() {
        Timeout timeout = timeout(Duration.ofSeconds(1), false);

        assertThatThrownBy(() -> timeout.call(() -> {
            clock.sleep(TimeUnit.MILLISECONDS.toNanos(1500));
            return "too late";
        })).isInstanceOf(TimeoutExceededException.class)
                .hasMessage("timeout 'pricing' exceeded after PT1S")
                .satisfies(e -> assertThat(((TimeoutExceededException) e).policyName()).isEqualTo("pricing"));
        assertThat(timeout.metrics()).isEqualTo(new Timeout.Metrics(0, 0, 1));
    }

    @Test
    void aSyncCallInTimeReturnsAndSeesTheDeadline() {
        Timeout timeout = timeout(Duration.ofSeconds(1), false);

        Duration remaining = timeout.call(() -> {
            clock.sleep(TimeUnit.MILLISECONDS.toNanos(300));
            return Deadline.current().orElseThrow().remaining();
        });

        assertThat(remaining).isEqualTo(Duration.ofMillis(700));
        assertThat(Deadline.current()).isEmpty();
        assertThat(timeout.metrics()).isEqualTo(new Timeout.Metrics(1, 0, 0));
    }

    @Test
    void nestedTimeoutsKeepTheEarlierDeadline() {
        Timeout outer = timeout(Duration.ofMillis(500), false);
        Timeout inner = Timeout.of("inner", TimeoutConfig.builder().timeout(Duration.ofMillis(400))
                .clock(clock).scheduler(clock).build());

        Duration remaining = outer.call(() -> {
            clock.sleep(TimeUnit.MILLISECONDS.toNanos(200));
            return inner.call(() -> Deadline.current().orElseThrow().remaining());
        });

        assertThat(remaining).isEqualTo(Duration.ofMillis(300)); // the outer's 500 - 200, not the inner's 400
    }

    @Test
    void aLateFailureBecomesTheCauseOfTheTimeout() {
        Timeout timeout = timeout(Duration.ofSeconds(1), false);

        assertThatThrownBy(() -> timeout.run(() -> {
            clock.sleep(TimeUnit.SECONDS.toNanos(2));
            throw new IllegalStateException("late and broken");
        })).isInstanceOf(TimeoutExceededException.class).hasCauseInstanceOf(IllegalStateException.class);
    }

    // ---- synchronous, on the executor ----

    @Test
    void aSyncCallOnTheExecutorIsInterruptedWhenTheTimeIsUp() throws Exception {
        Timeout timeout = timeout(Duration.ofSeconds(1), true);
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        CompletableFuture<Throwable> caller = CompletableFuture.supplyAsync(() -> {
            try {
                timeout.call(() -> {
                    started.countDown();
                    try {
                        new CountDownLatch(1).await(); // blocks until interrupted
                    } catch (InterruptedException e) {
                        interrupted.set(true);
                    }
                    return "never";
                });
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

        clock.advance(Duration.ofSeconds(1));

        assertThat(caller.get(5, TimeUnit.SECONDS)).isInstanceOf(TimeoutExceededException.class);
        // the worker was interrupted, and the pooled thread is clean for its next task
        assertThat(workers.submit(() -> Thread.currentThread().isInterrupted()).get(5, TimeUnit.SECONDS)).isFalse();
        assertThat(interrupted).isTrue();
        assertThat(timeout.metrics().timedOut()).isEqualTo(1);
    }

    @Test
    void aSyncCallOnTheExecutorReturnsItsValueAndSeesTheDeadline() {
        Timeout timeout = timeout(Duration.ofSeconds(1), true);
        String caller = Thread.currentThread().getName();

        String worker = timeout.call(() -> {
            assertThat(Deadline.current()).isPresent();
            return Thread.currentThread().getName();
        });

        assertThat(worker).isNotEqualTo(caller);
        assertThat(clock.pendingTasks()).isEmpty();
        assertThat(timeout.metrics()).isEqualTo(new Timeout.Metrics(1, 0, 0));
    }

    @Test
    void aSyncFailureOnTheExecutorPassesThroughUnchanged() {
        Timeout timeout = timeout(Duration.ofSeconds(1), true);

        assertThatThrownBy(() -> timeout.call(() -> {
            throw new IllegalStateException("down");
        })).isInstanceOf(IllegalStateException.class).hasMessage("down");
        assertThat(timeout.metrics().failed()).isEqualTo(1);
    }

    @Test
    void configRejectsANonPositiveTimeout() {
        assertThatThrownBy(() -> TimeoutConfig.builder().timeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("timeout must be positive, was PT0S");
    }
}
