package dev.bulwark.resilience;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The concurrency limit of an {@link AdaptiveBulkhead} and the Vegas-style algorithm that moves it (see
 * {@link AdaptiveBulkheadConfig} for the rules).
 *
 * <h2>Concurrency</h2>
 * Calls report their latency into the current {@link Window} with atomic adds, without a lock. The call that
 * finds the window complete replaces it with a fresh one by a CAS; only the winner of that CAS evaluates the
 * old window, so each window is evaluated once. The evaluation itself (rare: once a window) runs under
 * {@link #lock}, which orders evaluations of consecutive windows and guards the algorithm's state. A report
 * that lands in a window just after it was swapped out is lost; the estimate is statistical and does not
 * miss it. The limit callers check is the volatile {@link #limit}.
 */
final class AdaptiveBulkheadLimit {

    /** Told when the limit changes; called outside the lock. */
    interface Listener {
        void limitChanged(int from, int to, long latencyNanos, long noLoadNanos);
    }

    private final AdaptiveBulkheadConfig config;
    private final long windowMinNanos;
    private final Listener listener;
    private final AtomicReference<Window> window;
    /** The limit callers are held to; written under {@link #lock}. */
    private volatile int limit;
    /** The lowest average latency seen since the last probe; written under {@link #lock}. */
    private volatile long noLoadNanos;
    /** Guards {@link #estimate} and {@link #windowsSinceProbe}, and orders the writes of the volatiles. */
    private final ReentrantLock lock = new ReentrantLock();
    private double estimate;
    private int windowsSinceProbe;

    AdaptiveBulkheadLimit(AdaptiveBulkheadConfig config, Listener listener) {
        this.config = config;
        this.windowMinNanos = config.windowMinDuration().toNanos();
        this.listener = listener;
        this.limit = config.initialLimit();
        this.estimate = config.initialLimit();
        this.window = new AtomicReference<>(new Window(config.clock().nanoTime()));
    }

    int limit() {
        return limit;
    }

    /** The no-load latency in nanoseconds; 0 until the first window has been evaluated. */
    long noLoadNanos() {
        return noLoadNanos;
    }

    /** A call that started with {@code inFlight} calls in flight (itself included) answered after {@code rtt}. */
    void onSample(long now, long rttNanos, int inFlight) {
        Window current = window.get();
        current.rttSum.addAndGet(rttNanos);
        current.samples.incrementAndGet();
        record(current, now, inFlight);
    }

    /** A call failed in a way that says the dependency is overloaded. */
    void onDrop(long now, int inFlight) {
        Window current = window.get();
        current.drops.incrementAndGet();
        record(current, now, inFlight);
    }

    private void record(Window current, long now, int inFlight) {
        int max;
        while ((max = current.maxInFlight.get()) < inFlight && !current.maxInFlight.compareAndSet(max, inFlight)) {
            // another call raised the maximum meanwhile; look again
        }
        int reports = current.reports.incrementAndGet();
        if (reports >= config.windowMinSamples() && now - current.startNanos >= windowMinNanos
                && window.compareAndSet(current, new Window(now))) {
            evaluate(current);
        }
    }

    private void evaluate(Window done) {
        int from;
        int to;
        long latency;
        long noLoad;
        lock.lock();
        try {
            int samples = done.samples.get();
            latency = samples == 0 ? 0 : done.rttSum.get() / samples;
            if (samples > 0) {
                if (++windowsSinceProbe >= config.noLoadProbeWindows() || noLoadNanos == 0 || latency < noLoadNanos) {
                    noLoadNanos = Math.max(1, latency);
                    windowsSinceProbe = 0;
                }
            }
            double next = clamp(blend(target(done, samples, latency)));
            estimate = next;
            from = limit;
            to = (int) next;
            noLoad = noLoadNanos;
            limit = to;
        } finally {
            lock.unlock();
        }
        if (from != to) {
            listener.limitChanged(from, to, latency, noLoad);
        }
    }

    /** Guarded by {@link #lock}: where this window says the limit should go. */
    private double target(Window done, int samples, long latency) {
        if (done.drops.get() > 0) {
            return estimate * config.backoffRatio();
        }
        if (samples == 0 || done.maxInFlight.get() * 2 < estimate) {
            return estimate; // nothing measured, or too few calls in flight to say whether the limit is right
        }
        double step = Math.max(1.0, Math.log10(estimate));
        double queued = estimate * (1.0 - (double) noLoadNanos / latency);
        if (queued < config.alpha() * step) {
            return estimate + step;
        }
        if (queued > config.beta() * step) {
            return estimate - step;
        }
        return estimate;
    }

    private double blend(double target) {
        return estimate * (1.0 - config.smoothing()) + target * config.smoothing();
    }

    private double clamp(double value) {
        return Math.max(config.minLimit(), Math.min(config.maxLimit(), value));
    }

    /** The reports of one window. */
    private static final class Window {
        final long startNanos;
        final AtomicLong rttSum = new AtomicLong();
        final AtomicInteger samples = new AtomicInteger();
        final AtomicInteger drops = new AtomicInteger();
        final AtomicInteger reports = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();

        Window(long startNanos) {
            this.startNanos = startNanos;
        }
    }
}
