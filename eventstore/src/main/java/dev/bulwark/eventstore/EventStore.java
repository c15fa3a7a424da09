package dev.bulwark.eventstore;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * Streams of immutable events with optimistic concurrency, a global log in commit order, subscriptions and
 * snapshots. Backends: {@link InMemoryEventStore} (tests, embedded use) and {@link PostgresEventStore} (several
 * application instances sharing one database); all pass the same conformance suite.
 *
 * <p>Vocabulary. A <em>stream</em> holds the events of one thing (an order, an account), numbered by
 * <em>version</em> from 1. The <em>global log</em> holds every event of every stream, each at a <em>position</em>:
 * positions increase in the order readers see events, but need not be dense. A reader that resumes after a
 * position it was given sees every event committed later exactly once, including one whose transaction began
 * earlier and committed late.
 *
 * <pre>{@code
 * EventTypeRegistry registry = EventTypeRegistry.builder()
 *         .register("order-placed", OrderPlaced.class)
 *         .build();
 * try (EventStore store = InMemoryEventStore.create(EventStoreSettings.defaults(EventSerializer.create(registry)))) {
 *     AppendResult result = store.append("order-42", ExpectedVersion.NO_STREAM,
 *             List.of(EventData.of(new OrderPlaced("42"))));
 *     StreamSlice slice = store.readStream("order-42");
 * }
 * }</pre>
 *
 * <p>Every method is thread-safe. Invalid arguments fail before anything is stored, with
 * {@link NullPointerException} or {@link IllegalArgumentException} naming the argument and its value.
 */
public interface EventStore extends AutoCloseable {

    /** The version to read backward from to start at a stream's last event. */
    long END = Long.MAX_VALUE;

    /** The checkpoint before the first event: subscribe or read after it to start from the beginning. */
    long START = 0;

    /**
     * Appends events to one stream, atomically, if the stream is as expected.
     *
     * <p>Retrying is safe: when the check fails because these very event ids are already stored in this stream, in
     * this order, at the place the check describes (any place for {@code ANY} and {@code STREAM_EXISTS}), the append
     * succeeds without storing them again and returns the first append's result.
     *
     * @param streamId the stream, not blank, at most {@value StreamAppend#MAX_STREAM_ID_LENGTH} characters
     * @param expectedVersion the optimistic-concurrency check
     * @param events the events, at least one, each of a registered type and within the size limit
     * @return the stream's new version and the position of the last event
     * @throws WrongExpectedVersionException if the stream is not as expected; nothing is stored
     * @throws StreamDeletedException if the stream is deleted and the store does not recreate deleted streams
     * @throws IllegalArgumentException for a blank stream id, an empty batch, an unregistered event class, an event
     *     over {@link EventStoreSettings#maxEventBytes()}, duplicate or already used event ids
     * @throws TransientEventStoreException when the storage failed in a way worth retrying
     */
    AppendResult append(String streamId, ExpectedVersion expectedVersion, List<EventData> events);

    /**
     * Appends to several streams in one atomic step: either every stream's check holds and all events are stored,
     * or nothing is.
     *
     * @param appends one entry per stream; a stream must not appear twice
     * @return one result per entry, in the same order
     * @throws WrongExpectedVersionException for the first stream whose check fails
     * @throws IllegalArgumentException if {@code appends} is empty or names a stream twice, and as in
     *     {@link #append}
     */
    List<AppendResult> appendAll(List<StreamAppend> appends);

    /**
     * Reads part of a stream, together with its state, in one consistent view. Events before a truncation point and
     * events of a deleted stream are not returned.
     *
     * @param streamId the stream
     * @param direction which way to read
     * @param fromVersion the first version to return (forward: this one and later; backward: this one and
     *     earlier; {@link #END} for the last)
     * @param maxCount the most events to return, at least 1
     */
    StreamSlice readStream(String streamId, ReadDirection direction, long fromVersion, int maxCount);

    /** Reads a whole stream, forward. */
    default StreamSlice readStream(String streamId) {
        return readStream(streamId, ReadDirection.FORWARD, 1, Integer.MAX_VALUE);
    }

    /**
     * Reads the global log after a checkpoint, in position order, keeping the events the filter matches. Only
     * events whose position is final are returned: no event committed later will get a lower position than the
     * returned checkpoint.
     *
     * @param afterPosition the checkpoint: {@link #START} or a {@link GlobalSlice#checkpoint()} or a position
     * @param maxCount the most events to return, at least 1
     * @param filter which events to keep
     */
    GlobalSlice readAll(long afterPosition, int maxCount, EventFilter filter);

    /** The position of the last event readers can see now, or {@link #START} if there is none. */
    long headPosition();

    /**
     * Deletes a stream softly: its events disappear from stream reads and its snapshot is dropped, but they stay in
     * the global log. Appending with {@code NO_STREAM} or {@code ANY} later recreates it, continuing the version
     * numbers, unless the store is configured not to ({@link EventStoreSettings#recreateDeletedStreams()}).
     * Deleting a stream that does not exist, with a check that allows it, does nothing.
     *
     * @throws WrongExpectedVersionException if the stream is not as expected
     */
    void deleteStream(String streamId, ExpectedVersion expectedVersion);

    /**
     * Removes a stream's events before a version, for good: from stream reads and from the global log. Usually
     * done after saving a snapshot at {@code beforeVersion - 1} or later.
     *
     * @param beforeVersion the first version to keep, between 1 and the stream's version + 1
     * @throws IllegalArgumentException if {@code beforeVersion} is out of that range
     * @throws IllegalStateException if the stream does not exist
     */
    void truncateStream(String streamId, long beforeVersion);

    /**
     * Stores the state of a stream as of a version; the newer of this and the stored snapshot is kept.
     *
     * @param version the version of the last event {@code state} includes, between 1 and the stream's version
     * @param state an instance of a registered type
     * @throws IllegalArgumentException if the version is out of range or the state's class is not registered
     * @throws IllegalStateException if the stream does not exist
     */
    void saveSnapshot(String streamId, long version, Object state);

    /** The latest snapshot of a stream, upcast to its current schema, or empty if none (or the stream is deleted). */
    Optional<Snapshot> loadSnapshot(String streamId);

    /**
     * Subscribes to the global log: handles every matching event after {@code afterPosition}, then follows new
     * ones. The subscription runs on {@code executor} (see {@link Subscription}).
     *
     * @throws java.util.concurrent.RejectedExecutionException if the executor refuses the task
     */
    Subscription subscribeToAll(long afterPosition, EventFilter filter, EventHandler handler, Executor executor);

    /**
     * Subscribes to one stream: handles its events after version {@code afterVersion}, then follows new ones. The
     * subscription runs on {@code executor} (see {@link Subscription}).
     */
    Subscription subscribeToStream(String streamId, long afterVersion, EventHandler handler, Executor executor);

    /**
     * Closes every subscription this store started and refuses further calls with {@link IllegalStateException}.
     * Data in a durable backend stays; a data source or connection the caller supplied is not closed.
     */
    @Override
    void close();
}
