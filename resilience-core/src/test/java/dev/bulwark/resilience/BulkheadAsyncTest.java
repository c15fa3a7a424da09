package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The asynchronous behaviour of {@link Bulkhead}: no thread blocks; queued calls start on the scheduler. */
class BulkheadAsyncTest {
    private final ManualClock clock = new ManualClock();

    private Bulkhead bulkhead(int limit, Duration maxWait) {
        return Bulkhead.of("inventory", BulkheadConfig.builder()
                .maxConcurrentCalls(limit)
                .maxWait(maxWait)
                .clock(clock)
                .scheduler(clock)
                .build());
    }

    @Test
    void aCallHoldsItsPermitUntilItsStageCompletes() {
        Bulkhead bulkhead = bulkhead(2, Duration.ZERO);
        CompletableFuture<String> remote = new CompletableFuture<>();

        CompletionStage<String> result = bulkhead.callAsync(() -> remote);
        assertThat(bulkhead.availablePermits()).isEqualTo(1);
        remote.complete("stock");

        assertThat(result.toCompletableFuture().join()).isEqualTo("stock");
        assertThat(bulkhead.availablePermits()).isEqualTo(2);
    }

    @Test
    void aFailedStageGivesItsPermitBack() {
        Bulkhead bulkhead = bulkhead(1, Duration.ZERO);
        IllegalStateException down = new IllegalStateException("down");

        CompletableFuture<String> result = bulkhead.<String>callAsync(() -> CompletableFuture.failedFuture(down))
                .toCompletableFuture();

        assertThat(result).isCompletedExceptionally();
        assertThat(result.handle((v, e) -> e).join()).isSameAs(down);
        assertThat(bulkhead.availablePermits()).isEqualTo(1);
    }

    @Test
    void aSupplierThatThrowsIsAFailedCallAndGivesItsPermitBack() {
        Bulkhead bulkhead = bulkhead(1, Duration.ZERO);

        CompletableFuture<String> result = bulkhead.<String>callAsync(() -> {
            throw new IllegalStateException("no stage");
        }).toCompletableFuture();

        assertThat(result.handle((v, e) -> e.getMessage()).join()).isEqualTo("no stage");
        assertThat(bulkhead.availablePermits()).isEqualTo(1);
    }

    @Test
    void aFullBulkheadWithoutWaitFailsTheStageAtOnce() {
        Bulkhead bulkhead = bulkhead(1, Duration.ZERO);
        bulkhead.callAsync(CompletableFuture::new);
        AtomicInteger started = new AtomicInteger();

        CompletableFuture<String> result = bulkhead.<String>callAsync(() -> {
            started.incrementAndGet();
            return new CompletableFuture<>();
        }).toCompletableFuture();

        assertThat(result.handle((v, e) -> e).join()).isInstanceOf(BulkheadFullException.class);
        assertThat(started).hasValue(0);
        assertThat(bulkhead.rejectedCalls()).isEqualTo(1);
    }

    @Test
    void aQueuedCallStartsWhenAPermitFrees() {
        Bulkhead bulkhead = bulkhead(1, Duration.ofSeconds(2));
        CompletableFuture<String> first = new CompletableFuture<>();
        bulkhead.callAsync(() -> first);
        AtomicInteger started = new AtomicInteger();

        CompletableFuture<String> second = bulkhead.<String>callAsync(() -> {
            started.incrementAndGet();
            return CompletableFuture.completedFuture("second");
        }).toCompletableFuture();
        assertThat(bulkhead.waitingCalls()).isEqualTo(1);
        first.complete("first");
        assertThat(started).as("a granted call starts on the scheduler, not on the releasing thread").hasValue(0);
        clock.runDueTasks();

        assertThat(second.join()).isEqualTo("second");
        assertThat(started).hasValue(1);
        assertThat(bulkhead.waitingCalls()).isZero();
        assertThat(bulkhead.availablePermits()).isEqualTo(1);
    }

    @Test
    void aQueuedCallFailsWhenMaxWaitPasses() {
        Bulkhead bulkhead = bulkhead(1, Duration.ofSeconds(2));
        bulkhead.callAsync(CompletableFuture::new);

        CompletableFuture<String> queued =
                bulkhead.<String>callAsync(() -> CompletableFuture.completedFuture("late")).toCompletableFuture();
        clock.advance(Duration.ofMillis(1999));
        assertThat(queued).isNotDone();
        clock.advance(Duration.ofMillis(1));

        assertThat(queued.handle((v, e) -> e).join())
                .isInstanceOf(BulkheadFullException.class)
                .hasMessage("bulkhead 'inventory' is full (maxConcurrentCalls=1, maxWait=PT2S)");
        assertThat(bulkhead.waitingCalls()).isZero();
    }

    @Test
    void cancellingARunningCallCancelsItAndGivesItsPermitBackAtOnce() {
        Bulkhead bulkhead = bulkhead(1, Duration.ZERO);
        CompletableFuture<String> remote = new CompletableFuture<>();
        CompletableFuture<String> result = bulkhead.callAsync(() -> remote).toCompletableFuture();

        assertThat(result.cancel(true)).isTrue();

        assertThat(remote).isCancelled();
        assertThat(bulkhead.availablePermits()).isEqualTo(1);
        remote.obtrudeValue("late");
        assertThat(bulkhead.availablePermits()).as("the permit is given back exactly once").isEqualTo(1);
    }

    @Test
    void aCancelledInnerStageGivesThePermitBackOnce() {
        Bulkhead bulkhead = bulkhead(1, Duration.ZERO);
        CompletableFuture<String> remote = new CompletableFuture<>();
        CompletableFuture<String> result = bulkhead.callAsync(() -> remote).toCompletableFuture();

        remote.cancel(true);
        result.cancel(true);

        assertThat(result.handle((v, e) -> e).join()).isInstanceOf(CancellationException.class);
        assertThat(bulkhead.availablePermits()).isEqualTo(1);
    }

    @Test
    void cancellingAQueuedCallTakesItOutOfTheQueueWithoutRunningIt() {
        Bulkhead bulkhead = bulkhead(1, Duration.ofSeconds(2));
        CompletableFuture<String> first = new CompletableFuture<>();
        bulkhead.callAsync(() -> first);
        AtomicInteger started = new AtomicInteger();
        CompletableFuture<String> queued = bulkhead.<String>callAsync(() -> {
            started.incrementAndGet();
            return new CompletableFuture<>();
        }).toCompletableFuture();

        queued.cancel(false);
        assertThat(bulkhead.waitingCalls()).isZero();
        assertThat(clock.pendingTasks()).as("the wait's timer is cancelled").isEmpty();
        first.complete("first");
        clock.advance(Duration.ofSeconds(5));

        assertThat(started).hasValue(0);
        assertThat(bulkhead.availablePermits()).isEqualTo(1);
    }

    @Test
    void aCallCancelledAfterItsPermitCameButBeforeItStartedGivesThePermitBack() {
        Bulkhead bulkhead = bulkhead(1, Duration.ofSeconds(2));
        CompletableFuture<String> first = new CompletableFuture<>();
        bulkhead.callAsync(() -> first);
        AtomicInteger started = new AtomicInteger();
        CompletableFuture<String> queued = bulkhead.<String>callAsync(() -> {
            started.incrementAndGet();
            return new CompletableFuture<>();
        }).toCompletableFuture();

        first.complete("first");
        queued.cancel(false);
        clock.runDueTasks();

        assertThat(started).hasValue(0);
        assertThat(bulkhead.availablePermits()).isEqualTo(1);
    }

    @Test
    void joinOnAFailedStageThrowsTheRejection() {
        Bulkhead bulkhead = bulkhead(1, Duration.ZERO);
        bulkhead.callAsync(CompletableFuture::new);

        CompletableFuture<Object> result = bulkhead.callAsync(CompletableFuture::new).toCompletableFuture();

        org.assertj.core.api.Assertions.assertThatThrownBy(result::join)
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(BulkheadFullException.class);
    }

    @Test
    void decorateAsyncGoesThroughTheBulkhead() {
        Bulkhead bulkhead = bulkhead(1, Duration.ZERO);
        CompletableFuture<String> remote = new CompletableFuture<>();
        var decorated = bulkhead.decorateAsync(() -> remote);

        decorated.get();

        assertThat(bulkhead.availablePermits()).isZero();
        remote.complete("ok");
        assertThat(bulkhead.availablePermits()).isEqualTo(1);
    }

    @Test
    void insideATimeoutAQueuedCallWaitsNoLongerThanTheDeadline() {
        Bulkhead bulkhead = bulkhead(1, Duration.ofSeconds(5));
        bulkhead.callAsync(CompletableFuture::new);
        Pipeline pipeline = Pipeline.of(Timeout.of("overall", TimeoutConfig.builder().timeout(Duration.ofMillis(300))
                .clock(clock).scheduler(clock).build()), bulkhead);

        CompletableFuture<String> queued = pipeline.<String>callAsync(CompletableFuture::new).toCompletableFuture();

        assertThat(bulkhead.waitingCalls()).isEqualTo(1);
        assertThat(clock.pendingTasks()).as("the timeout's timer and the wait's, both at the deadline")
                .containsExactly(Duration.ofMillis(300), Duration.ofMillis(300));
        clock.advance(Duration.ofMillis(300));
        assertThat(queued).isCompletedExceptionally();
        assertThat(bulkhead.waitingCalls()).isZero();
    }
}
