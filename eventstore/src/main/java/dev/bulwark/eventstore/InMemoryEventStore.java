package dev.bulwark.eventstore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Lock;

/**
 * An event store in the memory of this process, for tests and embedded use. Nothing survives the process.
 *
 * <p>Thread-safe: appends are serialized by a write lock (so positions are dense, 1, 2, 3, … in commit order) and
 * reads share a read lock. Events are serialized on append, exactly as in a durable backend, so the same inputs are
 * refused (unregistered types, oversized events); reads hand back the appended objects themselves, which is why
 * events must be immutable records.
 *
 * <p>Subscriptions wait on a condition that every append signals: no polling.
 *
 * <pre>{@code
 * EventStore store = InMemoryEventStore.create(EventStoreSettings.defaults(EventSerializer.create(registry)));
 * }</pre>
 */
public final class InMemoryEventStore extends BaseEventStore {

    private final MemoryStorage storage;

    InMemoryEventStore(MemoryStorage storage, EventStoreSettings settings) {
        super(settings);
        this.storage = storage;
    }

    /** A new, empty store. */
    public static InMemoryEventStore create(EventStoreSettings settings) {
        return new InMemoryEventStore(new MemoryStorage(), settings);
    }

    @Override
    List<AppendResult> doAppend(List<PreparedEvent.Batch> batches) {
        Instant timestamp = Instant.ofEpochMilli(settings.clock().currentTimeMillis());
        List<AppendResult> results;
        Lock lock = storage.lock.writeLock();
        lock.lock();
        try {
            List<AppendResult> stored = new ArrayList<>(batches.size());
            for (PreparedEvent.Batch batch : batches) {
                stored.add(alreadyStoredOrNull(batch));
            }
            long retries = stored.stream().filter(result -> result != null).count();
            if (retries == batches.size()) {
                return stored;
            }
            if (retries > 0) {
                throw notARetry(batches, stored);
            }
            results = storage.write(batches, timestamp, codec.serializer());
        } finally {
            lock.unlock();
        }
        storage.signalAppended();
        return results;
    }

    /** Checks one batch: null if it may be written, the stored result if it is a retry; throws on conflict. */
    private AppendResult alreadyStoredOrNull(PreparedEvent.Batch batch) {
        MemoryStorage.Stream stream = storage.streams.get(batch.streamId());
        AppendRules.StreamState state = stream == null ? AppendRules.StreamState.NEW : stream.state();
        AppendRules.Verdict verdict = AppendRules.check(batch.expectedVersion(), state, settings.recreateDeletedStreams());
        List<AppendRules.StoredEvent> found = storage.find(batch);
        if (verdict == AppendRules.Verdict.APPEND && found.isEmpty()) {
            return null;
        }
        AppendResult retry = AppendRules.alreadyStored(batch, state, found);
        if (retry != null) {
            return retry;
        }
        if (verdict != AppendRules.Verdict.APPEND) {
            throw AppendRules.conflict(batch.streamId(), batch.expectedVersion(), state, verdict);
        }
        throw AppendRules.duplicateEventId(batch.streamId(), found.get(0));
    }

    /** Some streams of a multi-stream append hold their events already and others do not: not a retry. */
    private EventStoreException notARetry(List<PreparedEvent.Batch> batches, List<AppendResult> stored) {
        for (int i = 0; i < batches.size(); i++) {
            if (stored.get(i) != null) {
                PreparedEvent.Batch batch = batches.get(i);
                MemoryStorage.Stream stream = storage.streams.get(batch.streamId());
                return new WrongExpectedVersionException(batch.streamId(), batch.expectedVersion(), stream.version,
                        stream.deleted);
            }
        }
        throw new IllegalStateException("no stored batch among " + stored);
    }

    @Override
    StreamSlice doReadStream(String streamId, ReadDirection direction, long fromVersion, int maxCount) {
        List<MemoryStorage.Stored> picked = new ArrayList<>();
        long version;
        boolean deleted;
        boolean end;
        Lock lock = storage.lock.readLock();
        lock.lock();
        try {
            MemoryStorage.Stream stream = storage.streams.get(streamId);
            if (stream == null) {
                return new StreamSlice(streamId, direction, List.of(), 0, false, true);
            }
            version = stream.version;
            deleted = stream.deleted;
            long first = stream.truncateBefore;
            if (direction == ReadDirection.FORWARD) {
                long v = Math.max(fromVersion, first);
                for (; v <= version && picked.size() < maxCount; v++) {
                    picked.add(stream.events.get((int) (v - first)));
                }
                end = v > version;
            } else {
                long v = Math.min(fromVersion, version);
                for (; v >= first && picked.size() < maxCount; v--) {
                    picked.add(stream.events.get((int) (v - first)));
                }
                end = v < first;
            }
        } finally {
            lock.unlock();
        }
        return new StreamSlice(streamId, direction, decode(picked), version, deleted, end);
    }

    @Override
    GlobalSlice doReadAll(long afterPosition, int maxCount, EventFilter filter) {
        List<MemoryStorage.Stored> picked = new ArrayList<>();
        long checkpoint = afterPosition;
        boolean end;
        Lock lock = storage.lock.readLock();
        lock.lock();
        try {
            int size = storage.log.size();
            int index = (int) Math.min(afterPosition, size);
            for (; index < size && picked.size() < maxCount; index++) {
                MemoryStorage.Stored stored = storage.log.get(index);
                if (stored != null && filter.matches(stored.streamId(), stored.type())) {
                    picked.add(stored);
                }
            }
            checkpoint = Math.max(checkpoint, index);
            end = index == size;
        } finally {
            lock.unlock();
        }
        return new GlobalSlice(decode(picked), checkpoint, end);
    }

    private List<RecordedEvent> decode(List<MemoryStorage.Stored> picked) {
        List<RecordedEvent> events = new ArrayList<>(picked.size());
        for (MemoryStorage.Stored stored : picked) {
            if (stored.writtenBy() == codec.serializer()) {
                events.add(new RecordedEvent(stored.streamId(), stored.version(), stored.position(), stored.eventId(),
                        stored.type(), stored.schemaVersion(), stored.source().data(), stored.source().metadata(),
                        stored.timestamp()));
            } else {
                events.add(codec.decode(stored.streamId(), stored.version(), stored.position(), stored.eventId(),
                        stored.type(), stored.schemaVersion(), stored.data(), stored.metadata(), stored.timestamp()));
            }
        }
        return events;
    }

    @Override
    long doHeadPosition() {
        Lock lock = storage.lock.readLock();
        lock.lock();
        try {
            for (int index = storage.log.size() - 1; index >= 0; index--) {
                if (storage.log.get(index) != null) {
                    return index + 1L;
                }
            }
            return START;
        } finally {
            lock.unlock();
        }
    }

    @Override
    void doDeleteStream(String streamId, ExpectedVersion expectedVersion) {
        Lock lock = storage.lock.writeLock();
        lock.lock();
        try {
            MemoryStorage.Stream stream = storage.streams.get(streamId);
            AppendRules.StreamState state = stream == null ? AppendRules.StreamState.NEW : stream.state();
            switch (AppendRules.checkDelete(expectedVersion, state)) {
                case DELETE -> storage.delete(streamId, stream);
                case NOTHING -> { }
                case CONFLICT -> throw new WrongExpectedVersionException(streamId, expectedVersion, state.version(),
                        state.deleted());
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    void doTruncateStream(String streamId, long beforeVersion) {
        Lock lock = storage.lock.writeLock();
        lock.lock();
        try {
            MemoryStorage.Stream stream = existing(streamId, "truncate");
            AppendRules.requireTruncatable(streamId, beforeVersion, stream.version);
            storage.truncate(stream, beforeVersion);
        } finally {
            lock.unlock();
        }
    }

    @Override
    void doSaveSnapshot(String streamId, long version, SerializedEvent state) {
        Instant timestamp = Instant.ofEpochMilli(settings.clock().currentTimeMillis());
        Lock lock = storage.lock.writeLock();
        lock.lock();
        try {
            MemoryStorage.Stream stream = existing(streamId, "snapshot");
            AppendRules.requireSnapshotVersion(streamId, version, stream.version);
            MemoryStorage.StoredSnapshot current = storage.snapshots.get(streamId);
            if (current == null || current.version() <= version) {
                storage.snapshots.put(streamId, new MemoryStorage.StoredSnapshot(version, state, timestamp));
            }
        } finally {
            lock.unlock();
        }
    }

    private MemoryStorage.Stream existing(String streamId, String operation) {
        MemoryStorage.Stream stream = storage.streams.get(streamId);
        AppendRules.requireExists(streamId, operation, stream != null && stream.version > 0, stream != null && stream.deleted);
        return stream;
    }

    @Override
    Optional<Snapshot> doLoadSnapshot(String streamId) {
        MemoryStorage.StoredSnapshot snapshot;
        Lock lock = storage.lock.readLock();
        lock.lock();
        try {
            snapshot = storage.snapshots.get(streamId);
        } finally {
            lock.unlock();
        }
        if (snapshot == null) {
            return Optional.empty();
        }
        SerializedEvent state = snapshot.state();
        return Optional.of(codec.decodeSnapshot(streamId, snapshot.version(), state.type(), state.schemaVersion(),
                state.data(), snapshot.timestamp()));
    }

    @Override
    SubscriptionSource globalSource(EventFilter filter) {
        return new MemorySource(storage, globalReader(filter));
    }

    @Override
    SubscriptionSource streamSource(String streamId) {
        return new MemorySource(storage, streamReader(streamId));
    }

    @Override
    void doClose() {
        storage.wakeAll();
    }

    @Override
    public String toString() {
        return "InMemoryEventStore";
    }
}
