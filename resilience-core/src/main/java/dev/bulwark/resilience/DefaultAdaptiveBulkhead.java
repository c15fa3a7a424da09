package dev.bulwark.resilience;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link AdaptiveBulkhead}. Admission is a CAS on the in-flight count against the current limit, which
 * {@link AdaptiveBulkheadLimit} moves; when the limit drops below the calls in flight, new calls are refused
 * until enough have finished. Each admitted call reports its latency (or a drop) when it ends, exactly once:
 * synchronously in a {@code finally}-like path, asynchronously through {@link BulkheadAsyncCall}.
 */
final class DefaultAdaptiveBulkhead
        extends AbstractPolicy<AdaptiveBulkheadEvent> implements AdaptiveBulkhead, BulkheadAsyncCall.Owner, AdaptiveBulkheadLimit.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(AdaptiveBulkhead.class);

    private final AdaptiveBulkheadConfig config;
    private final Clock clock;
    private final Predicate<? super Throwable> dropOn;
    private final AdaptiveBulkheadLimit limit;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongAdder permitted = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    /** The rejection for the current limit, replaced when the limit has moved. */
    private volatile AdaptiveBulkheadFullException rejection;

    DefaultAdaptiveBulkhead(String name, AdaptiveBulkheadConfig config) {
        super("adaptive bulkhead", name);
        this.config = Objects.requireNonNull(config, "config");
        this.clock = config.clock();
        this.dropOn = config.dropOn();
        this.limit = new AdaptiveBulkheadLimit(config, this);
        this.rejection = new AdaptiveBulkheadFullException(name, config.initialLimit(), config);
    }

    @Override
    public AdaptiveBulkheadConfig config() {
        return config;
    }

    @Override
    public int limit() {
        return limit.limit();
    }

    @Override
    public int inFlight() {
        return inFlight.get();
    }

    @Override
    public Duration noLoadLatency() {
        return Duration.ofNanos(limit.noLoadNanos());
    }

    @Override
    public long permittedCalls() {
        return permitted.sum();
    }

    @Override
    public long rejectedCalls() {
        return rejected.sum();
    }

    @Override
    public <T> T call(Invoker inner, Supplier<? extends T> supplier) {
        int admitted = admit();
        if (admitted < 0) {
            throw currentRejection();
        }
        long start = clock.nanoTime();
        T value;
        try {
            value = inner.call(supplier);
        } catch (Throwable failure) {
            finish(start, admitted, failure);
            throw failure;
        }
        finish(start, admitted, null);
        return value;
    }

    @Override
    public <T> Outcome<T> attempt(Supplier<? extends T> supplier) {
        Objects.requireNonNull(supplier, "supplier");
        int admitted = admit();
        if (admitted < 0) {
            return Outcome.rejected(currentRejection());
        }
        long start = clock.nanoTime();
        Outcome<T> outcome = CallOutcomes.capture(Invoker.DIRECT, supplier);
        Throwable failure = null;
        if (outcome instanceof Outcome.Failure<T> failed) {
            failure = failed.cause();
        } else if (outcome instanceof Outcome.Rejected<T> refused) {
            failure = refused.rejection();
        }
        finish(start, admitted, failure);
        return outcome;
    }

    @Override
    public <T> CompletionStage<T> callAsync(Invoker inner, Supplier<? extends CompletionStage<T>> supplier) {
        Objects.requireNonNull(supplier, "supplier");
        int admitted = admit();
        if (admitted < 0) {
            return CompletableFuture.failedFuture(currentRejection());
        }
        BulkheadAsyncCall<T> call = new BulkheadAsyncCall<>(this, inner, supplier);
        call.inFlight = admitted;
        call.startNanos = clock.nanoTime();
        call.permitted();
        call.run();
        return call;
    }

    /** {@link BulkheadAsyncCall.Owner}: an asynchronous call ended. */
    @Override
    public void release(BulkheadAsyncCall<?> call, Throwable failure) {
        finish(call.startNanos, call.inFlight, failure);
    }

    /** {@link AdaptiveBulkheadLimit.Listener}. */
    @Override
    public void limitChanged(int from, int to, long latencyNanos, long noLoadNanos) {
        LOG.debug("Adaptive bulkhead '{}' limit {} -> {} (latency {} ns, no-load {} ns)", name, from, to,
                latencyNanos, noLoadNanos);
        if (!listeners.isEmpty()) {
            listeners.publish(new AdaptiveBulkheadEvent.LimitChanged(name, now(), from, to,
                    Duration.ofNanos(latencyNanos), Duration.ofNanos(noLoadNanos)));
        }
    }

    @Override
    public String toString() {
        return "AdaptiveBulkhead[" + name + ", limit=" + limit() + ", inFlight=" + inFlight() + "]";
    }

    /** Admits a call if fewer than the limit are in flight; returns the in-flight count with it, or -1. */
    private int admit() {
        while (true) {
            int current = inFlight.get();
            if (current >= limit.limit()) {
                rejected.increment();
                if (!listeners.isEmpty()) {
                    listeners.publish(new AdaptiveBulkheadEvent.CallRejected(name, now(), limit.limit()));
                }
                return -1;
            }
            if (inFlight.compareAndSet(current, current + 1)) {
                permitted.increment();
                return current + 1;
            }
        }
    }

    /** A call admitted with {@code admitted} in flight ended; {@code failure} is null after a value. */
    private void finish(long start, int admitted, Throwable failure) {
        inFlight.decrementAndGet();
        long now = clock.nanoTime();
        if (failure == null) {
            limit.onSample(now, now - start, admitted);
            return;
        }
        Throwable cause = CallOutcomes.unwrap(failure);
        if (!(cause instanceof CancellationException) && dropOn.test(cause)) {
            limit.onDrop(now, admitted);
        }
    }

    private AdaptiveBulkheadFullException currentRejection() {
        int current = limit.limit();
        AdaptiveBulkheadFullException cached = rejection;
        if (cached.limit() != current) {
            cached = new AdaptiveBulkheadFullException(name, current, config);
            rejection = cached;
        }
        return cached;
    }

    private Instant now() {
        return Instant.ofEpochMilli(clock.currentTimeMillis());
    }
}
