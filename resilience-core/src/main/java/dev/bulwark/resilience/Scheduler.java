package dev.bulwark.resilience;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs tasks later: the asynchronous waits of policies (a retry's backoff, a timeout, a hedge's delay).
 *
 * <p>{@link #system()} uses the JDK's shared delay thread ({@link CompletableFuture#delayedExecutor}) and
 * runs tasks on the common fork-join pool, so Bulwark starts no thread of its own. A cancelled task there
 * stays queued, inert, until its time comes; applications with many long waits should pass their own
 * executor with {@link #of(ScheduledExecutorService)} (configured with
 * {@code setRemoveOnCancelPolicy(true)}). Tests use a {@link ManualClock}, which is also a scheduler and runs
 * due tasks when it is advanced.
 *
 * <pre>{@code
 * ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1);
 * executor.setRemoveOnCancelPolicy(true);
 * Scheduler scheduler = Scheduler.of(executor);
 * }</pre>
 *
 * <p>Implementations must be thread-safe.
 */
public interface Scheduler {

    /**
     * Runs {@code task} once, after {@code delayNanos} (at once if zero or negative, but never on the calling
     * thread's stack unless the scheduler is a {@link ManualClock}).
     *
     * @return a handle that cancels the task if it has not started yet
     */
    Task schedule(Runnable task, long delayNanos);

    /** A scheduled task. */
    interface Task {
        /** Cancels the task if it has not started; returns whether this call cancelled it. */
        boolean cancel();
    }

    /** The scheduler that uses the JDK's shared delay thread and the common pool. */
    static Scheduler system() {
        return SystemScheduler.INSTANCE;
    }

    /** A scheduler on the caller's executor; the caller owns it and shuts it down. */
    static Scheduler of(ScheduledExecutorService executor) {
        Objects.requireNonNull(executor, "executor");
        return new Scheduler() {
            @Override
            public Task schedule(Runnable task, long delayNanos) {
                Objects.requireNonNull(task, "task");
                ScheduledFuture<?> future = executor.schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
                return () -> future.cancel(false);
            }

            @Override
            public String toString() {
                return "Scheduler.of(" + executor + ")";
            }
        };
    }
}

/** See {@link Scheduler#system()}. */
enum SystemScheduler implements Scheduler {
    INSTANCE;

    @Override
    public Task schedule(Runnable task, long delayNanos) {
        Objects.requireNonNull(task, "task");
        AtomicBoolean state = new AtomicBoolean(); // false: pending; true: started or cancelled
        CompletableFuture.delayedExecutor(Math.max(0, delayNanos), TimeUnit.NANOSECONDS).execute(() -> {
            if (state.compareAndSet(false, true)) {
                task.run();
            }
        });
        return () -> state.compareAndSet(false, true);
    }

    @Override
    public String toString() {
        return "Scheduler.system()";
    }
}
