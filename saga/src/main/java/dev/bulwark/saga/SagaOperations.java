package dev.bulwark.saga;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The operator API on a node's store. Repairs of parked sagas are conditional writes (the saga must still be
 * in the state and at the history length that was read), so two people repairing the same saga cannot both
 * succeed; the loser gets an {@link IllegalStateException} and looks again.
 */
final class SagaOperations implements SagaOperator {
    private final Orchestrator node;

    SagaOperations(Orchestrator node) {
        this.node = node;
    }

    @Override
    public List<SagaSummary> list(SagaState state, Duration minAge, int limit) {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(minAge, "minAge");
        if (minAge.isNegative()) {
            throw new IllegalArgumentException("minAge must not be negative, was " + minAge);
        }
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        long createdBefore = node.clock().currentTimeMillis() - minAge.toMillis();
        return node.journal().list(state, createdBefore, limit).stream().map(Journal.SagaRow::summary).toList();
    }

    @Override
    public Optional<SagaSummary> find(String sagaId) {
        Objects.requireNonNull(sagaId, "sagaId");
        return node.journal().find(sagaId).map(Journal.SagaRow::summary);
    }

    @Override
    public List<StepRecord> history(String sagaId) {
        require(sagaId);
        return node.journal().history(sagaId);
    }

    @Override
    public void retry(String sagaId) {
        Journal.SagaRow row = parked(sagaId, "retried");
        List<StepRecord> entries = new ArrayList<>();
        if (row.state() == SagaState.FAILED) {
            for (String step : row.active()) {
                entries.add(operatorEntry(row, step, StepRecord.Outcome.RETRY_REQUESTED));
            }
        }
        reopen(row, row.resumeState(), entries, "retried");
    }

    @Override
    public void skip(String sagaId, String stepId) {
        Objects.requireNonNull(stepId, "stepId");
        Journal.SagaRow row = parked(sagaId, "skipped");
        if (row.state() != SagaState.FAILED) {
            throw new IllegalStateException("saga " + sagaId + " is " + row.state() + "; only a FAILED saga's step can be skipped");
        }
        if (!row.active().contains(stepId)) {
            throw new IllegalArgumentException("saga " + sagaId + " is parked on " + row.active() + ", not on '" + stepId + "'");
        }
        List<StepRecord> entries = new ArrayList<>();
        entries.add(operatorEntry(row, stepId, StepRecord.Outcome.SKIPPED));
        for (String other : row.active()) {
            if (!other.equals(stepId)) {
                entries.add(operatorEntry(row, other, StepRecord.Outcome.RETRY_REQUESTED));
            }
        }
        reopen(row, row.resumeState(), entries, "skipped");
    }

    @Override
    public void resolve(String sagaId, String note) {
        Objects.requireNonNull(note, "note");
        Journal.SagaRow row = parked(sagaId, "resolved");
        long now = node.clock().currentTimeMillis();
        if (!node.journal().reopen(sagaId, row.state(), row.sequence(), SagaState.RESOLVED, List.of(),
                "resolved by hand: " + note, List.of(), now)) {
            throw changed(sagaId, "resolved");
        }
        node.metrics().ended(row.name(), SagaState.RESOLVED);
    }

    @Override
    public void cancel(String sagaId) {
        Journal.SagaRow row = require(sagaId);
        if (row.state() != SagaState.RUNNING) {
            throw new IllegalStateException("saga " + sagaId + " is " + row.state() + "; only a RUNNING saga can be cancelled");
        }
        if (row.pivotPassed()) {
            throw new IllegalStateException("saga " + sagaId + " has passed its pivot and can no longer be cancelled");
        }
        if (!node.journal().requestCancel(sagaId, node.clock().currentTimeMillis())) {
            throw changed(sagaId, "cancelled");
        }
        SagaRun<?> run = node.running(sagaId);
        if (run != null) {
            run.abort(SagaRun.CANCELLED, true);
        }
    }

    private void reopen(Journal.SagaRow row, SagaState state, List<StepRecord> entries, String what) {
        long now = node.clock().currentTimeMillis();
        if (!node.journal().reopen(row.sagaId(), row.state(), row.sequence(), state, row.active(), null, entries, now)) {
            throw changed(row.sagaId(), what);
        }
        node.pollSoon();
    }

    private StepRecord operatorEntry(Journal.SagaRow row, String stepId, StepRecord.Outcome outcome) {
        Instant now = Instant.ofEpochMilli(node.clock().currentTimeMillis());
        StepRecord.Phase phase = row.resumeState() == SagaState.COMPENSATING
                ? StepRecord.Phase.COMPENSATION : StepRecord.Phase.ACTION;
        return new StepRecord(0, stepId, phase, outcome, 0, null, "by operator", now, now);
    }

    private Journal.SagaRow parked(String sagaId, String what) {
        Journal.SagaRow row = require(sagaId);
        if (!row.state().isParked()) {
            throw new IllegalStateException("saga " + sagaId + " is " + row.state()
                    + "; only a FAILED or DEFINITION_MISSING saga can be " + what);
        }
        return row;
    }

    private Journal.SagaRow require(String sagaId) {
        Objects.requireNonNull(sagaId, "sagaId");
        return node.journal().find(sagaId)
                .orElseThrow(() -> new IllegalArgumentException("no saga with id '" + sagaId + "'"));
    }

    private static IllegalStateException changed(String sagaId, String what) {
        return new IllegalStateException("saga " + sagaId + " changed while it was being " + what + "; look at it again");
    }
}
