package dev.bulwark.saga;

import dev.bulwark.resilience.Scheduler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One saga instance being driven by this node: a state machine moved by events (a step settled, an abort).
 *
 * <p>How it stays correct: every event is handled under {@link #lock}. The handler updates the in-memory
 * progress, plans what runs next, and writes ONE transition to the journal (the settled step's history entry,
 * the new state, the steps about to start) before any planned step is started. So the store always knows
 * every effect that may have happened: a step that started but did not record completion is run again after
 * a crash, with the same idempotency key. Steps are started and futures completed only after the lock is
 * released, so user code never runs under it. The progress itself is derived from the history (see
 * {@link #replay}), which is why a resumed saga and a fresh one follow the same code.
 */
final class SagaRun<D> {
    private static final Logger LOG = LoggerFactory.getLogger(SagaOrchestrator.class);
    static final String CANCELLED = "cancelled by an operator";

    final String sagaId;
    private final Orchestrator node;
    private final SagaDefinition<D> definition;
    private final CompletableFuture<SagaResult<D>> result;
    private final long deadline;
    private final ReentrantLock lock = new ReentrantLock();

    // Everything below is guarded by lock.
    /** Set once the saga is in the store: from then on a lease renewal that misses it means it was lost. */
    volatile boolean recorded;

    private SagaState state;
    private SagaState stored;
    private SagaState resumeState;
    private D data;
    private boolean dataChanged;
    /** Why the saga is not completing (its message in the store), or {@code null}. */
    private SagaFailure failure;
    /** Why the saga compensates, as its compensations see it; set when it turns COMPENSATING. */
    private SagaFailure compensationReason;
    private boolean pivotPassed;
    private boolean cancelRequested;
    private String abortReason;
    private boolean finished;
    private List<String> parkedOn = List.of();
    private final SagaProgress<D> progress;
    private final Map<String, Attempt<D>> inFlight = new LinkedHashMap<>();
    private final List<StepRecord> pending = new ArrayList<>();
    private Runnable afterUnlock;
    private Scheduler.Task deadlineTask;

    SagaRun(Orchestrator node, SagaDefinition<D> definition, String sagaId, SagaState state, D data, long deadline,
            CompletableFuture<SagaResult<D>> result) {
        this.node = node;
        this.definition = definition;
        this.sagaId = sagaId;
        this.state = state;
        this.stored = state;
        this.data = data;
        this.deadline = deadline;
        this.result = result;
        this.progress = new SagaProgress<>(definition);
    }

    /**
     * Records a new saga and starts its first unit; returns false, having done nothing, if a saga with this id is
     * already recorded.
     */
    boolean begin(long now) {
        lock.lock();
        List<Attempt<D>> launches;
        try {
            List<Step<D>> planned = new ArrayList<>();
            planForward(planned);
            if (!node.journal().insert(new Journal.SagaRow(sagaId, definition.name(), definition.version(), state,
                    null, node.codec().write(data), ids(planned), null, false, false, node.nodeId(),
                    now + node.leaseMillis(), deadline, now, now, 0))) {
                finished = true;
                return false;
            }
            recorded = true;
            launches = launch(planned, false);
            scheduleDeadline(now);
        } finally {
            lock.unlock();
        }
        submit(launches);
        return true;
    }

    /** Continues a claimed saga from its recorded history. */
    void resume(Journal.SagaRow row, List<StepRecord> history) {
        recorded = true;
        lock.lock();
        try {
            progress.replay(history);
            failure = SagaFailure.resumed(state, row.message(), history);
            compensationReason = state == SagaState.COMPENSATING ? failure : null;
            pivotPassed = row.pivotPassed() || progress.pivotDone();
            cancelRequested = row.cancelRequested();
            if (state == SagaState.RUNNING) {
                progress.startedElsewhere(row.active());
            }
            if (cancelRequested) {
                abortReason = CANCELLED;
            }
            scheduleDeadline(node.clock().currentTimeMillis());
        } finally {
            lock.unlock();
        }
        onEvent(() -> {});
    }

    private void scheduleDeadline(long now) {
        if (deadline <= 0 || pivotPassed || state != SagaState.RUNNING) {
            return;
        }
        String reason = definition.timeout().map(timeout -> "saga timed out after " + timeout)
                .orElse("saga passed its deadline");
        if (deadline <= now) {
            abortReason = reason;
            return;
        }
        deadlineTask = node.scheduler().schedule(() -> node.execute(() -> abort(reason, false)),
                TimeUnit.MILLISECONDS.toNanos(deadline - now));
    }

    /** A step's action or compensation ended (called once per attempt, on whatever thread ended it). */
    void settled(Attempt<D> attempt, StepRecord.Outcome outcome, String outputJson, D newData, String error) {
        long nanos = node.clock().nanoTime() - attempt.startedNanos;
        String id = attempt.step.id();
        StepRecord.Phase phase = attempt.compensation ? StepRecord.Phase.COMPENSATION : StepRecord.Phase.ACTION;
        node.metrics().step(definition.name(), id, phase, outcome, nanos);
        onEvent(() -> {
            if (inFlight.get(id) != attempt) {
                return;
            }
            inFlight.remove(id);
            pending.add(attempt.record(outcome, outputJson, error, node.clock().currentTimeMillis()));
            if (outcome == StepRecord.Outcome.COMPLETED && newData != null) {
                data = newData;
                dataChanged = true;
            }
            if (attempt.compensation) {
                if (outcome == StepRecord.Outcome.COMPLETED) {
                    progress.compensated.add(id);
                } else {
                    park(SagaState.COMPENSATING, List.of(id), SagaFailure.of(pending.get(pending.size() - 1)));
                }
            } else if (outcome == StepRecord.Outcome.COMPLETED) {
                progress.done.add(id);
                if (outputJson != null) {
                    progress.outputs.put(id, outputJson);
                }
                pivotPassed |= attempt.step.kind() == StepKind.PIVOT;
            } else {
                progress.failed.add(id);
                progress.uncertain.remove(id);
                if (outcome == StepRecord.Outcome.TIMED_OUT || outcome == StepRecord.Outcome.UNCERTAIN) {
                    progress.uncertain.add(id);
                }
                if (failure == null) {
                    failure = SagaFailure.of(pending.get(pending.size() - 1));
                }
            }
            LOG.debug("saga {} {} '{}' {}", sagaId, phase == StepRecord.Phase.ACTION ? "step" : "compensation of", id, outcome);
        });
    }

    /** The saga timed out ({@code cancel} false) or was cancelled: compensate, unless the pivot is passed. */
    void abort(String reason, boolean cancel) {
        onEvent(() -> {
            cancelRequested |= cancel;
            if (state == SagaState.RUNNING && !pivotPassed && abortReason == null) {
                abortReason = reason;
                LOG.info("saga {} ({}) is being compensated: {}", sagaId, definition.key(), reason);
            }
        });
    }

    /** Another node holds the saga now: stop following it here. */
    void lost() {
        onEvent(() -> stop(new IllegalStateException("saga " + sagaId
                + " was taken over by another node after this node's lease lapsed; its outcome is in the store")));
    }

    /** The orchestrator is closing: stop following the saga; its lease is released for other nodes. */
    void detach() {
        onEvent(() -> stop(new IllegalStateException("the orchestrator was closed before saga " + sagaId
                + " ended; another node (or this one after a restart) resumes it")));
    }

    private void onEvent(Runnable change) {
        List<Attempt<D>> launches = List.of();
        lock.lock();
        try {
            if (finished) {
                return;
            }
            MDC.put("sagaId", sagaId);
            change.run();
            if (!finished) {
                launches = advance();
            }
        } finally {
            MDC.remove("sagaId");
            Runnable after = afterUnlock;
            afterUnlock = null;
            lock.unlock();
            if (after != null) {
                after.run();
            }
        }
        submit(launches);
    }

    /** Plans, records and returns the attempts to start. Lock held. */
    private List<Attempt<D>> advance() {
        while (true) {
            List<Step<D>> planned = new ArrayList<>();
            if (state == SagaState.RUNNING) {
                planForward(planned);
            }
            if (state == SagaState.COMPENSATING) {
                planBackward(planned);
            }
            if (!pending.isEmpty() || state != stored || dataChanged) {
                Journal.WriteResult written;
                try {
                    written = write(planned);
                } catch (RuntimeException e) {
                    LOG.error("saga {}: could not record its transition to {}; it resumes from its last recorded "
                            + "transition once its lease expires", sagaId, state, e);
                    stop(e);
                    return List.of();
                }
                if (written == Journal.WriteResult.LOST) {
                    stop(new IllegalStateException("saga " + sagaId + " was taken over by another node"));
                    return List.of();
                }
                if (written == Journal.WriteResult.APPLIED_CANCEL_REQUESTED && !cancelRequested) {
                    cancelRequested = true;
                    if (state == SagaState.RUNNING && !pivotPassed) {
                        abortReason = CANCELLED;
                        continue;
                    }
                }
            }
            if (state.isTerminal() || state.isParked()) {
                end();
                return List.of();
            }
            if (node.closing()) {
                stop(new IllegalStateException("the orchestrator was closed before saga " + sagaId + " ended"));
                return List.of();
            }
            return launch(planned, state == SagaState.COMPENSATING);
        }
    }

    private void planForward(List<Step<D>> planned) {
        if (abortReason != null && !pivotPassed && !progress.pivotMayHaveRun()
                && inFlight.values().stream().noneMatch(a -> a.step.kind() == StepKind.PIVOT)) {
            pending.addAll(progress.abandon(inFlight.values(), abortReason, node.clock().currentTimeMillis()));
            inFlight.clear();
            failure = SagaFailure.described(abortReason);
            compensate();
            return;
        }
        List<Step<D>> unit = progress.currentUnit();
        if (unit == null) {
            state = SagaState.COMPLETED;
            failure = null;
            return;
        }
        List<String> unitFailed = unit.stream().map(Step::id).filter(progress.failed::contains).toList();
        if (!unitFailed.isEmpty()) {
            if (!inFlight.isEmpty()) {
                return;
            }
            if (unit.get(0).kind() == StepKind.RETRIABLE) {
                park(SagaState.RUNNING, unitFailed, failure);
            } else if (unit.get(0).kind() == StepKind.PIVOT && progress.uncertain.contains(unit.get(0).id())) {
                // A pivot that may have taken effect can be neither undone nor assumed not to have happened.
                park(SagaState.RUNNING, unitFailed, failure);
            } else {
                compensate();
            }
            return;
        }
        for (Step<D> step : unit) {
            if (!progress.done.contains(step.id()) && !inFlight.containsKey(step.id())) {
                planned.add(step);
            }
        }
    }

    private void planBackward(List<Step<D>> planned) {
        if (!inFlight.isEmpty()) {
            return;
        }
        Step<D> next = progress.nextCompensation();
        if (next != null) {
            planned.add(next);
        } else {
            state = cancelRequested ? SagaState.CANCELLED : SagaState.COMPENSATED;
        }
    }

    private void compensate() {
        state = SagaState.COMPENSATING;
        compensationReason = failure;
    }

    private void park(SagaState resume, List<String> on, SagaFailure why) {
        state = SagaState.FAILED;
        resumeState = resume;
        parkedOn = on;
        failure = why;
    }

    private String message() {
        return failure == null ? null : failure.description();
    }

    private Journal.WriteResult write(List<Step<D>> planned) {
        long now = node.clock().currentTimeMillis();
        boolean release = state.isTerminal() || state.isParked();
        List<String> active = state.isParked() ? parkedOn : new ArrayList<>(inFlight.keySet());
        if (!release) {
            active.addAll(ids(planned));
        }
        Journal.WriteResult written = node.journal().transition(new Journal.Transition(sagaId, node.nodeId(), state,
                state.isParked() ? resumeState : null, dataChanged ? node.codec().write(data) : null,
                release && !state.isParked() ? List.of() : active, message(), pivotPassed, now + node.leaseMillis(),
                release, now, List.copyOf(pending)));
        pending.clear();
        dataChanged = false;
        stored = state;
        return written;
    }

    private List<Attempt<D>> launch(List<Step<D>> planned, boolean compensation) {
        List<Attempt<D>> launches = new ArrayList<>(planned.size());
        long millis = node.clock().currentTimeMillis();
        long nanos = node.clock().nanoTime();
        for (Step<D> step : planned) {
            Attempt<D> attempt = new Attempt<>(this, step, compensation, data, compensation ? compensationReason : null,
                    millis, nanos);
            inFlight.put(step.id(), attempt);
            launches.add(attempt);
        }
        return launches;
    }

    private void submit(List<Attempt<D>> launches) {
        for (Attempt<D> attempt : launches) {
            if (attempt.step.timeout() != null) {
                attempt.timeoutTask(node.scheduler().schedule(() -> node.execute(attempt::timeOut),
                        attempt.step.timeout().toNanos()));
            }
            if (!node.execute(attempt)) {
                onEvent(() -> stop(new IllegalStateException("the executor refused a step of saga " + sagaId
                        + "; the saga resumes from its last recorded transition once its lease expires")));
                return;
            }
        }
    }

    private void end() {
        finished = true;
        cancelDeadline();
        node.forget(this);
        node.metrics().ended(definition.name(), state);
        if (state == SagaState.COMPLETED) {
            LOG.debug("saga {} ({}) completed", sagaId, definition.key());
        } else if (state.isParked()) {
            LOG.warn("saga {} ({}) is parked {} for a person: {}", sagaId, definition.key(), state, message());
        } else {
            LOG.info("saga {} ({}) ended {}: {}", sagaId, definition.key(), state, message());
        }
        SagaResult<D> outcome = new SagaResult<>(sagaId, state, data, failure);
        afterUnlock = () -> {
            complete(outcome);
            node.ended(sagaId);
        };
    }

    private void stop(Throwable why) {
        finished = true;
        cancelDeadline();
        for (Attempt<D> attempt : inFlight.values()) {
            attempt.abandon();
        }
        inFlight.clear();
        node.forget(this);
        if (result != null) {
            afterUnlock = () -> result.completeExceptionally(why);
        }
    }

    private void complete(SagaResult<D> outcome) {
        if (result != null) {
            result.complete(outcome);
        }
    }

    private void cancelDeadline() {
        if (deadlineTask != null) {
            deadlineTask.cancel();
        }
    }

    private static <D> List<String> ids(List<Step<D>> steps) {
        return steps.stream().map(Step::id).toList();
    }

    Codec codec() {
        return node.codec();
    }

    String definitionName() {
        return definition.name();
    }

    <O> O output(String stepId, Class<O> type) {
        return progress.output(node.codec(), stepId, type);
    }

    @Override
    public String toString() {
        return "saga " + sagaId + " (" + definition.key() + ")";
    }
}
