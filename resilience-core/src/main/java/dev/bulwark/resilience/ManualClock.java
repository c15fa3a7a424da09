package dev.bulwark.resilience;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link Clock} and {@link Scheduler} that move only when told to, for deterministic tests of code that
 * uses Bulwark.
 *
 * <p>{@link #sleep(long)} does not block: it advances the clock by the requested time and returns, so a
 * retry with a ten-second backoff finishes at once while the policy sees ten seconds pass. Scheduled tasks
 * run on the thread that advances the clock, in order of their due time, each with the clock set to its due
 * time. The clock starts at an arbitrary non-zero reading, so code that wrongly treats {@code nanoTime()} as
 * absolute shows up in tests.
 *
 * <pre>{@code
 * ManualClock clock = new ManualClock();
 * long start = clock.nanoTime();
 * clock.schedule(() -> System.out.println("later"), 1_000_000L);
 * clock.advance(Duration.ofMillis(250)); // prints "later"
 * assert clock.nanoTime() - start == 250_000_000L;
 * }</pre>
 *
 * <p>Thread-safe. Readings never block; advancing is serialised by a lock that is released while a task
 * runs, so tasks may schedule further tasks or read the clock.
 */
public final class ManualClock implements Clock, Scheduler {
    private static final long START_NANOS = 1_000_000_000_000L;

    private final long startMillis;
    /** The current reading; written only while holding {@link #lock}. */
    private volatile long nanos = START_NANOS;
    /** Guards {@link #queue}, {@link #sequence} and writes of {@link #nanos}. */
    private final ReentrantLock lock = new ReentrantLock();
    private final PriorityQueue<Pending> queue = new PriorityQueue<>();
    private long sequence;

    /** A clock whose wall time starts at 2026-01-01T00:00:00Z. */
    public ManualClock() {
        this(1_767_225_600_000L);
    }

    /**
     * A clock whose wall time starts at the given epoch milliseconds.
     *
     * @param startMillis the wall-clock reading at creation, in milliseconds since the epoch
     */
    public ManualClock(long startMillis) {
        this.startMillis = startMillis;
    }

    @Override
    public long nanoTime() {
        return nanos;
    }

    @Override
    public long currentTimeMillis() {
        return startMillis + (nanos - START_NANOS) / 1_000_000L;
    }

    /** Advances the clock by {@code nanos}, running the tasks that fall due, and returns. */
    @Override
    public void sleep(long nanos) {
        if (nanos > 0) {
            advanceNanos(nanos);
        }
    }

    /**
     * Moves the clock forward, running every task that falls due on the way.
     *
     * @throws IllegalArgumentException if the duration is negative: time does not run backwards
     */
    public void advance(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative, was " + duration);
        }
        advanceNanos(duration.toNanos());
    }

    /**
     * Moves the clock forward by the given nanoseconds, running every task that falls due on the way.
     *
     * @throws IllegalArgumentException if {@code nanos} is negative
     */
    public void advanceNanos(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("nanos must not be negative, was " + nanos);
        }
        long target;
        lock.lock();
        try {
            target = this.nanos + nanos;
        } finally {
            lock.unlock();
        }
        while (true) {
            Pending due;
            lock.lock();
            try {
                due = queue.peek();
                if (due == null || due.dueNanos > target) {
                    if (this.nanos < target) {
                        this.nanos = target;
                    }
                    return;
                }
                queue.poll();
                if (this.nanos < due.dueNanos) {
                    this.nanos = due.dueNanos;
                }
            } finally {
                lock.unlock();
            }
            due.run();
        }
    }

    /** Runs the tasks already due at the current reading, without moving the clock. */
    public void runDueTasks() {
        advanceNanos(0);
    }

    /**
     * Schedules {@code task} to run when the clock is advanced to {@code delayNanos} from now. A task due now
     * runs at the next {@link #advanceNanos} or {@link #runDueTasks()}, not on the calling thread.
     */
    @Override
    public Task schedule(Runnable task, long delayNanos) {
        Objects.requireNonNull(task, "task");
        lock.lock();
        try {
            Pending pending = new Pending(nanos + Math.max(0, delayNanos), sequence++, task);
            queue.add(pending);
            return pending;
        } finally {
            lock.unlock();
        }
    }

    /** The tasks scheduled and not yet run or cancelled, in due order, as delays from now. */
    public List<Duration> pendingTasks() {
        lock.lock();
        try {
            List<Pending> sorted = new ArrayList<>(queue);
            sorted.sort(null);
            List<Duration> delays = new ArrayList<>();
            for (Pending pending : sorted) {
                if (!pending.done.get()) {
                    delays.add(Duration.ofNanos(pending.dueNanos - nanos));
                }
            }
            return delays;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "ManualClock[+" + Duration.ofNanos(nanos - START_NANOS) + "]";
    }

    private static final class Pending implements Comparable<Pending>, Task {
        final long dueNanos;
        final long order;
        final Runnable task;
        final AtomicBoolean done = new AtomicBoolean();

        Pending(long dueNanos, long order, Runnable task) {
            this.dueNanos = dueNanos;
            this.order = order;
            this.task = task;
        }

        void run() {
            if (done.compareAndSet(false, true)) {
                task.run();
            }
        }

        @Override
        public boolean cancel() {
            return done.compareAndSet(false, true);
        }

        @Override
        public int compareTo(Pending other) {
            int byTime = Long.compare(dueNanos, other.dueNanos);
            return byTime != 0 ? byTime : Long.compare(order, other.order);
        }
    }
}
