package dev.bulwark.saga;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two nodes on one in-memory store and one manual clock: leases, takeover, fencing and versions. */
class SagaRecoveryTest {
    private final Harness h = new Harness();
    private final Participant p = h.participant;
    private final java.util.List<AutoCloseable> toClose = new java.util.ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
    }

    private <T extends AutoCloseable> T closeLater(T closeable) {
        toClose.add(closeable);
        return closeable;
    }

    /** An executor whose tasks run only when the test says so: a node that stops running them has "died". */
    static final class HeldExecutor implements java.util.concurrent.Executor {
        final Queue<Runnable> tasks = new ArrayDeque<>();

        @Override
        public synchronized void execute(Runnable task) {
            tasks.add(task);
        }

        synchronized Runnable next() {
            return tasks.poll();
        }
    }

    private SagaDefinition<Order> threeSteps(int version) {
        return Saga.define("order", Order.class).version(version)
                .step("a").action(p::apply).compensation(p::undo)
                .step("b").action(p::apply).compensation(p::undo)
                .step("c").action(p::apply).compensation(p::undo)
                .build();
    }

    @Test
    void anotherNodeResumesADeadNodesSagaAfterTheLeaseExpiresWithoutRerunningCompletedSteps() {
        SagaDefinition<Order> saga = threeSteps(1);
        HeldExecutor held = new HeldExecutor();
        SagaOrchestrator dying = h.node("dying", held, saga);
        SagaHandle<Order> handle = dying.start(saga, new Order("sku", 1));
        held.next().run(); // step a runs and records; step b is recorded as started, then the node dies
        SagaOrchestrator survivor = closeLater(h.node("survivor", saga));

        h.clock.advance(Harness.LEASE.minusSeconds(1));
        assertThat(p.calls).containsOnlyKeys(handle.sagaId() + "/a");
        h.clock.advance(Duration.ofSeconds(2));

        SagaSummary summary = survivor.operator().find(handle.sagaId()).orElseThrow();
        assertThat(summary.state()).isEqualTo(SagaState.COMPLETED);
        assertThat(p.calls).containsEntry(handle.sagaId() + "/a", 1).containsEntry(handle.sagaId() + "/b", 1)
                .containsEntry(handle.sagaId() + "/c", 1);
    }

    @Test
    void aStepThatRanButDidNotRecordItsCompletionRunsAgainWithTheSameKeyAndTheStaleNodeIsFencedOff()
            throws Exception {
        CountDownLatch frozen = new CountDownLatch(1);
        AtomicBoolean first = new AtomicBoolean(true);
        SagaDefinition<Order> saga = Saga.define("freeze", Order.class)
                .step("a").action(p::apply).compensation(p::undo)
                .step("b").action(ctx -> {
                    p.apply(ctx);
                    if (first.getAndSet(false)) {
                        frozen.await(); // the node stalls after the effect, before recording it
                    }
                }).compensation(p::undo)
                .step("c").action(p::apply)
                .build();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        SagaOrchestrator stalled = h.node("stalled", pool, saga);
        SagaHandle<Order> handle = stalled.start(saga, new Order("sku", 1));
        while (!p.calls.containsKey(handle.sagaId() + "/b")) {
            Thread.onSpinWait();
        }
        SagaOrchestrator survivor = closeLater(h.node("survivor", saga));

        h.clock.advance(Harness.LEASE.plusSeconds(2));

        assertThat(survivor.operator().find(handle.sagaId()).orElseThrow().state()).isEqualTo(SagaState.COMPLETED);
        assertThat(p.calls).containsEntry(handle.sagaId() + "/b", 2);
        assertThat(p.effects).hasSize(3);

        frozen.countDown();
        assertThatThrownBy(() -> handle.result().toCompletableFuture().get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(IllegalStateException.class)
                .hasMessageContaining("was taken over by another node");
        assertThat(survivor.operator().history(handle.sagaId())).extracting(StepRecord::stepId).containsExactly("a", "b", "c");
        stalled.close();
        pool.shutdownNow();
    }

    @Test
    void aSagaWhoseVersionTheNodeLacksIsParkedAndResumesOnANodeThatHasIt() {
        SagaDefinition<Order> v1 = threeSteps(1);
        SagaDefinition<Order> v2 = threeSteps(2);
        HeldExecutor held = new HeldExecutor();
        SagaOrchestrator old = h.node("old", held, v1);
        SagaHandle<Order> handle = old.start(v1, new Order("sku", 1));
        SagaOrchestrator upgraded = closeLater(h.node("upgraded", v2));

        h.clock.advance(Harness.LEASE.plusSeconds(2));

        SagaSummary parked = upgraded.operator().find(handle.sagaId()).orElseThrow();
        assertThat(parked.state()).isEqualTo(SagaState.DEFINITION_MISSING);
        assertThat(parked.message()).isEqualTo("saga definition 'order' version 1 is not registered on node upgraded");
        assertThat(p.calls).isEmpty();

        SagaOrchestrator both = closeLater(h.node("both", v1, v2));
        both.operator().retry(handle.sagaId());
        h.clock.advance(Harness.POLL);

        assertThat(both.operator().find(handle.sagaId()).orElseThrow().state()).isEqualTo(SagaState.COMPLETED);
        assertThat(p.calls).hasSize(3);
    }

    @Test
    void aCancellationRequestedThroughTheStoreReachesTheNodeRunningTheSaga() {
        SagaDefinition<Order> saga = threeSteps(1);
        HeldExecutor held = new HeldExecutor();
        SagaOrchestrator runner = h.node("runner", held, saga);
        SagaHandle<Order> handle = runner.start(saga, new Order("sku", 1));
        held.next().run(); // a completes, b is started
        SagaOrchestrator other = closeLater(h.node("other", saga));

        other.operator().cancel(handle.sagaId());
        h.clock.advance(Harness.LEASE.dividedBy(3));   // the runner's lease renewal sees the flag
        Runnable next;
        while ((next = held.next()) != null) {
            next.run();
        }

        assertThat(handle.result().toCompletableFuture().join().state()).isEqualTo(SagaState.CANCELLED);
        assertThat(p.effects).isEmpty();
        runner.close();
    }

    @Test
    void closingReleasesLeasesSoAnotherNodeTakesOverAtOnce() {
        SagaDefinition<Order> saga = threeSteps(1);
        HeldExecutor held = new HeldExecutor();
        SagaOrchestrator leaving = h.node("leaving", held, saga);
        SagaHandle<Order> handle = leaving.start(saga, new Order("sku", 1));
        held.next().run();

        leaving.close();
        SagaOrchestrator staying = closeLater(h.node("staying", saga));
        h.clock.advance(Harness.POLL);

        assertThat(staying.operator().find(handle.sagaId()).orElseThrow().state()).isEqualTo(SagaState.COMPLETED);
        assertThat(handle.result().toCompletableFuture()).isCompletedExceptionally();
        assertThatThrownBy(() -> handle.result().toCompletableFuture().join())
                .isInstanceOf(CompletionException.class).hasMessageContaining("the orchestrator was closed");
    }

    @Test
    void aSagaWhoseDeadlinePassedWhileItsNodeWasDeadCompensatesTheStepThatNodeHadStarted() {
        SagaDefinition<Order> saga = Saga.define("deadline", Order.class)
                .timeout(Duration.ofSeconds(5))
                .step("a").action(p::apply).compensation(p::undo)
                .step("b").action(p::apply).compensation(p::undo)
                .build();
        HeldExecutor held = new HeldExecutor();
        SagaOrchestrator dying = h.node("dying", held, saga);
        SagaHandle<Order> handle = dying.start(saga, new Order("sku", 1));
        held.next().run(); // a completes; b is recorded as started and may have taken effect
        SagaOrchestrator survivor = closeLater(h.node("survivor", saga));

        h.clock.advance(Harness.LEASE.plusSeconds(2));

        SagaSummary summary = survivor.operator().find(handle.sagaId()).orElseThrow();
        assertThat(summary.state()).isEqualTo(SagaState.COMPENSATED);
        assertThat(summary.message()).isEqualTo("saga timed out after PT5S");
        assertThat(p.log()).containsExactly("do a", "undo b", "undo a");
        assertThat(survivor.operator().history(handle.sagaId()))
                .extracting(entry -> entry.stepId() + " " + entry.phase() + " " + entry.outcome())
                .containsExactly("a ACTION COMPLETED", "b ACTION ABANDONED", "b COMPENSATION COMPLETED",
                        "a COMPENSATION COMPLETED");
    }

    @Test
    void aLiveNodeRenewsItsLeaseSoALongStepIsNotTakenOver() {
        SagaDefinition<Order> saga = Saga.define("long", Order.class)
                .step("a").action(p::apply).compensation(p::undo)
                .step("long").action(ctx -> {
                    p.apply(ctx);
                    for (int second = 0; second < 30; second++) {
                        h.clock.advance(Duration.ofSeconds(1)); // three lease durations pass while the step runs
                    }
                })
                .build();
        SagaOrchestrator other = closeLater(h.node("other", saga));
        SagaOrchestrator runner = closeLater(h.node("runner", saga));

        SagaHandle<Order> handle = runner.start(saga, new Order("sku", 1));

        assertThat(handle.result().toCompletableFuture().join().state()).isEqualTo(SagaState.COMPLETED);
        assertThat(p.calls).containsEntry(handle.sagaId() + "/long", 1);
        assertThat(other.operator().history(handle.sagaId())).hasSize(2);
    }
}
