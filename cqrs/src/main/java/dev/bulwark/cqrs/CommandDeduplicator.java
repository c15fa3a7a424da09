package dev.bulwark.cqrs;

import dev.bulwark.resilience.Clock;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Remembers command ids: while a command runs (so a resend joins it) and, after it succeeded, for the window (so a
 * resend gets its result). A failure forgets the id, so the command may be sent again.
 *
 * <p>Memory is bounded: at most {@code capacity} ids, kept in the order they were first sent; expired ids are
 * dropped from the oldest end on every claim, and when the map is still full the oldest id is forgotten early.
 * The lock is held only for map operations, never while a handler runs; messages without an id never reach this
 * class, so the common path takes no lock.
 */
final class CommandDeduplicator {

    /** One remembered command id. {@code doneAt} is guarded by the lock. */
    static final class Entry {
        final Object command;
        final CompletableFuture<Object> result = new CompletableFuture<>();
        boolean done;
        long doneAt;

        Entry(Object command) {
            this.command = command;
        }
    }

    /**
     * What a send with an id must do.
     *
     * @param entry the entry of this id
     * @param owner whether the caller must run the command and then call {@link #succeeded} or {@link #failed};
     *     otherwise it only waits for {@code entry.result}
     */
    record Claim(Entry entry, boolean owner) {}

    private final long windowNanos;
    private final int capacity;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by {@link #lock}; insertion order is the order ids were first sent. */
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();

    CommandDeduplicator(long windowNanos, int capacity, Clock clock) {
        this.windowNanos = windowNanos;
        this.capacity = capacity;
        this.clock = clock;
    }

    /**
     * Claims a command id.
     *
     * @throws IllegalArgumentException if the id is remembered for another command
     */
    Claim claim(String commandId, Object command) {
        long now = clock.nanoTime();
        lock.lock();
        try {
            dropExpired(now);
            Entry entry = entries.get(commandId);
            if (entry != null && entry.done && now - entry.doneAt >= windowNanos) {
                entries.remove(commandId);
                entry = null;
            }
            if (entry != null) {
                if (!entry.command.equals(command)) {
                    throw new IllegalArgumentException("commandId '" + commandId
                            + "' was already used for another command: " + entry.command + ", now " + command);
                }
                return new Claim(entry, false);
            }
            entry = new Entry(command);
            entries.put(commandId, entry);
            if (entries.size() > capacity) {
                Iterator<Entry> oldest = entries.values().iterator();
                oldest.next();
                oldest.remove();
            }
            return new Claim(entry, true);
        } finally {
            lock.unlock();
        }
    }

    /** The command of {@code entry} succeeded: remember the id for the window from now, then complete it. */
    void succeeded(Entry entry, Object result) {
        long now = clock.nanoTime();
        lock.lock();
        try {
            entry.done = true;
            entry.doneAt = now;
        } finally {
            lock.unlock();
        }
        entry.result.complete(result);
    }

    /** The command of {@code entry} failed: forget the id, then fail it. */
    void failed(String commandId, Entry entry, Throwable failure) {
        lock.lock();
        try {
            entries.remove(commandId, entry);
        } finally {
            lock.unlock();
        }
        entry.result.completeExceptionally(failure);
    }

    /** How many ids are remembered now. */
    int size() {
        lock.lock();
        try {
            dropExpired(clock.nanoTime());
            return entries.size();
        } finally {
            lock.unlock();
        }
    }

    private void dropExpired(long now) {
        Iterator<Map.Entry<String, Entry>> iterator = entries.entrySet().iterator();
        while (iterator.hasNext()) {
            Entry entry = iterator.next().getValue();
            if (!entry.done || now - entry.doneAt < windowNanos) {
                return;
            }
            iterator.remove();
        }
    }
}
