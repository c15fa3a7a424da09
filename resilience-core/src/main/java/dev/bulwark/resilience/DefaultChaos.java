package dev.bulwark.resilience;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Chaos} policy. Each call draws from the configured random source (see {@link ChaosConfig} for
 * the draws) and either passes through, or is delayed, failed or answered. The switch is one volatile
 * boolean, read once per call.
 */
final class DefaultChaos extends AbstractPolicy<ChaosEvent> implements Chaos {
    private static final Logger LOG = LoggerFactory.getLogger(Chaos.class);
    private static final Runnable NOTHING = () -> { };
    private static final int PASS = 0;
    private static final int FAULT = 1;
    private static final int RESULT = 2;

    private final ChaosConfig config;
    private final Clock clock;
    private final Scheduler scheduler;
    private final double faultRate;
    private final double answerRate;
    private final double latencyRate;
    private final long minLatencyNanos;
    private final long latencySpreadNanos;
    private final ChaosException defaultFault;
    private final LongAdder faults = new LongAdder();
    private final LongAdder latencies = new LongAdder();
    private final LongAdder results = new LongAdder();
    private volatile boolean enabled;

    DefaultChaos(String name, ChaosConfig config) {
        super("chaos", name);
        this.config = Objects.requireNonNull(config, "config");
        this.clock = config.clock();
        this.scheduler = config.scheduler();
        this.faultRate = config.faultRate();
        this.answerRate = config.faultRate() + config.resultRate();
        this.latencyRate = config.latencyRate();
        this.minLatencyNanos = config.minLatency().toNanos();
        this.latencySpreadNanos = config.maxLatency().toNanos() - minLatencyNanos;
        this.defaultFault = new ChaosException(name);
        this.enabled = config.enabled();
    }

    @Override
    public ChaosConfig config() {
        return config;
    }

    @Override
    public boolean isEnabled() {
        return enabled;
    }

    @Override
    public void enable() {
        switchTo(true);
    }

    @Override
    public void disable() {
        switchTo(false);
    }

    @Override
    public long injectedFaults() {
        return faults.sum();
    }

    @Override
    public long injectedLatencies() {
        return latencies.sum();
    }

    @Override
    public long injectedResults() {
        return results.sum();
    }

    @Override
    public <T> T call(Invoker inner, Supplier<? extends T> supplier) {
        if (!enabled) {
            return inner.call(supplier);
        }
        long plan = plan();
        sleep(delayOf(plan));
        switch (actionOf(plan)) {
            case FAULT:
                Exception fault = injectFault();
                if (fault instanceof RuntimeException unchecked) {
                    throw unchecked;
                }
                throw new CompletionException(fault);
            case RESULT:
                return injectResult();
            default:
                return inner.call(supplier);
        }
    }

    /** Like {@link #call}, but an injected fault is reported as it is, never wrapped. */
    @Override
    public <T> Outcome<T> attempt(Supplier<? extends T> supplier) {
        Objects.requireNonNull(supplier, "supplier");
        if (!enabled) {
            return CallOutcomes.capture(Invoker.DIRECT, supplier);
        }
        long plan = plan();
        try {
            sleep(delayOf(plan));
        } catch (CancellationException interrupted) {
            return Outcome.failure(interrupted);
        }
        switch (actionOf(plan)) {
            case FAULT:
                return Outcome.failure(injectFault());
            case RESULT:
                return Outcome.success(injectResult());
            default:
                return CallOutcomes.capture(Invoker.DIRECT, supplier);
        }
    }

    @Override
    public <T> CompletionStage<T> callAsync(Invoker inner, Supplier<? extends CompletionStage<T>> supplier) {
        Objects.requireNonNull(supplier, "supplier");
        if (!enabled) {
            return inner.callAsync(supplier);
        }
        long plan = plan();
        Invoker invoker = inner;
        Supplier<? extends CompletionStage<T>> call = supplier;
        int action = actionOf(plan);
        if (action == FAULT) {
            Exception fault = injectFault();
            invoker = Invoker.DIRECT;
            call = () -> CompletableFuture.failedFuture(fault);
        } else if (action == RESULT) {
            T result = injectResult();
            invoker = Invoker.DIRECT;
            call = () -> CompletableFuture.completedFuture(result);
        }
        long delay = delayOf(plan);
        if (delay > 0) {
            return DelayedAsyncCall.schedule(scheduler, delay, invoker, call, NOTHING);
        }
        return invoker.callAsync(call);
    }

    @Override
    public String toString() {
        return "Chaos[" + name + (enabled ? ", enabled" : ", disabled") + "]";
    }

    /**
     * Draws what happens to one call, as {@code delay << 2 | action}: the delay to inject in nanoseconds
     * (0 for none) and {@link #PASS}, {@link #FAULT} or {@link #RESULT}. Packed in a long so that deciding
     * allocates nothing. Publishes the latency injection; the others are published when they happen.
     */
    private long plan() {
        RandomGenerator random = config.random().get();
        long delay = 0;
        if (latencyRate > 0 && random.nextDouble() < latencyRate) {
            delay = minLatencyNanos + (latencySpreadNanos == 0 ? 0 : random.nextLong(latencySpreadNanos + 1));
            latencies.increment();
            if (!listeners.isEmpty()) {
                listeners.publish(new ChaosEvent.LatencyInjected(name, now(), Duration.ofNanos(delay)));
            }
        }
        int action = PASS;
        if (answerRate > 0) {
            double draw = random.nextDouble();
            action = draw < faultRate ? FAULT : draw < answerRate ? RESULT : PASS;
        }
        return delay << 2 | action;
    }

    private static long delayOf(long plan) {
        return plan >>> 2;
    }

    private static int actionOf(long plan) {
        return (int) (plan & 3);
    }

    private void sleep(long delay) {
        if (delay == 0) {
            return;
        }
        try {
            clock.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("chaos '" + name + "': interrupted while injecting latency");
        }
    }

    private Exception injectFault() {
        Exception fault = config.fault() == ChaosConfig.DEFAULT_FAULT ? defaultFault : config.fault().get();
        faults.increment();
        if (!listeners.isEmpty()) {
            listeners.publish(new ChaosEvent.FaultInjected(name, now(), fault));
        }
        return fault;
    }

    /** The configured result, returned as the call's type (see {@link ChaosConfig#result()}). */
    @SuppressWarnings("unchecked")
    private <T> T injectResult() {
        T result = (T) config.result().get();
        results.increment();
        if (!listeners.isEmpty()) {
            listeners.publish(new ChaosEvent.ResultInjected(name, now()));
        }
        return result;
    }

    private void switchTo(boolean on) {
        if (enabled == on) {
            return;
        }
        enabled = on;
        LOG.info("Chaos '{}' switched {}", name, on ? "on" : "off");
        if (!listeners.isEmpty()) {
            listeners.publish(new ChaosEvent.Switched(name, now(), on));
        }
    }

    private Instant now() {
        return Instant.ofEpochMilli(clock.currentTimeMillis());
    }
}
