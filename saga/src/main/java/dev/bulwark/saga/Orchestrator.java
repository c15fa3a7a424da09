package dev.bulwark.saga;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.resilience.Clock;
import dev.bulwark.resilience.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The orchestrator of one node. Besides starting sagas it runs two periodic jobs on the scheduler, each
 * doing its store work on the executor: the poll claims sagas whose lease expired (a dead node's, or ones an
 * operator handed back) and the renewal extends, in one statement, the leases of every saga this node runs.
 * A saga the renewal no longer finds was taken over by another node and is dropped here; one it finds flagged
 * for cancellation is aborted.
 *
 * <p>A start under a caller's id is decided by the store's insert (its primary key), never by a read before it:
 * the loser of a race between nodes, or a repeat, follows the existing saga through {@link SagaFollowers}. On
 * this node, {@link #runs} settles a race between two starters before either writes.
 */
final class Orchestrator implements SagaOrchestrator {
    private static final Logger LOG = LoggerFactory.getLogger(SagaOrchestrator.class);

    private final Journal journal;
    private final Codec codec;
    private final Executor executor;
    private final ExecutorService ownedPool;
    private final Scheduler scheduler;
    private final Clock clock;
    private final String nodeId;
    private final long leaseMillis;
    private final long pollNanos;
    private final int claimBatch;
    private final Duration shutdownTimeout;
    private final SagaDefinitions definitions;
    private final SagaMetrics metrics;
    private final SagaOperations operator;
    private final SagaFollowers followers = new SagaFollowers(this);
    private final Map<String, SagaRun<?>> runs = new ConcurrentHashMap<>();
    private volatile boolean closing;
    private volatile Scheduler.Task pollTask;
    private volatile Scheduler.Task renewTask;
    /** Tasks handed to the executor and not yet finished; close() waits for zero. */
    private final AtomicInteger tasks = new AtomicInteger();
    private final ReentrantLock idleLock = new ReentrantLock();
    private final Condition idle = idleLock.newCondition();

    Orchestrator(SagaOrchestratorBuilder b, String nodeId) {
        this.journal = b.store.journal();
        this.codec = new Codec(b.objectMapper == null ? new ObjectMapper() : b.objectMapper);
        this.ownedPool = b.threads == null ? null : Executors.newFixedThreadPool(b.threads, namedThreads(nodeId));
        this.executor = ownedPool == null ? b.executor : ownedPool;
        this.scheduler = b.scheduler == null ? Scheduler.system() : b.scheduler;
        this.clock = b.clock == null ? Clock.system() : b.clock;
        this.nodeId = nodeId;
        this.leaseMillis = (b.leaseDuration == null ? Duration.ofSeconds(30) : b.leaseDuration).toMillis();
        this.pollNanos = (b.pollInterval == null ? Duration.ofSeconds(5) : b.pollInterval).toNanos();
        this.claimBatch = b.claimBatch == null ? 32 : b.claimBatch;
        this.shutdownTimeout = b.shutdownTimeout == null ? Duration.ofSeconds(10) : b.shutdownTimeout;
        this.definitions = new SagaDefinitions(b.definitions);
        this.metrics = b.metrics();
        this.operator = new SagaOperations(this);
    }

    private static java.util.concurrent.ThreadFactory namedThreads(String nodeId) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "bulwark-saga-" + nodeId + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    void open() {
        pollTask = scheduler.schedule(this::pollLoop, 0);
        renewTask = scheduler.schedule(this::renewLoop, TimeUnit.MILLISECONDS.toNanos(leaseMillis / 3));
        LOG.info("saga orchestrator {} started with {}", nodeId, definitions);
    }

    @Override
    public <D> SagaHandle<D> start(SagaDefinition<D> definition, D data) {
        return start(definition, UUID.randomUUID().toString(), data);
    }

    @Override
    public <D> SagaHandle<D> start(SagaDefinition<D> given, String sagaId, D data) {
        Objects.requireNonNull(given, "definition");
        Ids.checkSagaId(sagaId);
        Objects.requireNonNull(data, "data");
        if (closing) {
            throw new IllegalStateException("the orchestrator " + nodeId + " is closed");
        }
        SagaDefinition<D> definition = definitions.resolve(given);
        long now = clock.currentTimeMillis();
        long deadline = definition.timeout().map(timeout -> now + timeout.toMillis()).orElse(0L);
        CompletableFuture<SagaResult<D>> result = new CompletableFuture<>();
        SagaRun<D> run = new SagaRun<>(this, definition, sagaId, SagaState.RUNNING, data, deadline, result);
        SagaRun<?> local = runs.putIfAbsent(sagaId, run);
        if (local != null) {
            return existing(sagaId, local.definitionName(), definition);
        }
        boolean created;
        try {
            created = run.begin(now);
        } catch (RuntimeException e) {
            runs.remove(sagaId, run);
            result.completeExceptionally(e);
            throw e;
        }
        if (!created) {
            runs.remove(sagaId, run);
            String name = journal.find(sagaId).map(Journal.SagaRow::name).orElseThrow(() -> new SagaStoreException(
                    "saga " + sagaId + " was reported to exist but could not be read", null));
            return existing(sagaId, name, definition);
        }
        metrics.started(definition.name());
        return new SagaHandle<>(sagaId, result, true);
    }

    /** A handle on the saga that already has this id, provided it is a saga of the same name. */
    private <D> SagaHandle<D> existing(String sagaId, String name, SagaDefinition<D> definition) {
        if (!name.equals(definition.name())) {
            throw new IllegalStateException("saga id '" + sagaId + "' is already used by a saga '" + name
                    + "', not '" + definition.name() + "'");
        }
        LOG.debug("saga {} ({}) already exists; the caller follows it", sagaId, name);
        return new SagaHandle<>(sagaId, followers.follow(sagaId, definition), false);
    }


    private void pollLoop() {
        if (closing) {
            return;
        }
        boolean submitted = execute(() -> {
            int claimed = 0;
            try {
                claimed = pollOnce();
            } finally {
                if (!closing) {
                    pollTask = scheduler.schedule(this::pollLoop, claimed == claimBatch ? 0 : pollNanos);
                }
            }
        });
        if (!submitted && !closing) {
            pollTask = scheduler.schedule(this::pollLoop, pollNanos);
        }
    }

    /** Claims and resumes sagas whose lease expired; returns how many it claimed. */
    int pollOnce() {
        if (closing) {
            return 0;
        }
        try {
            long now = clock.currentTimeMillis();
            List<Journal.Claim> claims = journal.claim(nodeId, now, now + leaseMillis, claimBatch);
            for (Journal.Claim claim : claims) {
                adopt(claim);
            }
            followers.checkAll();
            return claims.size();
        } catch (RuntimeException e) {
            LOG.warn("saga orchestrator {} could not claim sagas; it tries again in {} ms", nodeId,
                    TimeUnit.NANOSECONDS.toMillis(pollNanos), e);
            return 0;
        }
    }

    private void adopt(Journal.Claim claim) {
        Journal.SagaRow row = claim.row();
        if (runs.containsKey(row.sagaId())) {
            return;
        }
        SagaDefinition<?> definition = definitions.get(row.name(), row.version());
        if (definition == null) {
            park(row, SagaState.DEFINITION_MISSING, "saga definition '" + row.name() + "' version " + row.version()
                    + " is not registered on node " + nodeId);
            return;
        }
        resume(definition, claim);
    }

    private <D> void resume(SagaDefinition<D> definition, Journal.Claim claim) {
        Journal.SagaRow row = claim.row();
        D data;
        try {
            data = codec.read(row.data(), definition.dataType());
        } catch (IllegalArgumentException e) {
            park(row, SagaState.FAILED, "saga data could not be read: " + e.getMessage());
            return;
        }
        SagaRun<D> run = new SagaRun<>(this, definition, row.sagaId(), row.state(), data, row.deadline(), null);
        runs.put(row.sagaId(), run);
        LOG.info("saga orchestrator {} resumes saga {} ({}) in state {}", nodeId, row.sagaId(), definition.key(), row.state());
        run.resume(row, claim.history());
    }

    private void park(Journal.SagaRow row, SagaState state, String message) {
        long now = clock.currentTimeMillis();
        journal.transition(new Journal.Transition(row.sagaId(), nodeId, state, row.state(), null, row.active(), message,
                row.pivotPassed(), 0, true, now, List.of()));
        metrics.ended(row.name(), state);
        LOG.warn("saga {} is parked {} for a person: {}", row.sagaId(), state, message);
    }

    private void renewLoop() {
        if (closing) {
            return;
        }
        boolean submitted = execute(() -> {
            try {
                renewOnce();
            } finally {
                if (!closing) {
                    renewTask = scheduler.schedule(this::renewLoop, TimeUnit.MILLISECONDS.toNanos(leaseMillis / 3));
                }
            }
        });
        if (!submitted && !closing) {
            renewTask = scheduler.schedule(this::renewLoop, TimeUnit.MILLISECONDS.toNanos(leaseMillis / 3));
        }
    }

    void renewOnce() {
        List<String> ids = new ArrayList<>();
        runs.forEach((id, run) -> {
            if (run.recorded) {
                ids.add(id);
            }
        });
        if (ids.isEmpty()) {
            return;
        }
        Map<String, Boolean> held;
        try {
            held = journal.renew(nodeId, ids, clock.currentTimeMillis() + leaseMillis);
        } catch (RuntimeException e) {
            LOG.warn("saga orchestrator {} could not renew its leases", nodeId, e);
            return;
        }
        for (String id : ids) {
            SagaRun<?> run = runs.get(id);
            Boolean cancel = held.get(id);
            if (run == null) {
                continue;
            }
            if (cancel == null) {
                run.lost();
            } else if (cancel) {
                run.abort(SagaRun.CANCELLED, true);
            }
        }
    }

    /** Hands a task to the executor; returns false if it refused. */
    boolean execute(Runnable task) {
        tasks.incrementAndGet();
        try {
            executor.execute(() -> {
                try {
                    task.run();
                } finally {
                    done();
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            done();
            if (!closing) {
                LOG.error("saga orchestrator {}: the executor refused a task", nodeId, e);
            }
            return false;
        }
    }

    private void done() {
        if (tasks.decrementAndGet() == 0) {
            idleLock.lock();
            try {
                idle.signalAll();
            } finally {
                idleLock.unlock();
            }
        }
    }

    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        cancel(pollTask);
        cancel(renewTask);
        awaitIdle();
        for (SagaRun<?> run : List.copyOf(runs.values())) {
            run.detach();
        }
        followers.closeAll();
        try {
            journal.release(nodeId);
        } catch (RuntimeException e) {
            LOG.warn("saga orchestrator {} could not release its leases; they expire in {} ms", nodeId, leaseMillis, e);
        }
        if (ownedPool != null) {
            ownedPool.shutdownNow();
        }
        LOG.info("saga orchestrator {} closed", nodeId);
    }

    private void awaitIdle() {
        long remaining = shutdownTimeout.toNanos();
        idleLock.lock();
        try {
            while (tasks.get() > 0 && remaining > 0) {
                remaining = idle.awaitNanos(remaining);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            idleLock.unlock();
        }
    }

    private static void cancel(Scheduler.Task task) {
        if (task != null) {
            task.cancel();
        }
    }

    /** Wakes the poll at once, after an operator handed a saga back. */
    void pollSoon() {
        if (!closing) {
            execute(this::pollOnce);
        }
    }

    @Override
    public SagaOperator operator() {
        return operator;
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    /** A saga of this node ended or was parked (its final transition is recorded). */
    void ended(String sagaId) {
        followers.ended(sagaId);
    }

    void forget(SagaRun<?> run) {
        runs.remove(run.sagaId, run);
    }

    SagaRun<?> running(String sagaId) {
        return runs.get(sagaId);
    }

    boolean closing() {
        return closing;
    }

    Journal journal() {
        return journal;
    }

    Codec codec() {
        return codec;
    }

    Clock clock() {
        return clock;
    }

    Scheduler scheduler() {
        return scheduler;
    }

    long leaseMillis() {
        return leaseMillis;
    }

    SagaMetrics metrics() {
        return metrics;
    }

    @Override
    public String toString() {
        return "SagaOrchestrator[" + nodeId + ", " + runs.size() + " running]";
    }
}
