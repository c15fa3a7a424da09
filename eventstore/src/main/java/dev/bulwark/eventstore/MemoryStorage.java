package dev.bulwark.eventstore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.Condition;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The state behind {@link InMemoryEventStore}: streams, the global log, the event-id index and snapshots.
 *
 * <p>Concurrency: {@link #lock} guards every field but {@link #changes}. Writers hold the write lock for the whole
 * check-then-write of an append, which makes appends atomic and their check race-free; positions are handed out
 * under it, so the log's order is its commit order and a reader (holding the read lock) always sees a prefix of
 * it: no reader can see a later position before an earlier one. After an append releases the lock it bumps
 * {@link #changes} and signals {@link #changed}; a subscriber notes {@code changes} before it reads and waits only
 * while it is unchanged, so a signal that comes during its read is never lost.
 */
final class MemoryStorage {

    /** An event as kept in memory; {@code writtenBy} tells whether {@code source} can be handed back as is. */
    record Stored(String streamId, long version, long position, UUID eventId, String type, int schemaVersion,
            byte[] data, byte[] metadata, Instant timestamp, EventData source, EventSerializer writtenBy) {}

    record StoredSnapshot(long version, SerializedEvent state, Instant timestamp) {}

    static final class Stream {
        long version;
        long firstVersion = 1;
        /** The version of {@code events.get(0)}: everything before it is truncated (or deleted). */
        long truncateBefore = 1;
        boolean deleted;
        final ArrayList<Stored> events = new ArrayList<>();

        AppendRules.StreamState state() {
            return new AppendRules.StreamState(version, firstVersion, deleted);
        }
    }

    final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    final Map<String, Stream> streams = new HashMap<>();
    /** Index {@code p - 1} holds position {@code p}; {@code null} once truncated. */
    final ArrayList<Stored> log = new ArrayList<>();
    final Map<UUID, Stored> byId = new HashMap<>();
    final Map<String, StoredSnapshot> snapshots = new HashMap<>();

    private final ReentrantLock signalLock = new ReentrantLock();
    private final Condition changed = signalLock.newCondition();
    /** Counts committed appends; written under {@link #signalLock}. */
    private volatile long changes;

    long changes() {
        return changes;
    }

    /** Tells waiting subscribers that something was appended. Call after releasing the write lock. */
    void signalAppended() {
        signalLock.lock();
        try {
            changes++;
            changed.signalAll();
        } finally {
            signalLock.unlock();
        }
    }

    /** Wakes every waiting subscriber without counting a change (so they re-check their stop flag). */
    void wakeAll() {
        signalLock.lock();
        try {
            changed.signalAll();
        } finally {
            signalLock.unlock();
        }
    }

    /** Waits while {@code changes} is still {@code seen} and {@code stop} is not set. */
    void awaitChange(long seen, BooleanSupplier stop) throws InterruptedException {
        signalLock.lock();
        try {
            while (changes == seen && !stop.getAsBoolean()) {
                changed.await();
            }
        } finally {
            signalLock.unlock();
        }
    }

    /** Under the write lock: the append, after every check passed. */
    List<AppendResult> write(List<PreparedEvent.Batch> batches, Instant timestamp, EventSerializer serializer) {
        List<AppendResult> results = new ArrayList<>(batches.size());
        for (PreparedEvent.Batch batch : batches) {
            Stream stream = streams.computeIfAbsent(batch.streamId(), id -> new Stream());
            if (stream.deleted) {
                stream.deleted = false;
                stream.firstVersion = stream.version + 1;
            }
            Stored last = null;
            for (PreparedEvent event : batch.events()) {
                last = new Stored(batch.streamId(), ++stream.version, log.size() + 1L, event.eventId(), event.type(),
                        event.schemaVersion(), event.data(), event.metadata(), timestamp, event.source(), serializer);
                log.add(last);
                stream.events.add(last);
                byId.put(last.eventId(), last);
            }
            results.add(new AppendResult(batch.streamId(), last.version(), last.position()));
        }
        return results;
    }

    /** Under a lock: where the batch's ids are stored. */
    List<AppendRules.StoredEvent> find(PreparedEvent.Batch batch) {
        List<AppendRules.StoredEvent> found = new ArrayList<>();
        for (PreparedEvent event : batch.events()) {
            Stored stored = byId.get(event.eventId());
            if (stored != null) {
                found.add(new AppendRules.StoredEvent(stored.eventId(), stored.streamId(), stored.version(),
                        stored.position()));
            }
        }
        return found;
    }

    /** Under the write lock: drops a stream's events before {@code beforeVersion}, from the stream and the log. */
    void truncate(Stream stream, long beforeVersion) {
        int drop = (int) Math.min(stream.events.size(), beforeVersion - stream.truncateBefore);
        if (drop <= 0) {
            return;
        }
        List<Stored> dropped = stream.events.subList(0, drop);
        for (Stored stored : dropped) {
            log.set((int) stored.position() - 1, null);
            byId.remove(stored.eventId());
        }
        dropped.clear();
        stream.truncateBefore = beforeVersion;
    }

    /** Under the write lock: soft-deletes a stream, keeping its events in the global log. */
    void delete(String streamId, Stream stream) {
        stream.deleted = true;
        stream.events.clear();
        stream.truncateBefore = stream.version + 1;
        snapshots.remove(streamId);
    }
}
