package dev.bulwark.eventstore;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The part of every backend that is not about storage: argument checks (so every backend refuses the same input
 * with the same message), serialization before anything is stored, the lifecycle, and the subscriptions it
 * started. Backends implement the {@code do…} methods, which receive checked arguments.
 */
abstract class BaseEventStore implements EventStore {

    final Codec codec;
    final EventStoreSettings settings;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Set<SubscriptionLoop> subscriptions = ConcurrentHashMap.newKeySet();

    BaseEventStore(EventStoreSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.codec = new Codec(settings);
    }

    /** Stores the batches atomically (one stream per batch), or none of them. */
    abstract List<AppendResult> doAppend(List<PreparedEvent.Batch> batches);

    abstract StreamSlice doReadStream(String streamId, ReadDirection direction, long fromVersion, int maxCount);

    abstract GlobalSlice doReadAll(long afterPosition, int maxCount, EventFilter filter);

    abstract long doHeadPosition();

    abstract void doDeleteStream(String streamId, ExpectedVersion expectedVersion);

    abstract void doTruncateStream(String streamId, long beforeVersion);

    abstract void doSaveSnapshot(String streamId, long version, SerializedEvent state);

    abstract Optional<Snapshot> doLoadSnapshot(String streamId);

    /** A source over the global log; it may acquire resources lazily, on the subscription's thread. */
    abstract SubscriptionSource globalSource(EventFilter filter);

    /** A source over one stream; it may acquire resources lazily, on the subscription's thread. */
    abstract SubscriptionSource streamSource(String streamId);

    /** Reads the global log through {@link #doReadAll}, for backends that read without a resource of their own. */
    final SubscriptionSource.PageReader globalReader(EventFilter filter) {
        return (checkpoint, maxCount) -> SubscriptionSource.Page.of(doReadAll(checkpoint, maxCount, filter));
    }

    /** Reads one stream forward through {@link #doReadStream}, like {@link #globalReader}. */
    final SubscriptionSource.PageReader streamReader(String streamId) {
        return (checkpoint, maxCount) -> SubscriptionSource.Page.of(
                doReadStream(streamId, ReadDirection.FORWARD, checkpoint + 1, maxCount), checkpoint);
    }

    /** Releases the backend's own resources; subscriptions are already closed. */
    void doClose() {}

    @Override
    public final AppendResult append(String streamId, ExpectedVersion expectedVersion, List<EventData> events) {
        checkOpen();
        return doAppend(List.of(codec.prepare(streamId, expectedVersion, events))).get(0);
    }

    @Override
    public final List<AppendResult> appendAll(List<StreamAppend> appends) {
        checkOpen();
        return doAppend(codec.prepare(appends));
    }

    @Override
    public final StreamSlice readStream(String streamId, ReadDirection direction, long fromVersion, int maxCount) {
        checkOpen();
        StreamAppend.requireValidStreamId(streamId);
        Objects.requireNonNull(direction, "direction");
        if (fromVersion < 1) {
            throw new IllegalArgumentException("fromVersion must be >= 1, was " + fromVersion);
        }
        requireMaxCount(maxCount);
        return doReadStream(streamId, direction, fromVersion, maxCount);
    }

    @Override
    public final GlobalSlice readAll(long afterPosition, int maxCount, EventFilter filter) {
        checkOpen();
        requireCheckpoint("afterPosition", afterPosition);
        requireMaxCount(maxCount);
        Objects.requireNonNull(filter, "filter");
        return doReadAll(afterPosition, maxCount, filter);
    }

    @Override
    public final long headPosition() {
        checkOpen();
        return doHeadPosition();
    }

    @Override
    public final void deleteStream(String streamId, ExpectedVersion expectedVersion) {
        checkOpen();
        StreamAppend.requireValidStreamId(streamId);
        Objects.requireNonNull(expectedVersion, "expectedVersion");
        doDeleteStream(streamId, expectedVersion);
    }

    @Override
    public final void truncateStream(String streamId, long beforeVersion) {
        checkOpen();
        StreamAppend.requireValidStreamId(streamId);
        if (beforeVersion < 1) {
            throw new IllegalArgumentException("beforeVersion must be >= 1, was " + beforeVersion);
        }
        doTruncateStream(streamId, beforeVersion);
    }

    @Override
    public final void saveSnapshot(String streamId, long version, Object state) {
        checkOpen();
        doSaveSnapshot(streamId, version, codec.prepareSnapshot(streamId, version, state));
    }

    @Override
    public final Optional<Snapshot> loadSnapshot(String streamId) {
        checkOpen();
        StreamAppend.requireValidStreamId(streamId);
        return doLoadSnapshot(streamId);
    }

    @Override
    public final Subscription subscribeToAll(long afterPosition, EventFilter filter, EventHandler handler,
            Executor executor) {
        checkOpen();
        requireCheckpoint("afterPosition", afterPosition);
        Objects.requireNonNull(filter, "filter");
        return start("subscription to all (" + filter + ")", globalSource(filter), handler, afterPosition, false,
                executor);
    }

    @Override
    public final Subscription subscribeToStream(String streamId, long afterVersion, EventHandler handler,
            Executor executor) {
        checkOpen();
        StreamAppend.requireValidStreamId(streamId);
        requireCheckpoint("afterVersion", afterVersion);
        return start("subscription to " + streamId, streamSource(streamId), handler, afterVersion, true, executor);
    }

    private Subscription start(String name, SubscriptionSource source, EventHandler handler, long checkpoint,
            boolean byVersion, Executor executor) {
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(executor, "executor");
        SubscriptionLoop[] self = new SubscriptionLoop[1];
        SubscriptionLoop loop = new SubscriptionLoop(name, source, handler, checkpoint, byVersion, settings,
                () -> subscriptions.remove(self[0]));
        self[0] = loop;
        subscriptions.add(loop);
        try {
            executor.execute(loop);
        } catch (RejectedExecutionException e) {
            loop.close();
            throw e;
        }
        return loop;
    }

    @Override
    public final void close() {
        if (closed.compareAndSet(false, true)) {
            for (SubscriptionLoop subscription : List.copyOf(subscriptions)) {
                subscription.close();
            }
            doClose();
        }
    }

    final void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException("event store is closed: " + this);
        }
    }

    private static void requireMaxCount(int maxCount) {
        if (maxCount < 1) {
            throw new IllegalArgumentException("maxCount must be >= 1, was " + maxCount);
        }
    }

    private static void requireCheckpoint(String name, long checkpoint) {
        if (checkpoint < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, was " + checkpoint);
        }
    }
}
