package dev.bulwark.resilience;

import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A limit on retries shared by several {@link Retry} (and {@link Hedge}) instances, so that a failing
 * dependency cannot turn into a retry storm: within a sliding window, retries may add at most
 * {@code ratio} times the calls made, plus {@code minRetriesPerSecond} for every second of the window (so
 * that a service with little traffic can still retry).
 *
 * <pre>{@code
 * RetryBudget budget = RetryBudget.of("inventory", RetryBudgetConfig.builder().ratio(0.1).build());
 * Retry reads = Retry.of("inventory-reads", RetryConfig.builder().budget(budget).build());
 * Retry writes = Retry.of("inventory-writes", RetryConfig.builder().budget(budget).build());
 * }</pre>
 *
 * <p>When the budget is spent, a retry stops at once and the call ends with its last failure (the Retry
 * publishes a {@link RetryEvent.BudgetExhausted}); the budget refills as new calls are made and as old
 * retries leave the window.
 *
 * <p>Thread-safe.
 */
public final class RetryBudget {
    /*
     * Every call counts into one LongAdder: that is on every call's path, so it must not contend. Retries,
     * on the failure path only, are decided under a lock. The window is a ring of SLICES slices; for each
     * it records the running call total at its start and the retries granted in it. Slice boundaries are
     * noticed lazily, when a retry is asked for; the calls made since the last look are spread evenly over
     * the slices that passed meanwhile, which is exact for a steady rate and never lets old calls count
     * for more than the window.
     */
    private static final int SLICES = 10;

    private final String name;
    private final RetryBudgetConfig config;
    private final Clock clock;
    private final LongAdder calls = new LongAdder();
    private final long sliceNanos;
    private final long originNanos;
    private final double floor;

    /** Guards every field below. */
    private final ReentrantLock lock = new ReentrantLock();
    private final long[] sliceStartCalls = new long[SLICES];
    private final int[] sliceRetries = new int[SLICES];
    private long currentSlice;
    private long lastSeenCalls;
    private long lastSeenNanos;

    private RetryBudget(String name, RetryBudgetConfig config) {
        this.name = Objects.requireNonNull(name, "name");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = config.clock();
        this.sliceNanos = config.window().toNanos() / SLICES;
        this.originNanos = clock.nanoTime();
        this.lastSeenNanos = originNanos;
        this.floor = config.minRetriesPerSecond() * (config.window().toNanos() / 1e9);
    }

    /** A budget with the given settings. */
    public static RetryBudget of(String name, RetryBudgetConfig config) {
        return new RetryBudget(name, config);
    }

    /** A budget with {@link RetryBudgetConfig#defaults()}. */
    public static RetryBudget ofDefaults(String name) {
        return of(name, RetryBudgetConfig.defaults());
    }

    /** The name of this budget. */
    public String name() {
        return name;
    }

    /** The settings of this budget. */
    public RetryBudgetConfig config() {
        return config;
    }

    /** How many retries the budget would grant now; 0 when it is spent. */
    public long available() {
        lock.lock();
        try {
            return Math.max(0, (long) Math.floor(allowanceLocked()) - retriesLocked());
        } finally {
            lock.unlock();
        }
    }

    /** Counts a call made (not a retry): each one earns {@code ratio} of a retry. */
    void recordCall() {
        calls.increment();
    }

    /** Takes one retry from the budget; false when it is spent. */
    boolean tryAcquire() {
        lock.lock();
        try {
            if (retriesLocked() + 1 > allowanceLocked()) {
                return false;
            }
            sliceRetries[(int) (currentSlice % SLICES)]++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    private double allowanceLocked() {
        advanceLocked();
        long callsInWindow = lastSeenCalls - sliceStartCalls[(int) ((currentSlice + 1) % SLICES)];
        return callsInWindow * config.ratio() + floor;
    }

    private int retriesLocked() {
        int retries = 0;
        for (int count : sliceRetries) {
            retries += count;
        }
        return retries;
    }

    private void advanceLocked() {
        long now = clock.nanoTime();
        long total = calls.sum();
        long nowSlice = (now - originNanos) / sliceNanos;
        if (nowSlice > currentSlice) {
            long first = Math.max(currentSlice + 1, nowSlice - SLICES + 1);
            long elapsed = Math.max(1, now - lastSeenNanos);
            for (long slice = first; slice <= nowSlice; slice++) {
                long boundary = originNanos + slice * sliceNanos;
                double share = (double) (boundary - lastSeenNanos) / elapsed;
                int index = (int) (slice % SLICES);
                sliceStartCalls[index] = lastSeenCalls + (long) ((total - lastSeenCalls) * Math.max(0.0, share));
                sliceRetries[index] = 0;
            }
            currentSlice = nowSlice;
        }
        lastSeenCalls = total;
        lastSeenNanos = now;
    }

    @Override
    public String toString() {
        return "RetryBudget[" + name + ", ratio=" + config.ratio() + ", minRetriesPerSecond="
                + config.minRetriesPerSecond() + ", window=" + config.window() + "]";
    }
}
