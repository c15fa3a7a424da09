package dev.bulwark.eventstore;

import dev.bulwark.resilience.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one subscription engine every backend uses: a pull loop that reads a page after its checkpoint, hands each
 * event to the handler, advances the checkpoint, and when a page reaches the end, waits on the source's signal.
 *
 * <p>Why it is exactly-once and in order: one thread runs the loop; the checkpoint advances only after the handler
 * returned for an event, and each read continues after the checkpoint, so an event is neither handled twice nor
 * skipped (the source guarantees that nothing can later appear at or below a checkpoint it returned).
 *
 * <p>Why memory is bounded: at most one page is held at a time, and the next page is read only after the handler
 * has taken the previous one, so a slow handler slows the reads instead of queueing events.
 *
 * <p>Lifecycle: {@code state} moves NEW → RUNNING → STOPPED, or NEW → STOPPED when closed before the executor ran
 * it (the late task then does nothing). {@code closing} is the stop request the running loop checks between
 * events and after every wait.
 */
final class SubscriptionLoop implements Subscription, Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionLoop.class);
    private static final long PAUSE_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private enum State { NEW, RUNNING, STOPPED }

    private final String name;
    private final SubscriptionSource source;
    private final EventHandler handler;
    private final boolean byVersion;
    private final int batchSize;
    private final long retryDelayNanos;
    private final Clock clock;
    private final Runnable onStop;
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private final CompletableFuture<Void> termination = new CompletableFuture<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean closing;
    private volatile boolean live;
    /** Written only by the loop's thread. */
    private volatile long position;
    private volatile Thread runner;

    /**
     * @param name for logs, such as "subscription to all after 17"
     * @param byVersion whether the checkpoint is a stream version (else a global position)
     * @param onStop called once when the subscription stops, to forget it in the store
     */
    SubscriptionLoop(String name, SubscriptionSource source, EventHandler handler, long checkpoint, boolean byVersion,
            EventStoreSettings settings, Runnable onStop) {
        this.name = name;
        this.source = source;
        this.handler = handler;
        this.position = checkpoint;
        this.byVersion = byVersion;
        this.batchSize = settings.subscriptionBatchSize();
        this.retryDelayNanos = settings.retryDelay().toNanos();
        this.clock = settings.clock();
        this.onStop = onStop;
    }

    @Override
    public void run() {
        if (!state.compareAndSet(State.NEW, State.RUNNING)) {
            return;
        }
        runner = Thread.currentThread();
        Throwable failure = null;
        try {
            follow();
        } catch (Throwable t) {
            failure = t;
            if (t instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.warn("{} stopped at {} after a failure", name, position, t);
        } finally {
            stop(failure);
        }
        if (failure instanceof Error error) {
            throw error;
        }
    }

    private void follow() throws Exception {
        while (!closing) {
            SubscriptionSource.Page page;
            try {
                page = source.read(position, batchSize);
            } catch (TransientEventStoreException e) {
                LOG.warn("{}: reading after {} failed, retrying in {} ms: {}", name, position,
                        TimeUnit.NANOSECONDS.toMillis(retryDelayNanos), e.getMessage());
                pause(retryDelayNanos);
                continue;
            }
            for (RecordedEvent event : page.events()) {
                if (closing) {
                    return;
                }
                handler.handle(event);
                position = byVersion ? event.version() : event.position();
            }
            if (closing) {
                return;
            }
            position = Math.max(position, page.checkpoint());
            if (page.end()) {
                live = true;
                try {
                    source.await();
                } catch (TransientEventStoreException e) {
                    LOG.warn("{}: waiting for new events failed, retrying in {} ms: {}", name,
                            TimeUnit.NANOSECONDS.toMillis(retryDelayNanos), e.getMessage());
                    pause(retryDelayNanos);
                }
            }
        }
    }

    /** Waits on the clock in short slices, so that close() is not held up by a long retry delay. */
    private void pause(long nanos) throws InterruptedException {
        long start = clock.nanoTime();
        long left;
        while (!closing && (left = nanos - (clock.nanoTime() - start)) > 0) {
            clock.sleep(Math.min(left, PAUSE_SLICE_NANOS));
        }
    }

    private void stop(Throwable failure) {
        try {
            source.close();
        } catch (RuntimeException e) {
            LOG.warn("{}: releasing its source failed", name, e);
        }
        state.set(State.STOPPED);
        runner = null;
        onStop.run();
        if (failure == null) {
            termination.complete(null);
        } else {
            termination.completeExceptionally(failure);
        }
        stopped.countDown();
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public boolean isLive() {
        return live && state.get() == State.RUNNING;
    }

    @Override
    public CompletionStage<Void> termination() {
        return termination;
    }

    @Override
    public void close() {
        closing = true;
        if (state.compareAndSet(State.NEW, State.RUNNING)) {
            stop(null);
            return;
        }
        source.wakeUp();
        if (Thread.currentThread() != runner) {
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return name + " at " + position + (isLive() ? " (live)" : "");
    }
}
