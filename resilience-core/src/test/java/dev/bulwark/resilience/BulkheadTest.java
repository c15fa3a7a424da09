package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The synchronous behaviour of {@link Bulkhead}; see {@link BulkheadAsyncTest} for asynchronous calls. */
class BulkheadTest {
    private final ManualClock clock = new ManualClock();
    private final List<Thread> threads = new ArrayList<>();

    @AfterEach
    void stopThreads() throws InterruptedException {
        for (Thread thread : threads) {
            thread.interrupt();
            thread.join(5_000);
        }
    }

    private Bulkhead bulkhead(int limit, Duration maxWait) {
        return Bulkhead.of("payments", BulkheadConfig.builder()
                .maxConcurrentCalls(limit)
                .maxWait(maxWait)
                .clock(clock)
                .scheduler(clock)
                .build());
    }

    /** Starts a thread that runs a call under the bulkhead and holds its permit until {@code done} opens. */
    private void holdPermit(Bulkhead bulkhead, CountDownLatch done) throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        start(() -> bulkhead.run(() -> {
            started.countDown();
            awaitQuietly(done);
        }));
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
    }

    /** Starts a thread that calls the bulkhead and reports what came of it. */
    private AtomicReference<Object> callInThread(Bulkhead bulkhead, Supplier<String> supplier) {
        AtomicReference<Object> result = new AtomicReference<>();
        start(() -> {
            try {
                result.set(bulkhead.call(supplier));
            } catch (RuntimeException e) {
                result.set(e);
            }
        });
        return result;
    }

    private void start(Runnable task) {
        Thread thread = new Thread(task, "bulkhead-test-caller");
        threads.add(thread);
        thread.start();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aCallHoldsAPermitWhileItRuns() {
        Bulkhead bulkhead = bulkhead(3, Duration.ZERO);

        int duringTheCall = bulkhead.call(bulkhead::availablePermits);

        assertThat(duringTheCall).isEqualTo(2);
        assertThat(bulkhead.availablePermits()).isEqualTo(3);
        assertThat(bulkhead.permittedCalls()).isEqualTo(1);
    }

    @Test
    void aFailingCallGivesItsPermitBack() {
        Bulkhead bulkhead = bulkhead(1, Duration.ZERO);

        assertThatThrownBy(() -> bulkhead.call(() -> {
            throw new IllegalStateException("down");
        })).isInstanceOf(IllegalStateException.class).hasMessage("down");

        assertThat(bulkhead.availablePermits()).isEqualTo(1);
        assertThat(bulkhead.call(() -> "next")).isEqualTo("next");
    }

    @Test
    void aFullBulkheadWithoutWaitRejectsAtOnce() throws InterruptedException {
        Bulkhead bulkhead = bulkhead(1, Duration.ZERO);
        CountDownLatch done = new CountDownLatch(1);
        holdPermit(bulkhead, done);

        assertThatThrownBy(() -> bulkhead.call(() -> "never"))
                .isInstanceOf(BulkheadFullException.class)
                .hasMessage("bulkhead 'payments' is full (maxConcurrentCalls=1, maxWait=PT0S)")
                .satisfies(e -> assertThat(((RejectedException) e).policyName()).isEqualTo("payments"));
        assertThat(bulkhead.rejectedCalls()).isEqualTo(1);
        done.countDown();
    }

    @Test
    void attemptReportsARejectionWithoutThrowing() throws InterruptedException {
        Bulkhead bulkhead = bulkhead(1, Duration.ZERO);
        CountDownLatch done = new CountDownLatch(1);
        holdPermit(bulkhead, done);

        Outcome<String> outcome = bulkhead.attempt(() -> "never");

        assertThat(outcome).isInstanceOf(Outcome.Rejected.class);
        assertThat(((Outcome.Rejected<String>) outcome).rejection()).isInstanceOf(BulkheadFullException.class);
        done.countDown();
    }

    @Test
    void attemptReportsSuccessAndFailure() {
        Bulkhead bulkhead = bulkhead(1, Duration.ZERO);
        IllegalStateException down = new IllegalStateException("down");

        assertThat(bulkhead.attempt(() -> "ok")).isEqualTo(Outcome.success("ok"));
        assertThat(bulkhead.<String>attempt(() -> {
            throw down;
        })).isEqualTo(Outcome.failure(down));
        assertThat(bulkhead.availablePermits()).isEqualTo(1);
    }

    @Test
    void aWaitingCallRunsWhenAPermitFrees() throws InterruptedException {
        Bulkhead bulkhead = bulkhead(1, Duration.ofSeconds(1));
        CountDownLatch done = new CountDownLatch(1);
        holdPermit(bulkhead, done);

        AtomicReference<Object> result = callInThread(bulkhead, () -> "served");
        Eventually.until(() -> bulkhead.waitingCalls() == 1);
        clock.advance(Duration.ofMillis(999));
        assertThat(result.get()).isNull();
        done.countDown();

        Eventually.until(() -> result.get() != null);
        assertThat(result.get()).isEqualTo("served");
        assertThat(bulkhead.waitingCalls()).isZero();
    }

    @Test
    void aWaitingCallIsRejectedWhenMaxWaitPasses() throws InterruptedException {
        Bulkhead bulkhead = bulkhead(1, Duration.ofSeconds(1));
        CountDownLatch done = new CountDownLatch(1);
        holdPermit(bulkhead, done);

        AtomicReference<Object> result = callInThread(bulkhead, () -> "never");
        Eventually.until(() -> bulkhead.waitingCalls() == 1);
        clock.advance(Duration.ofSeconds(1));

        Eventually.until(() -> result.get() != null);
        assertThat(result.get()).isInstanceOf(BulkheadFullException.class);
        assertThat(((BulkheadFullException) result.get()).getMessage())
                .isEqualTo("bulkhead 'payments' is full (maxConcurrentCalls=1, maxWait=PT1S)");
        assertThat(bulkhead.waitingCalls()).isZero();
        assertThat(bulkhead.availablePermits()).isZero();
        done.countDown();
        Eventually.until(() -> bulkhead.availablePermits() == 1);
    }

    @Test
    void waitingCallsAreServedInArrivalOrder() throws InterruptedException {
        Bulkhead bulkhead = bulkhead(1, Duration.ofSeconds(1));
        CountDownLatch done = new CountDownLatch(1);
        holdPermit(bulkhead, done);
        List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();

        callInThread(bulkhead, () -> {
            order.add("first");
            return "first";
        });
        Eventually.until(() -> bulkhead.waitingCalls() == 1);
        callInThread(bulkhead, () -> {
            order.add("second");
            return "second";
        });
        Eventually.until(() -> bulkhead.waitingCalls() == 2);
        done.countDown();

        Eventually.until(() -> order.size() == 2);
        assertThat(order).containsExactly("first", "second");
    }

    @Test
    void anInterruptedWaiterLeavesTheQueueAndKeepsItsInterruptStatus() throws InterruptedException {
        Bulkhead bulkhead = bulkhead(1, Duration.ofSeconds(1));
        CountDownLatch done = new CountDownLatch(1);
        holdPermit(bulkhead, done);
        AtomicReference<Object> result = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                bulkhead.call(() -> "never");
            } catch (CancellationException e) {
                result.set(e.getMessage() + " / interrupted=" + Thread.currentThread().isInterrupted());
            }
        });
        threads.add(waiter);
        waiter.start();
        Eventually.until(() -> bulkhead.waitingCalls() == 1);

        waiter.interrupt();

        Eventually.until(() -> result.get() != null);
        assertThat(result.get())
                .isEqualTo("bulkhead 'payments': interrupted while waiting for a permit / interrupted=true");
        assertThat(bulkhead.waitingCalls()).isZero();
        done.countDown();
        Eventually.until(() -> bulkhead.availablePermits() == 1);
    }

    @Test
    void runAndDecorateGoThroughTheBulkhead() {
        Bulkhead bulkhead = bulkhead(2, Duration.ZERO);
        List<Integer> seen = new ArrayList<>();

        bulkhead.run(() -> seen.add(bulkhead.availablePermits()));
        seen.add(bulkhead.decorate(bulkhead::availablePermits).get());
        seen.add(bulkhead.<Integer, Integer>decorate(x -> x + bulkhead.availablePermits()).apply(10));

        assertThat(seen).containsExactly(1, 1, 11);
    }

    @Test
    void listenersHearPermitsRejectionsAndEnds() throws InterruptedException {
        Bulkhead bulkhead = bulkhead(1, Duration.ZERO);
        List<BulkheadEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        bulkhead.onEvent(events::add);

        bulkhead.call(() -> "ok");
        CountDownLatch done = new CountDownLatch(1);
        holdPermit(bulkhead, done);
        bulkhead.attempt(() -> "refused");
        done.countDown();
        Eventually.until(() -> events.size() == 5);

        assertThat(events).extracting(e -> e.getClass().getSimpleName()).containsExactly(
                "CallPermitted", "CallFinished", "CallPermitted", "CallRejected", "CallFinished");
        assertThat(events.get(0)).isEqualTo(new BulkheadEvent.CallPermitted(
                "payments", java.time.Instant.ofEpochMilli(clock.currentTimeMillis()), Duration.ZERO));
    }

    @Test
    void aRemovedListenerHearsNothing() {
        Bulkhead bulkhead = bulkhead(1, Duration.ZERO);
        List<BulkheadEvent> events = new ArrayList<>();
        java.util.function.Consumer<BulkheadEvent> listener = events::add;
        bulkhead.onEvent(listener);

        assertThat(bulkhead.removeListener(listener)).isTrue();
        bulkhead.call(() -> "ok");

        assertThat(events).isEmpty();
    }

    @Test
    void aWaitedPermitReportsHowLongItWaited() throws InterruptedException {
        Bulkhead bulkhead = bulkhead(1, Duration.ofSeconds(1));
        List<BulkheadEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        holdPermit(bulkhead, done);
        bulkhead.onEvent(events::add);

        AtomicReference<Object> result = callInThread(bulkhead, () -> "served");
        Eventually.until(() -> bulkhead.waitingCalls() == 1);
        clock.advance(Duration.ofMillis(300));
        done.countDown();
        Eventually.until(() -> result.get() != null);

        assertThat(events).filteredOn(BulkheadEvent.CallPermitted.class::isInstance)
                .singleElement()
                .extracting(e -> ((BulkheadEvent.CallPermitted) e).waited())
                .isEqualTo(Duration.ofMillis(300));
    }

    @Test
    void insideATimeoutAWaitEndsAtTheDeadlineRatherThanAtMaxWait() throws InterruptedException {
        Bulkhead bulkhead = bulkhead(1, Duration.ofSeconds(5));
        Pipeline pipeline = Pipeline.of(Timeout.of("overall", TimeoutConfig.builder().timeout(Duration.ofMillis(300))
                .clock(clock).scheduler(clock).build()), bulkhead);
        CountDownLatch done = new CountDownLatch(1);
        holdPermit(bulkhead, done);
        AtomicReference<Object> result = new AtomicReference<>();
        start(() -> {
            try {
                result.set(pipeline.call(() -> "never"));
            } catch (RuntimeException e) {
                result.set(e);
            }
        });
        Eventually.until(() -> bulkhead.waitingCalls() == 1);

        clock.advance(Duration.ofMillis(300));

        Eventually.until(() -> result.get() != null);
        assertThat((Throwable) result.get()).hasRootCauseInstanceOf(BulkheadFullException.class);
        assertThat(bulkhead.waitingCalls()).isZero();
        done.countDown();
    }
}
