package dev.bulwark.cqrs;

import dev.bulwark.eventstore.EventStore;
import dev.bulwark.eventstore.GlobalSlice;
import dev.bulwark.eventstore.RecordedEvent;
import dev.bulwark.resilience.Clock;
import dev.bulwark.resilience.Scheduler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.LongSupplier;

/**
 * How far a projection is: waits for a position ({@link ProjectionRunner#awaitPosition}) and lag.
 *
 * <p>A position counts as reached when the known checkpoint is at or past it, or when the log holds no event the
 * filter keeps between the checkpoint and it (the filter skipped them all). The runner tells waiters about its own
 * progress at once ({@link #advanced}); everything else (filtered stretches, another node's progress) is found by
 * polling the log on the scheduler.
 *
 * <p>Why no wake-up is lost: a waiter is added to the queue before the position is checked again, and the runner
 * publishes the new position before it scans the queue; so either the check sees the new position or the scan sees
 * the waiter.
 */
final class ProjectionProgress {

    private record Waiter(long position, CompletableFuture<Void> future) {}

    private final String name;
    private final EventStore store;
    private final ProjectionConfig config;
    private final LongSupplier known;
    private final CheckpointReader stored;
    private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();

    /** Reads the stored checkpoint. */
    @FunctionalInterface
    interface CheckpointReader {
        long read() throws Exception;
    }

    ProjectionProgress(String name, EventStore store, ProjectionConfig config, LongSupplier known,
            CheckpointReader stored) {
        this.name = name;
        this.store = store;
        this.config = config;
        this.known = known;
        this.stored = stored;
    }

    /** The runner processed the log up to {@code position}. */
    void advanced(long position) {
        if (waiters.isEmpty()) {
            return;
        }
        for (Waiter waiter : waiters) {
            if (waiter.position() <= position) {
                waiter.future().complete(null);
            }
        }
    }

    CompletableFuture<Void> await(long position, Duration timeout) {
        if (position < 0) {
            throw new IllegalArgumentException("position must be >= 0, was " + position);
        }
        Futures.requireTimeout(timeout);
        if (position <= known.getAsLong()) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> future = new CompletableFuture<>();
        Waiter waiter = new Waiter(position, future);
        waiters.add(waiter);
        Scheduler scheduler = config.scheduler();
        Scheduler.Task timer = scheduler.schedule(() -> future.completeExceptionally(new WaitTimeoutException(
                "projection '" + name + "' did not reach position " + position + " within " + timeout + " (it is at "
                        + known.getAsLong() + ")")), timeout.toNanos());
        Scheduler.Task[] poll = new Scheduler.Task[1];
        future.whenComplete((done, failure) -> {
            waiters.remove(waiter);
            timer.cancel();
            Scheduler.Task pending = poll[0];
            if (pending != null) {
                pending.cancel();
            }
        });
        check(waiter, poll);
        return future;
    }

    /** Checks a waiter against the log, and checks again after the poll interval until it is done. */
    private void check(Waiter waiter, Scheduler.Task[] poll) {
        if (waiter.future().isDone()) {
            return;
        }
        try {
            if (reached(waiter.position())) {
                waiter.future().complete(null);
                return;
            }
        } catch (Exception e) {
            waiter.future().completeExceptionally(e);
            return;
        }
        poll[0] = config.scheduler().schedule(() -> check(waiter, poll), config.awaitPollInterval().toNanos());
        if (waiter.future().isDone()) {
            poll[0].cancel();
        }
    }

    private boolean reached(long position) throws Exception {
        long checkpoint = Math.max(known.getAsLong(), stored.read());
        if (checkpoint >= position) {
            return true;
        }
        GlobalSlice next = store.readAll(checkpoint, 1, config.filter());
        if (next.events().isEmpty()) {
            return next.checkpoint() >= position;
        }
        return next.events().get(0).position() > position;
    }

    /** Counts the events after the checkpoint, up to {@link ProjectionLag#COUNT_LIMIT}, and dates the oldest. */
    ProjectionLag lag() throws Exception {
        long after = Math.max(known.getAsLong(), stored.read());
        long count = 0;
        RecordedEvent oldest = null;
        while (count < ProjectionLag.COUNT_LIMIT) {
            int page = (int) Math.min(500, ProjectionLag.COUNT_LIMIT - count);
            GlobalSlice slice = store.readAll(after, page, config.filter());
            if (oldest == null && !slice.events().isEmpty()) {
                oldest = slice.events().get(0);
            }
            count += slice.events().size();
            after = slice.checkpoint();
            if (slice.endOfLog()) {
                break;
            }
        }
        if (oldest == null) {
            return ProjectionLag.NONE;
        }
        Clock clock = config.clock();
        long behind = Math.max(0, clock.currentTimeMillis() - oldest.timestamp().toEpochMilli());
        return new ProjectionLag(count, Duration.ofMillis(behind));
    }
}
