package dev.bulwark.examples;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The bookkeeping a remote participant of a saga needs so that the saga may call it at least once: effects
 * keyed by idempotency key, created at most once per key, undone at most once, and refused for a key that was
 * undone before it was created (a compensation that overtook its own action, which a timed-out call can cause).
 *
 * <p>Thread-safe: one lock guards everything, held only for map operations.
 *
 * @param <R> the request an effect is created from (a record: a key reused for another request is refused)
 * @param <T> the effect, such as a charge or a shipment
 */
final class KeyedLedger<R, T> {

    /** An effect and whether it was undone. */
    record Entry<R, T>(String key, R request, T effect, boolean undone) {}

    /** How a {@link #create} went. */
    enum Created {
        /** The effect is new. */
        NEW,
        /** The key already had this effect: returned again, nothing done. */
        REPLAYED,
        /** The key was undone before: nothing done, ever. */
        REFUSED,
        /** The key already had an effect for another request. */
        CONFLICT
    }

    /** The answer of {@link #create}: how it went, and the effect (null when refused or in conflict). */
    record Creation<T>(Created created, T effect) {}

    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by {@link #lock}. */
    private final Map<String, Entry<R, T>> entries = new LinkedHashMap<>();
    /** Keys undone before any effect existed for them. Guarded by {@link #lock}. */
    private final Set<String> voided = new HashSet<>();
    /** Guarded by {@link #lock}. */
    private long creates;
    /** Guarded by {@link #lock}. */
    private long undos;

    /** Creates the effect of {@code key} with {@code make}, unless the key has one or was undone. */
    Creation<T> create(String key, R request, Supplier<T> make) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(request, "request");
        lock.lock();
        try {
            creates++;
            Entry<R, T> existing = entries.get(key);
            if (existing != null) {
                return existing.request().equals(request) ? new Creation<>(Created.REPLAYED, existing.effect())
                        : new Creation<>(Created.CONFLICT, null);
            }
            if (voided.contains(key)) {
                return new Creation<>(Created.REFUSED, null);
            }
            T effect = make.get();
            entries.put(key, new Entry<>(key, request, effect, false));
            return new Creation<>(Created.NEW, effect);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Undoes the effect of {@code key}; when it has none, bars the key for good. Returns the entry as it is now,
     * or null when the key had no effect.
     */
    Entry<R, T> undo(String key) {
        Objects.requireNonNull(key, "key");
        lock.lock();
        try {
            undos++;
            Entry<R, T> existing = entries.get(key);
            if (existing == null) {
                voided.add(key);
                return null;
            }
            Entry<R, T> undone = new Entry<>(key, existing.request(), existing.effect(), true);
            entries.put(key, undone);
            return undone;
        } finally {
            lock.unlock();
        }
    }

    /** Every effect ever created, in creation order. */
    List<Entry<R, T>> entries() {
        lock.lock();
        try {
            return List.copyOf(entries.values());
        } finally {
            lock.unlock();
        }
    }

    /** Keys undone before they had an effect. */
    List<String> voidedKeys() {
        lock.lock();
        try {
            return List.copyOf(voided);
        } finally {
            lock.unlock();
        }
    }

    /** How many creates and undos were asked for, replays and refusals included. */
    record Counts(long creates, long undos) {}

    /** How many creates and undos were asked for so far. */
    Counts counts() {
        lock.lock();
        try {
            return new Counts(creates, undos);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The HTTP answer to a create: 201 with a new effect, 200 with the effect the key already had, 409 when the
     * key was undone first, 422 when the key was used for another request.
     */
    static JsonHttpServer.Reply reply(Creation<?> creation, String key) {
        switch (creation.created()) {
            case NEW:
                return new JsonHttpServer.Reply(201, creation.effect());
            case REPLAYED:
                return new JsonHttpServer.Reply(200, creation.effect());
            case REFUSED:
                return JsonHttpServer.Reply.error(409, "key " + key + " was undone before it was used");
            default:
                return JsonHttpServer.Reply.error(422, "key " + key + " was already used for another request");
        }
    }
}
