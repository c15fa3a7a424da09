package dev.bulwark.cqrs;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The command handlers of a bus, by type, and the lookup of a command's handler (its class, or its nearest
 * registered supertype).
 *
 * <p>Lookups are cached per command class. Why the cache is never stale: a registration change first updates
 * {@code registered}, then replaces {@code resolved} with an empty map (a volatile write). A lookup reads
 * {@code resolved} first; if it sees the new map it also sees the registration change, and if it sees the old map
 * it writes its answer only there, where nobody will read it again.
 */
final class CommandHandlers {

    /** A registered handler. */
    record Entry(Class<?> type, CommandHandler<Object, Object> handler) {}

    private final ConcurrentHashMap<Class<?>, Entry> registered = new ConcurrentHashMap<>();
    /** Command class → its Entry, or the RuntimeException a send of it fails with. */
    private volatile ConcurrentHashMap<Class<?>, Object> resolved = new ConcurrentHashMap<>();

    @SuppressWarnings("unchecked")
    Registration register(Class<?> type, CommandHandler<?, ?> handler) {
        Entry entry = new Entry(type, (CommandHandler<Object, Object>) handler);
        if (registered.putIfAbsent(type, entry) != null) {
            throw new IllegalStateException("a handler for command type " + type.getName() + " is already registered");
        }
        resolved = new ConcurrentHashMap<>();
        return () -> {
            if (registered.remove(type, entry)) {
                resolved = new ConcurrentHashMap<>();
            }
        };
    }

    /** The handler for a command class, or the exception that says why there is none. */
    Object lookup(Class<?> commandClass) {
        ConcurrentHashMap<Class<?>, Object> cache = resolved;
        Object found = cache.get(commandClass);
        if (found == null) {
            found = resolve(commandClass);
            cache.put(commandClass, found);
        }
        return found;
    }

    private Object resolve(Class<?> commandClass) {
        Entry exact = registered.get(commandClass);
        if (exact != null) {
            return exact;
        }
        List<Entry> candidates = new ArrayList<>();
        for (Entry entry : registered.values()) {
            if (entry.type().isAssignableFrom(commandClass)) {
                candidates.add(entry);
            }
        }
        List<Entry> nearest = new ArrayList<>();
        for (Entry candidate : candidates) {
            boolean hidden = false;
            for (Entry other : candidates) {
                if (other != candidate && candidate.type().isAssignableFrom(other.type())) {
                    hidden = true;
                    break;
                }
            }
            if (!hidden) {
                nearest.add(candidate);
            }
        }
        if (nearest.isEmpty()) {
            return new NoHandlerException("no handler for command type " + commandClass.getName());
        }
        if (nearest.size() > 1) {
            List<String> names = nearest.stream().map(entry -> entry.type().getName()).sorted().toList();
            return new IllegalStateException("command type " + commandClass.getName()
                    + " matches the handlers of several unrelated types " + names + "; register one for it");
        }
        return nearest.get(0);
    }
}
