package dev.bulwark.resilience;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The {@link Hedge}. Per-call state lives in a {@link HedgeExecution}; the instance holds only the
 * settings, the shared latency record and {@link LongAdder} counters, so it needs no lock.
 */
final class DefaultHedge extends AbstractPolicy<HedgeEvent> implements Hedge {
    private final HedgeConfig config;
    private final long fixedDelayNanos;
    private final long initialDelayNanos;
    private final HedgeLatencies latencies;
    private final Executor executor;
    final Clock clock;
    final Scheduler scheduler;
    private final ContextPropagator contextPropagator;
    private final RetryBudget budget;

    private final LongAdder primaryWon = new LongAdder();
    private final LongAdder hedgeWon = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder hedgesStarted = new LongAdder();
    private final LongAdder budgetExhausted = new LongAdder();

    DefaultHedge(String name, HedgeConfig config) {
        super("hedge", name);
        this.config = Objects.requireNonNull(config, "config");
        HedgeDelay delay = config.delay();
        if (delay instanceof HedgeDelay.Percentile percentile) {
            this.fixedDelayNanos = -1;
            this.initialDelayNanos = percentile.initial().toNanos();
            this.latencies = new HedgeLatencies(config.latencySamples(), percentile.percentile());
        } else {
            this.fixedDelayNanos = ((HedgeDelay.Fixed) delay).delay().toNanos();
            this.initialDelayNanos = fixedDelayNanos;
            this.latencies = null;
        }
        this.executor = config.executor();
        this.clock = config.clock();
        this.scheduler = config.scheduler();
        this.contextPropagator = config.contextPropagator();
        this.budget = config.budget();
    }

    @Override
    public HedgeConfig config() {
        return config;
    }

    @Override
    public Duration currentDelay() {
        return Duration.ofNanos(delayNanos());
    }

    long delayNanos() {
        if (latencies == null) {
            return fixedDelayNanos;
        }
        long observed = latencies.percentileNanos();
        return observed < 0 ? initialDelayNanos : observed;
    }

    /** Runs every attempt on the executor and waits for the first success. */
    @Override
    public <T> T call(Invoker inner, Supplier<? extends T> supplier) {
        Objects.requireNonNull(supplier, "supplier");
        if (executor == null) {
            throw new IllegalStateException("hedge '" + name + "' has no executor: synchronous calls need "
                    + "HedgeConfig.builder().executor(...) to run their attempts on");
        }
        ContextSnapshot context = ContextCarrier.snapshotFor(contextPropagator, supplier);
        Deadline deadline = Deadline.captureOrNull();
        HedgeExecution<T> execution = new HedgeExecution<>(this, () -> {
            InterruptibleCall<T> attempt = new InterruptibleCall<>(() -> inner.call(supplier), context, deadline);
            executor.execute(attempt);
            return attempt;
        }, ContextSnapshot.empty(), deadline);
        start(execution);
        return PipelineFailures.await(execution.result);
    }

    @Override
    public <T> CompletionStage<T> callAsync(Invoker inner, Supplier<? extends CompletionStage<T>> supplier) {
        Objects.requireNonNull(supplier, "supplier");
        HedgeExecution<T> execution = new HedgeExecution<>(this, () -> inner.callAsync(supplier),
                ContextCarrier.snapshotFor(contextPropagator, supplier), Deadline.captureOrNull());
        start(execution);
        return execution.result;
    }

    private void start(HedgeExecution<?> execution) {
        if (budget != null) {
            budget.recordCall();
        }
        execution.start(config.maxHedges() + 1, delayNanos());
    }

    /** Whether a hedge may start now; counts and reports a refusal by the budget. */
    boolean tryStartHedge(int attempt, long delayNanos) {
        if (budget != null && !budget.tryAcquire()) {
            budgetExhausted.increment();
            if (!listeners.isEmpty()) {
                listeners.publish(new HedgeEvent.BudgetExhausted(name, now(), budget.name()));
            }
            return false;
        }
        hedgesStarted.increment();
        if (!listeners.isEmpty()) {
            listeners.publish(new HedgeEvent.HedgeStarted(name, now(), attempt, Duration.ofNanos(delayNanos)));
        }
        return true;
    }

    void recordWin(int attemptIndex, long latencyNanos) {
        (attemptIndex == 0 ? primaryWon : hedgeWon).increment();
        if (latencies != null) {
            latencies.record(latencyNanos);
        }
    }

    void recordFailure() {
        failed.increment();
    }

    private Instant now() {
        return Instant.ofEpochMilli(clock.currentTimeMillis());
    }

    @Override
    public Metrics metrics() {
        return new Metrics(primaryWon.sum(), hedgeWon.sum(), failed.sum(), hedgesStarted.sum(), budgetExhausted.sum());
    }

    @Override
    public String toString() {
        return "Hedge[" + name + ", maxHedges=" + config.maxHedges() + ", delay=" + config.delay() + "]";
    }
}
