package dev.bulwark.saga;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The results of sagas a caller asked for again ({@link SagaOrchestrator#start(SagaDefinition, String, Object)}
 * with an id that already existed). Such a saga may run on this node, on another, or on none yet, so its outcome
 * is read from the store: once when it is followed, again whenever a saga of this node ends, and on every poll.
 *
 * <p>Why no follower is lost: followers are added to and drained from {@link #waiting} with {@code compute}, which
 * is atomic per saga id, and a follower added after a drain schedules its own check.
 */
final class SagaFollowers {
    private static final Logger LOG = LoggerFactory.getLogger(SagaOrchestrator.class);

    private record Follower<D>(SagaDefinition<D> definition, CompletableFuture<SagaResult<D>> result) {}

    private final Orchestrator node;
    private final Map<String, List<Follower<?>>> waiting = new ConcurrentHashMap<>();

    SagaFollowers(Orchestrator node) {
        this.node = node;
    }

    /** A result stage for saga {@code sagaId}, completed when the store shows it ended or parked. */
    <D> CompletionStage<SagaResult<D>> follow(String sagaId, SagaDefinition<D> definition) {
        CompletableFuture<SagaResult<D>> result = new CompletableFuture<>();
        waiting.compute(sagaId, (id, list) -> {
            List<Follower<?>> followers = list == null ? new ArrayList<>() : list;
            followers.add(new Follower<>(definition, result));
            return followers;
        });
        node.execute(() -> check(sagaId));
        return result;
    }

    /** A saga of this node ended: its followers need not wait for the next poll. */
    void ended(String sagaId) {
        if (waiting.containsKey(sagaId)) {
            node.execute(() -> check(sagaId));
        }
    }

    /** Looks up every followed saga (called by the poll). */
    void checkAll() {
        for (String sagaId : List.copyOf(waiting.keySet())) {
            check(sagaId);
        }
    }

    /** Completes the followers of a saga that ended or is parked; the others keep waiting. */
    void check(String sagaId) {
        // Read before the store: a local run records the saga before it leaves the map, so a run gone by now
        // and a row still missing mean the saga was never recorded.
        boolean local = node.running(sagaId) != null;
        Optional<Journal.SagaRow> found;
        try {
            found = node.journal().find(sagaId);
        } catch (RuntimeException e) {
            LOG.warn("saga orchestrator {} could not read saga {} for its followers; it tries again", node.nodeId(),
                    sagaId, e);
            return;
        }
        if (found.isEmpty()) {
            if (!local) {
                // Its first starter's insert failed: the saga was never recorded, and that caller was told.
                drain(sagaId, follower -> follower.result().completeExceptionally(new IllegalStateException(
                        "saga " + sagaId + " was not recorded: the start that created it failed")));
            }
            return;
        }
        Journal.SagaRow row = found.get();
        if (!row.state().isTerminal() && !row.state().isParked()) {
            return;
        }
        List<StepRecord> history = node.journal().history(sagaId);
        SagaFailure reason = SagaFailure.explain(row.state(), row.message(), history);
        drain(sagaId, follower -> complete(follower, row, reason));
    }

    private <D> void complete(Follower<D> follower, Journal.SagaRow row, SagaFailure reason) {
        D data;
        try {
            data = node.codec().read(row.data(), follower.definition().dataType());
        } catch (IllegalArgumentException e) {
            follower.result().completeExceptionally(new IllegalStateException("saga " + row.sagaId() + " ended "
                    + row.state() + ", but its data could not be read as " + follower.definition().dataType().getName(), e));
            return;
        }
        follower.result().complete(new SagaResult<>(row.sagaId(), row.state(), data, reason));
    }

    /** Completes every follower exceptionally: this node stops following. */
    void closeAll() {
        for (String sagaId : List.copyOf(waiting.keySet())) {
            drain(sagaId, follower -> follower.result().completeExceptionally(new IllegalStateException(
                    "the orchestrator " + node.nodeId() + " was closed before saga " + sagaId + " ended; its outcome "
                    + "will be in the store")));
        }
    }

    private void drain(String sagaId, java.util.function.Consumer<Follower<?>> action) {
        List<List<Follower<?>>> drained = new ArrayList<>(1);
        waiting.compute(sagaId, (id, list) -> {
            if (list != null) {
                drained.add(list);
            }
            return null;
        });
        for (List<Follower<?>> list : drained) {
            list.forEach(action);
        }
    }
}
