package dev.bulwark.saga;

import dev.bulwark.resilience.ManualClock;
import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * A deterministic test node: a manual clock that is also the scheduler, and (by default) a direct executor, so
 * a saga runs to its end inside {@code start} or inside {@code clock.advance}.
 */
final class Harness {
    static final Duration LEASE = Duration.ofSeconds(10);
    static final Duration POLL = Duration.ofSeconds(1);

    final ManualClock clock = new ManualClock();
    final SagaStore store;
    final Participant participant = new Participant();

    Harness() {
        this(new InMemorySagaStore());
    }

    Harness(SagaStore store) {
        this.store = store;
    }

    SagaOrchestrator node(String nodeId, SagaDefinition<?>... definitions) {
        return node(nodeId, Runnable::run, definitions);
    }

    SagaOrchestrator node(String nodeId, Executor executor, SagaDefinition<?>... definitions) {
        return SagaOrchestrator.builder().store(store).register(definitions).executor(executor)
                .scheduler(clock).clock(clock).nodeId(nodeId).leaseDuration(LEASE).pollInterval(POLL)
                .shutdownTimeout(Duration.ofMillis(200)).start();
    }

    static <D> SagaResult<D> resultNow(SagaHandle<D> handle) {
        SagaResult<D> result = handle.result().toCompletableFuture().getNow(null);
        if (result == null) {
            throw new AssertionError("saga " + handle.sagaId() + " has not ended");
        }
        return result;
    }
}
