package dev.bulwark.saga;

import dev.bulwark.resilience.Policy;
import dev.bulwark.resilience.Scheduler;
import dev.bulwark.resilience.TimeoutExceededException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.MDC;

/**
 * One run of a step's action or compensation (its policy's retries included), and the context it sees.
 *
 * <p>Three things race to end an attempt: the action returning or throwing, the step timeout firing, and the
 * saga abandoning it (saga timeout, cancellation, lost lease). The {@link #settled} flag lets exactly one of
 * them report; the others become no-ops, so a late result of a timed-out action is ignored.
 *
 * <p>A failed action is recorded {@link StepRecord.Outcome#UNCERTAIN} rather than FAILED when it may have taken
 * effect (see {@link StepBuilder#compensateOnFailure()} for the rule). What each run of the action showed is
 * noted in {@link #mayHaveTakenEffect}, because the policy around it (a retry) may end on another failure that
 * hides it, and a {@code Timeout} may run it on another thread.
 */
final class Attempt<D> implements StepContext<D>, Runnable {
    final SagaRun<D> run;
    final Step<D> step;
    final boolean compensation;
    final Instant startedAt;
    final long startedNanos;
    private final D data;
    private final SagaFailure reason;
    private volatile D replaced;
    /** Set when a run of the action returned, was interrupted, or failed in a way that hides an effect. */
    private volatile boolean mayHaveTakenEffect;
    private volatile Scheduler.Task timeoutTask;
    private final AtomicBoolean settled = new AtomicBoolean();
    private final AtomicInteger runs = new AtomicInteger();

    /** @param reason why the saga compensates, for a compensation; {@code null} for an action */
    Attempt(SagaRun<D> run, Step<D> step, boolean compensation, D data, SagaFailure reason, long nowMillis,
            long nowNanos) {
        this.run = run;
        this.step = step;
        this.compensation = compensation;
        this.data = data;
        this.reason = reason;
        this.startedAt = Instant.ofEpochMilli(nowMillis);
        this.startedNanos = nowNanos;
    }

    @Override
    public void run() {
        if (settled.get()) {
            return;
        }
        MDC.put("sagaId", run.sagaId);
        try {
            Policy policy = compensation ? step.compensationPolicy() : step.policy();
            Supplier<Object> once = this::runOnce;
            Object output = policy == null ? once.get() : policy.call(once);
            String json = compensation || step.outputType() == null ? null : run.codec().write(output);
            finish(StepRecord.Outcome.COMPLETED, json, null);
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (Throwable t) {
            finish(!compensation && uncertain(t) ? StepRecord.Outcome.UNCERTAIN : StepRecord.Outcome.FAILED, null,
                    describe(t));
        } finally {
            MDC.remove("sagaId");
        }
    }

    private Object runOnce() {
        if (settled.get()) {
            // The step timed out or was abandoned while its policy was retrying: stop calling the participant.
            throw new IllegalStateException(this + " is no longer awaited");
        }
        runs.incrementAndGet();
        try {
            Object output = null;
            if (compensation) {
                step.compensation().execute(this);
            } else {
                output = step.action().apply(this);
            }
            // It returned, so it took effect, whatever the policy makes of its result afterwards.
            mayHaveTakenEffect = true;
            return output;
        } catch (RuntimeException e) {
            noteFailure(e);
            throw e;
        } catch (Exception e) {
            noteFailure(e);
            throw new CheckedFailure(e);
        }
    }

    private void noteFailure(Exception e) {
        if (Thread.currentThread().isInterrupted() || hidesEffect(e)) {
            mayHaveTakenEffect = true;
        }
    }

    /** Whether the failure of an action that was called at least once may hide an effect. */
    private boolean uncertain(Throwable failure) {
        return runs.get() > 0 && (step.compensateOnFailure() || mayHaveTakenEffect || hidesEffect(failure));
    }

    /** Whether the cause chain says the call went out and its outcome is unknown. */
    static boolean hidesEffect(Throwable failure) {
        Throwable cause = failure;
        for (int depth = 0; cause != null && depth < 32; depth++, cause = cause.getCause()) {
            if (cause instanceof StepOutcomeUnknownException || cause instanceof TimeoutExceededException
                    || cause instanceof InterruptedException) {
                return true;
            }
        }
        return false;
    }

    void timeOut() {
        finish(StepRecord.Outcome.TIMED_OUT, null,
                (compensation ? "compensation of step '" : "step '") + step.id() + "' timed out after " + step.timeout());
    }

    /** Ends the attempt without a result; returns whether it was still running. */
    boolean abandon() {
        cancelTimeout();
        return settled.compareAndSet(false, true);
    }

    void timeoutTask(Scheduler.Task task) {
        this.timeoutTask = task;
    }

    /** The history entry for this attempt's end. */
    StepRecord record(StepRecord.Outcome outcome, String outputJson, String error, long nowMillis) {
        return new StepRecord(0, step.id(), compensation ? StepRecord.Phase.COMPENSATION : StepRecord.Phase.ACTION,
                outcome, runs.get(), outputJson, error, startedAt, Instant.ofEpochMilli(nowMillis));
    }

    private void finish(StepRecord.Outcome outcome, String outputJson, String error) {
        if (settled.compareAndSet(false, true)) {
            cancelTimeout();
            run.settled(this, outcome, outputJson, outcome == StepRecord.Outcome.COMPLETED ? replaced : null, error);
        }
    }

    private void cancelTimeout() {
        Scheduler.Task task = timeoutTask;
        if (task != null) {
            task.cancel();
        }
    }

    private static String describe(Throwable t) {
        Throwable cause = t instanceof CheckedFailure ? t.getCause() : t;
        return cause.getMessage() == null ? cause.getClass().getName() : cause.getClass().getName() + ": " + cause.getMessage();
    }

    @Override
    public String sagaId() {
        return run.sagaId;
    }

    @Override
    public String stepId() {
        return step.id();
    }

    @Override
    public String idempotencyKey() {
        return run.sagaId + "/" + step.id();
    }

    @Override
    public boolean compensating() {
        return compensation;
    }

    @Override
    public Optional<SagaFailure> compensationReason() {
        return Optional.ofNullable(compensation ? reason : null);
    }

    @Override
    public D data() {
        return data;
    }

    @Override
    public void replaceData(D data) {
        Objects.requireNonNull(data, "data");
        if (step.parallel()) {
            throw new IllegalStateException("step '" + step.id() + "' runs in a parallel group and cannot replace the "
                    + "saga data; return an output instead");
        }
        this.replaced = data;
    }

    @Override
    public <O> O output(String stepId, Class<O> type) {
        return run.output(stepId, type);
    }

    @Override
    public String toString() {
        return (compensation ? "compensation of " : "") + "step '" + step.id() + "' of saga " + run.sagaId;
    }

    /** Carries a checked exception of an action through a policy, which takes suppliers. */
    private static final class CheckedFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CheckedFailure(Exception cause) {
            super(cause);
        }
    }
}
