package dev.bulwark.saga;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How far a saga got, as sets of step ids. Derived from the recorded history on resume ({@link #replay}) and
 * kept up to date by the running {@link SagaRun}, so a resumed saga and a fresh one decide the same way.
 * Guarded by the run's lock, except {@link #outputs}, which step threads read.
 */
final class SagaProgress<D> {
    private final SagaDefinition<D> definition;
    /** Actions that completed or were skipped. */
    final Set<String> done = new HashSet<>();
    /** Actions that failed, timed out or were abandoned in the current pass. */
    final Set<String> failed = new HashSet<>();
    /** Actions whose effect is unknown (timed out, abandoned or uncertain): compensated like completed ones. */
    final Set<String> uncertain = new HashSet<>();
    /** Compensations that completed or were skipped. */
    final Set<String> compensated = new HashSet<>();
    /** Steps a previous owner recorded as started that have not completed: they may have taken effect. */
    final Set<String> startedElsewhere = new HashSet<>();
    /** Outputs of completed steps as JSON. */
    final Map<String, String> outputs = new ConcurrentHashMap<>();

    SagaProgress(SagaDefinition<D> definition) {
        this.definition = definition;
    }

    void replay(List<StepRecord> history) {
        for (StepRecord entry : history) {
            String id = entry.stepId();
            if (entry.phase() == StepRecord.Phase.COMPENSATION) {
                if (entry.outcome() == StepRecord.Outcome.COMPLETED || entry.outcome() == StepRecord.Outcome.SKIPPED) {
                    compensated.add(id);
                }
                continue;
            }
            switch (entry.outcome()) {
                case COMPLETED, SKIPPED -> {
                    done.add(id);
                    failed.remove(id);
                    if (entry.output() != null) {
                        outputs.put(id, entry.output());
                    }
                }
                case FAILED -> failed.add(id);
                case TIMED_OUT, ABANDONED, UNCERTAIN -> {
                    failed.add(id);
                    uncertain.add(id);
                }
                case RETRY_REQUESTED -> {
                    failed.remove(id);
                    uncertain.remove(id);
                }
            }
        }
    }

    /**
     * The saga is aborted (timed out or cancelled): ends the attempts in flight and forgets the steps a dead node
     * had started, all counted as possibly applied, and returns their ABANDONED history entries. Even an attempt
     * that settled a moment ago is recorded ABANDONED: its result is no longer awaited, and its step is
     * compensated because its effect may have happened.
     */
    List<StepRecord> abandon(Collection<Attempt<D>> inFlight, String reason, long nowMillis) {
        List<StepRecord> entries = new ArrayList<>();
        for (Attempt<D> attempt : inFlight) {
            attempt.abandon();
            entries.add(attempt.record(StepRecord.Outcome.ABANDONED, null, reason, nowMillis));
            failed.add(attempt.step.id());
            uncertain.add(attempt.step.id());
        }
        Instant now = Instant.ofEpochMilli(nowMillis);
        for (String id : startedElsewhere) {
            if (!done.contains(id) && !uncertain.contains(id)) {
                entries.add(new StepRecord(0, id, StepRecord.Phase.ACTION, StepRecord.Outcome.ABANDONED, 0, null,
                        reason + SagaFailure.STARTED_ELSEWHERE, now, now));
                failed.add(id);
                uncertain.add(id);
            }
        }
        startedElsewhere.clear();
        return entries;
    }

    /** Remembers the steps a dead node had started (the resumed row's active steps). */
    void startedElsewhere(List<String> active) {
        for (String id : active) {
            if (definition.step(id) != null && !done.contains(id)) {
                startedElsewhere.add(id);
            }
        }
    }

    /**
     * Whether the pivot may have taken effect although it has not completed: it failed uncertain, or a node that
     * died had started it. Such a saga can no longer be aborted; the pivot runs again (or waits for a person).
     */
    boolean pivotMayHaveRun() {
        for (Step<D> step : definition.steps()) {
            if (step.kind() == StepKind.PIVOT && (uncertain.contains(step.id()) || startedElsewhere.contains(step.id()))) {
                return !done.contains(step.id());
            }
        }
        return false;
    }

    /** Whether the pivot completed (or a person skipped it). */
    boolean pivotDone() {
        return definition.steps().stream().anyMatch(step -> step.kind() == StepKind.PIVOT && done.contains(step.id()));
    }

    /** The first unit with a step that has not completed, or {@code null} when all have. */
    List<Step<D>> currentUnit() {
        for (List<Step<D>> unit : definition.units()) {
            for (Step<D> step : unit) {
                if (!done.contains(step.id())) {
                    return unit;
                }
            }
        }
        return null;
    }

    /** The latest step (in definition order) that may have taken effect and is not compensated yet, or null. */
    Step<D> nextCompensation() {
        List<Step<D>> steps = definition.steps();
        for (int i = steps.size() - 1; i >= 0; i--) {
            Step<D> step = steps.get(i);
            String id = step.id();
            if (step.compensatable() && (done.contains(id) || uncertain.contains(id)) && !compensated.contains(id)) {
                return step;
            }
        }
        return null;
    }

    <O> O output(Codec codec, String stepId, Class<O> type) {
        Step<D> step = definition.step(stepId);
        if (step == null) {
            throw new IllegalArgumentException("saga '" + definition.name() + "' has no step '" + stepId + "'");
        }
        if (step.outputType() == null) {
            throw new IllegalArgumentException("step '" + stepId + "' declares no output");
        }
        if (!type.isAssignableFrom(step.outputType())) {
            throw new IllegalArgumentException("step '" + stepId + "' declares output type "
                    + step.outputType().getName() + ", not " + type.getName());
        }
        String json = outputs.get(stepId);
        if (json == null) {
            throw new IllegalStateException("step '" + stepId + "' has no output: it has not completed");
        }
        return type.cast(codec.read(json, step.outputType()));
    }
}
