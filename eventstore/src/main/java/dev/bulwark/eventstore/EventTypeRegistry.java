package dev.bulwark.eventstore;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The allow-list of event (and snapshot) types: each record class has a stable type name, written with every
 * stored event, and a current schema version, plus the upcasters that lift older stored versions.
 *
 * <p>Security: a type name read from storage is only ever looked up here. No class is loaded by a stored name, so
 * a stored payload cannot make the application instantiate a class it did not register.
 *
 * <pre>{@code
 * EventTypeRegistry registry = EventTypeRegistry.builder()
 *         .register("order-placed", 2, OrderPlaced.class)
 *         .register("order-shipped", OrderShipped.class)
 *         .upcaster("order-placed", 1, data -> data.put("currency", "EUR"))
 *         .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class EventTypeRegistry {
    private static final Pattern TYPE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,99}");

    /** One registered type; {@code upcasters[v]} lifts version {@code v} to {@code v + 1} (index 0 unused). */
    record Registration(String name, Class<?> type, int schemaVersion, Upcaster[] upcasters) {}

    private final Map<Class<?>, Registration> byClass;
    private final Map<String, Registration> byName;

    private EventTypeRegistry(Map<Class<?>, Registration> byClass, Map<String, Registration> byName) {
        this.byClass = Map.copyOf(byClass);
        this.byName = Map.copyOf(byName);
    }

    /** A builder for a registry. */
    public static Builder builder() {
        return new Builder();
    }

    /** The registered type names. */
    public Set<String> typeNames() {
        return byName.keySet();
    }

    /**
     * The type name registered for a class.
     *
     * @throws IllegalArgumentException if the class is not registered
     */
    public String typeName(Class<?> type) {
        return require(type).name();
    }

    /**
     * The current schema version of a type name.
     *
     * @throws IllegalArgumentException if the name is not registered
     */
    public int schemaVersion(String typeName) {
        Registration registration = byName.get(typeName);
        if (registration == null) {
            throw new IllegalArgumentException("typeName '" + typeName + "' is not registered");
        }
        return registration.schemaVersion();
    }

    Registration byName(String typeName) {
        return byName.get(typeName);
    }

    Registration require(Class<?> type) {
        Registration registration = byClass.get(Objects.requireNonNull(type, "type"));
        if (registration == null) {
            throw new IllegalArgumentException("class " + type.getName()
                    + " is not registered in the EventTypeRegistry; register it with a stable type name");
        }
        return registration;
    }

    @Override
    public String toString() {
        return "EventTypeRegistry" + byName.keySet();
    }

    /** Collects registrations; {@link #build()} checks that the upcasters fit them. Not thread-safe. */
    public static final class Builder {
        private final Map<String, Registration> byName = new LinkedHashMap<>();
        private final Map<Class<?>, Registration> byClass = new HashMap<>();
        private final Map<String, Map<Integer, Upcaster>> upcasters = new LinkedHashMap<>();

        private Builder() {}

        /** Registers a record class under a type name, at schema version 1. */
        public Builder register(String typeName, Class<? extends Record> type) {
            return register(typeName, 1, type);
        }

        /**
         * Registers a record class under a type name, at a schema version.
         *
         * @param typeName letters, digits and {@code . _ : -}, starting with a letter or digit, at most 100
         * @param schemaVersion the version new events are written with, at least 1
         * @throws IllegalArgumentException if the name is malformed or taken, the class is already registered, or
         *     the version is below 1
         */
        public Builder register(String typeName, int schemaVersion, Class<? extends Record> type) {
            Objects.requireNonNull(typeName, "typeName");
            Objects.requireNonNull(type, "type");
            if (!TYPE_NAME.matcher(typeName).matches()) {
                throw new IllegalArgumentException("typeName must be letters, digits and . _ : - (at most 100, "
                        + "starting with a letter or digit), was \"" + typeName + "\"");
            }
            if (!type.isRecord()) {
                throw new IllegalArgumentException("type must be a record class, was " + type.getName());
            }
            if (schemaVersion < 1) {
                throw new IllegalArgumentException("schemaVersion must be >= 1, was " + schemaVersion
                        + " (type '" + typeName + "')");
            }
            Registration taken = byName.get(typeName);
            if (taken != null) {
                throw new IllegalArgumentException("typeName '" + typeName + "' is already registered for "
                        + taken.type().getName());
            }
            Registration sameClass = byClass.get(type);
            if (sameClass != null) {
                throw new IllegalArgumentException("class " + type.getName() + " is already registered as '"
                        + sameClass.name() + "'");
            }
            Registration registration = new Registration(typeName, type, schemaVersion, new Upcaster[schemaVersion]);
            byName.put(typeName, registration);
            byClass.put(type, registration);
            return this;
        }

        /**
         * Registers the upcaster that lifts stored data of {@code typeName} from {@code fromVersion} to
         * {@code fromVersion + 1}. The type may be registered before or after.
         *
         * @throws IllegalArgumentException if an upcaster for this type and version is already registered
         */
        public Builder upcaster(String typeName, int fromVersion, Upcaster upcaster) {
            Objects.requireNonNull(typeName, "typeName");
            Objects.requireNonNull(upcaster, "upcaster");
            Map<Integer, Upcaster> forType = upcasters.computeIfAbsent(typeName, name -> new LinkedHashMap<>());
            if (forType.putIfAbsent(fromVersion, upcaster) != null) {
                throw new IllegalArgumentException("an upcaster from version " + fromVersion + " of '" + typeName
                        + "' is already registered");
            }
            return this;
        }

        /**
         * Builds the registry.
         *
         * @throws IllegalArgumentException if an upcaster names an unregistered type, or a version outside 1 to
         *     the type's schema version minus one
         */
        public EventTypeRegistry build() {
            upcasters.forEach((typeName, forType) -> {
                Registration registration = byName.get(typeName);
                if (registration == null) {
                    throw new IllegalArgumentException("an upcaster is registered for '" + typeName
                            + "', but no type of that name is");
                }
                forType.forEach((fromVersion, upcaster) -> {
                    if (fromVersion < 1 || fromVersion >= registration.schemaVersion()) {
                        throw new IllegalArgumentException("fromVersion of an upcaster for '" + typeName
                                + "' must be between 1 and " + (registration.schemaVersion() - 1)
                                + " (its schema version minus one), was " + fromVersion);
                    }
                });
            });
            Map<String, Registration> names = new HashMap<>();
            Map<Class<?>, Registration> classes = new HashMap<>();
            byName.forEach((name, registration) -> {
                Upcaster[] chain = new Upcaster[registration.schemaVersion()];
                upcasters.getOrDefault(name, Map.of()).forEach((from, upcaster) -> chain[from] = upcaster);
                Registration complete = new Registration(name, registration.type(), registration.schemaVersion(), chain);
                names.put(name, complete);
                classes.put(registration.type(), complete);
            });
            return new EventTypeRegistry(classes, names);
        }
    }
}
