package dev.bulwark.saga;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A saga store in process memory, for tests and single-process applications: sagas do not survive the
 * process. It follows the same lease and fencing rules as {@link PostgresSagaStore}, so several
 * orchestrators in one process can share it.
 *
 * <pre>{@code
 * SagaOrchestrator orchestrator = SagaOrchestrator.builder()
 *     .store(new InMemorySagaStore())
 *     .register(placeOrder)
 *     .threads(4)
 *     .start();
 * }</pre>
 *
 * <p>Thread-safe: one lock guards both maps; nothing slow happens while it is held.
 */
public final class InMemorySagaStore extends SagaStore {
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by {@link #lock}. */
    private final Map<String, Journal.SagaRow> rows = new LinkedHashMap<>();
    /** Guarded by {@link #lock}. */
    private final Map<String, List<StepRecord>> histories = new HashMap<>();
    private final Journal journal = new MemoryJournal();

    /** An empty store. */
    public InMemorySagaStore() {}

    @Override
    Journal journal() {
        return journal;
    }

    @Override
    public String toString() {
        lock.lock();
        try {
            return "InMemorySagaStore[" + rows.size() + " sagas]";
        } finally {
            lock.unlock();
        }
    }

    private static boolean unfinished(Journal.SagaRow row) {
        return row.state() == SagaState.RUNNING || row.state() == SagaState.COMPENSATING;
    }

    private final class MemoryJournal implements Journal {

        @Override
        public boolean insert(SagaRow row) {
            lock.lock();
            try {
                if (rows.putIfAbsent(row.sagaId(), row) != null) {
                    return false;
                }
                histories.put(row.sagaId(), new ArrayList<>());
                return true;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public WriteResult transition(Transition t) {
            lock.lock();
            try {
                SagaRow row = rows.get(t.sagaId());
                if (row == null || !Objects.equals(row.owner(), t.owner())) {
                    return WriteResult.LOST;
                }
                int sequence = append(row, t.entries());
                rows.put(row.sagaId(), new SagaRow(row.sagaId(), row.name(), row.version(), t.state(), t.resumeState(),
                        t.data() == null ? row.data() : t.data(), t.active(), t.message(), t.pivotPassed(),
                        row.cancelRequested(), t.release() ? null : t.owner(), t.release() ? 0 : t.leaseUntil(),
                        row.deadline(), row.createdAt(), t.now(), sequence));
                return row.cancelRequested() ? WriteResult.APPLIED_CANCEL_REQUESTED : WriteResult.APPLIED;
            } finally {
                lock.unlock();
            }
        }

        private int append(SagaRow row, List<StepRecord> entries) {
            List<StepRecord> history = histories.get(row.sagaId());
            int sequence = row.sequence();
            for (StepRecord e : entries) {
                sequence++;
                history.add(new StepRecord(sequence, e.stepId(), e.phase(), e.outcome(), e.attempts(), e.output(),
                        e.error(), e.startedAt(), e.finishedAt()));
            }
            return sequence;
        }

        @Override
        public List<Claim> claim(String owner, long now, long leaseUntil, int limit) {
            lock.lock();
            try {
                List<SagaRow> expired = rows.values().stream()
                        .filter(row -> unfinished(row) && row.leaseUntil() < now)
                        .sorted(Comparator.comparingLong(SagaRow::leaseUntil))
                        .limit(limit)
                        .toList();
                List<Claim> claims = new ArrayList<>();
                for (SagaRow row : expired) {
                    SagaRow claimed = withOwner(row, owner, leaseUntil);
                    rows.put(row.sagaId(), claimed);
                    claims.add(new Claim(claimed, List.copyOf(histories.get(row.sagaId()))));
                }
                return claims;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public Map<String, Boolean> renew(String owner, Collection<String> sagaIds, long leaseUntil) {
            lock.lock();
            try {
                Map<String, Boolean> held = new HashMap<>();
                for (String id : sagaIds) {
                    SagaRow row = rows.get(id);
                    if (row != null && owner.equals(row.owner()) && unfinished(row)) {
                        rows.put(id, withOwner(row, owner, leaseUntil));
                        held.put(id, row.cancelRequested());
                    }
                }
                return held;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void release(String owner) {
            lock.lock();
            try {
                rows.replaceAll((id, row) -> owner.equals(row.owner()) && unfinished(row) ? withOwner(row, null, 0) : row);
            } finally {
                lock.unlock();
            }
        }

        private SagaRow withOwner(SagaRow row, String owner, long leaseUntil) {
            return new SagaRow(row.sagaId(), row.name(), row.version(), row.state(), row.resumeState(), row.data(),
                    row.active(), row.message(), row.pivotPassed(), row.cancelRequested(), owner, leaseUntil,
                    row.deadline(), row.createdAt(), row.updatedAt(), row.sequence());
        }

        @Override
        public Optional<SagaRow> find(String sagaId) {
            lock.lock();
            try {
                return Optional.ofNullable(rows.get(sagaId));
            } finally {
                lock.unlock();
            }
        }

        @Override
        public List<SagaRow> list(SagaState state, long createdBefore, int limit) {
            lock.lock();
            try {
                return rows.values().stream()
                        .filter(row -> row.state() == state && row.createdAt() <= createdBefore)
                        .sorted(Comparator.comparingLong(SagaRow::createdAt))
                        .limit(limit)
                        .toList();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public List<StepRecord> history(String sagaId) {
            lock.lock();
            try {
                return List.copyOf(histories.getOrDefault(sagaId, List.of()));
            } finally {
                lock.unlock();
            }
        }

        @Override
        public boolean requestCancel(String sagaId, long now) {
            lock.lock();
            try {
                SagaRow row = rows.get(sagaId);
                if (row == null || row.state() != SagaState.RUNNING || row.pivotPassed()) {
                    return false;
                }
                rows.put(sagaId, new SagaRow(row.sagaId(), row.name(), row.version(), row.state(), row.resumeState(),
                        row.data(), row.active(), row.message(), false, true, row.owner(), row.leaseUntil(),
                        row.deadline(), row.createdAt(), now, row.sequence()));
                return true;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public boolean reopen(String sagaId, SagaState expected, int expectedSequence, SagaState state,
                List<String> active, String message, List<StepRecord> entries, long now) {
            lock.lock();
            try {
                SagaRow row = rows.get(sagaId);
                if (row == null || row.state() != expected || row.sequence() != expectedSequence) {
                    return false;
                }
                int sequence = append(row, entries);
                rows.put(sagaId, new SagaRow(row.sagaId(), row.name(), row.version(), state, null, row.data(), active,
                        message, row.pivotPassed(), row.cancelRequested(), null, 0, row.deadline(), row.createdAt(), now,
                        sequence));
                return true;
            } finally {
                lock.unlock();
            }
        }
    }
}
