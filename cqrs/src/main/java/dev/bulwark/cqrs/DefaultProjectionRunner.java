package dev.bulwark.cqrs;

import dev.bulwark.eventstore.EventFilter;
import dev.bulwark.eventstore.EventStore;
import dev.bulwark.eventstore.GlobalSlice;
import dev.bulwark.eventstore.RecordedEvent;
import dev.bulwark.eventstore.Subscription;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ProjectionRunner}: one long task on the configured executor.
 *
 * <p>The loop: take the turn ({@link ReadModel#acquire()}, else stand by and try again later); read the checkpoint;
 * catch up page by page ({@link ProcessingStep#page}); at the end of the log, subscribe from the checkpoint and
 * apply events as they come; the subscription is run on this very thread (its task is captured, not handed to an
 * executor), so one thread does all the work and owns the read model.
 *
 * <p>Operator requests are queued and run by this thread between two events: a request stops the live subscription
 * (closing it waits for the event in progress), the loop runs the queue, then catches up again from the checkpoint,
 * which a rebuild has reset to 0. Requests run only while this runner holds the turn; whenever it moves to standby
 * or stops, it fails those still queued (see {@link #request} for why none is left behind).
 */
final class DefaultProjectionRunner implements ProjectionRunner, Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultProjectionRunner.class);

    /** An operator action run on the runner's thread. */
    @FunctionalInterface
    interface Action<T> {
        T run() throws Exception;
    }

    private record Request<T>(Action<T> action, CompletableFuture<T> future) {
        void run() {
            try {
                future.complete(action.run());
            } catch (ReadModel.ApplyFailure e) {
                future.completeExceptionally(e.getCause());
            } catch (ReadModel.Unavailable e) {
                future.completeExceptionally(e);
                throw e;
            } catch (Exception e) {
                future.completeExceptionally(e);
            }
        }
    }

    private final String name;
    private final EventStore store;
    private final ReadModel model;
    private final ProjectionConfig config;
    private final ProcessingStep step;
    private final ProjectionProgress progress;
    private final AtomicReference<Status> status = new AtomicReference<>(Status.NEW);
    private final ConcurrentLinkedQueue<Request<?>> requests = new ConcurrentLinkedQueue<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** Set by whichever comes first: the task starting, or close() finding it never started. */
    private final AtomicBoolean began = new AtomicBoolean();
    private volatile boolean closing;
    /** Processed up to here; written by the runner's thread only. */
    private volatile long position;
    private volatile Subscription live;
    private volatile Thread runner;

    private DefaultProjectionRunner(String name, EventStore store, ReadModel model, ProjectionConfig config) {
        this.name = name;
        this.store = store;
        this.model = model;
        this.config = config;
        this.step = new ProcessingStep(name, model, config, () -> closing, this::advanced);
        this.progress = new ProjectionProgress(name, store, config, () -> position, this::storedCheckpoint);
    }

    static ProjectionRunner create(String name, EventStore store, ReadModel model, ProjectionConfig config) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank, was \"" + name + "\"");
        }
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(config, "config");
        return new DefaultProjectionRunner(name, store, model, config);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void start() {
        if (!status.compareAndSet(Status.NEW, Status.STARTING)) {
            throw new IllegalStateException("projection '" + name + "' was already started (status " + status.get()
                    + ")");
        }
        try {
            config.executor().execute(this);
        } catch (RejectedExecutionException e) {
            finish(Status.STOPPED);
            throw e;
        }
    }

    @Override
    public void run() {
        if (!began.compareAndSet(false, true)) {
            return;
        }
        runner = Thread.currentThread();
        try {
            while (!closing) {
                takeTurnAndFollow();
            }
            finish(Status.STOPPED);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finish(Status.STOPPED);
        } catch (RuntimeException | Error e) {
            LOG.error("projection '{}' failed at position {} and stopped", name, position, e);
            finish(Status.FAILED);
            throw e;
        } finally {
            model.release();
            runner = null;
        }
    }

    private void takeTurnAndFollow() throws InterruptedException {
        try {
            if (!model.acquire()) {
                standBy();
                return;
            }
            follow();
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            model.release();
            if (closing) {
                return;
            }
            status.set(Status.RESTARTING);
            LOG.warn("projection '{}' stopped at position {} and starts again in {}: {}", name, position,
                    config.restartDelay(), e.toString());
            step.attempts().sleep(config.restartDelay().toNanos());
            return;
        }
        model.release();
    }

    private void standBy() throws Exception {
        status.set(Status.STANDBY);
        failRequests("is on standby: another node's runner is active");
        try {
            // The stored checkpoint is the truth here; it may even be lower than ours after a rebuild elsewhere.
            position = model.storedCheckpoint();
        } catch (Exception e) {
            LOG.debug("projection '{}' on standby could not read its checkpoint", name, e);
        }
        step.attempts().sleep(config.lockPollInterval().toNanos());
    }

    private void follow() throws Exception {
        status.set(Status.CATCHING_UP);
        position = model.begin();
        step.parkedKeys(model.parkedKeys());
        while (!closing) {
            runRequests();
            GlobalSlice page = store.readAll(position, config.batchSize(), config.filter());
            step.page(page, position);
            if (page.endOfLog() && !closing && requests.isEmpty()) {
                status.set(Status.LIVE);
                followLive();
                status.set(Status.CATCHING_UP);
            }
        }
    }

    /** Runs the live subscription on this thread until it is closed (by a request or close()) or fails. */
    private void followLive() throws Exception {
        Runnable[] task = new Runnable[1];
        Subscription subscription = store.subscribeToAll(position, config.filter(), this::onLiveEvent,
                command -> task[0] = command);
        live = subscription;
        if (closing || !requests.isEmpty()) {
            subscription.close();
        }
        try {
            task[0].run();
        } finally {
            live = null;
        }
        CompletableFuture<Void> termination = subscription.termination().toCompletableFuture();
        if (termination.isCompletedExceptionally()) {
            Throwable failure = Futures.unwrap(termination.handle((done, e) -> e).join());
            if (failure instanceof Exception exception) {
                throw exception;
            }
            throw (Error) failure;
        }
    }

    private void onLiveEvent(RecordedEvent event) throws Exception {
        if (closing || !requests.isEmpty()) {
            // Not processed: the catch-up loop reads it again after the requests ran.
            live.close();
            return;
        }
        step.one(event);
    }

    /** The stored checkpoint; while active, this runner's own position is at least that, and costs no query. */
    private long storedCheckpoint() throws Exception {
        Status now = status.get();
        return now == Status.LIVE || now == Status.CATCHING_UP ? position : model.storedCheckpoint();
    }

    private void advanced(long position) {
        this.position = position;
        progress.advanced(position);
    }

    private void runRequests() {
        Request<?> request;
        while ((request = requests.poll()) != null) {
            request.run();
        }
    }

    private void failRequests(String why) {
        Request<?> request;
        while ((request = requests.poll()) != null) {
            request.future().completeExceptionally(notActive(why));
        }
    }

    private IllegalStateException notActive(String why) {
        return new IllegalStateException("projection '" + name + "' " + why);
    }

    private void finish(Status end) {
        status.set(end);
        failRequests("is not running (" + end + ")");
        stopped.countDown();
    }

    /**
     * Queues an operator action. Why none is left behind: the runner sets a non-active status before it fails the
     * queue, and this method queues before it reads the status; so either the runner's drain sees the request, or
     * this method sees the non-active status and fails it (completing a future twice is harmless).
     */
    private <T> CompletionStage<T> request(Action<T> action) {
        CompletableFuture<T> future = new CompletableFuture<>();
        requests.add(new Request<>(action, future));
        Status now = status.get();
        if (now == Status.NEW || now == Status.STANDBY || now == Status.STOPPED || now == Status.FAILED) {
            future.completeExceptionally(notActive(now == Status.STANDBY
                    ? "is on standby: another node's runner is active" : "is not running (" + now + ")"));
            requests.removeIf(queued -> queued.future() == future);
            return future;
        }
        Subscription subscription = live;
        if (subscription != null) {
            subscription.close();
        }
        return future;
    }

    @Override
    public CompletionStage<Integer> retryParked(String key) {
        Objects.requireNonNull(key, "key");
        return request(() -> {
            try {
                return model.retryParked(key, this::readParked, position);
            } finally {
                step.parkedKeys(model.parkedKeys());
            }
        });
    }

    @Override
    public CompletionStage<Integer> discardParked(String key) {
        Objects.requireNonNull(key, "key");
        return request(() -> {
            int discarded = model.discardParked(key, position);
            step.parkedKeys(model.parkedKeys());
            return discarded;
        });
    }

    @Override
    public CompletionStage<Void> rebuild() {
        return request(() -> {
            model.reset();
            step.parkedKeys(Set.of());
            position = 0;
            LOG.info("projection '{}' was reset and replays the log from the start", name);
            return null;
        });
    }

    /** Reads a parked event back from the log. */
    private RecordedEvent readParked(ParkedEvent parked) {
        List<RecordedEvent> found = store.readAll(parked.position() - 1, 1, EventFilter.ALL).events();
        if (found.isEmpty() || !found.get(0).eventId().equals(parked.eventId())) {
            throw new IllegalStateException("parked event " + parked.streamId() + "@" + parked.version()
                    + " (position " + parked.position() + ") is no longer in the log");
        }
        return found.get(0);
    }

    @Override
    public Status status() {
        return status.get();
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public CompletionStage<Void> awaitPosition(long position, Duration timeout) {
        return progress.await(position, timeout);
    }

    @Override
    public ProjectionLag lag() {
        try {
            return progress.lag();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("projection '" + name + "' could not read its checkpoint: " + e, e);
        }
    }

    @Override
    public List<ParkedEvent> parkedEvents() {
        try {
            return model.parked();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("projection '" + name + "' could not read its parked events: " + e, e);
        }
    }

    @Override
    public void close() {
        closing = true;
        if (status.compareAndSet(Status.NEW, Status.STOPPED)) {
            stopped.countDown();
            return;
        }
        if (began.compareAndSet(false, true)) {
            finish(Status.STOPPED);
            return;
        }
        Subscription subscription = live;
        if (subscription != null) {
            subscription.close();
        }
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
        return "ProjectionRunner[" + name + ", " + status.get() + " at " + position + ", " + model + "]";
    }
}
