package dev.bulwark.eventstore;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.cfg.MapperConfig;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.jsontype.PolymorphicTypeValidator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Turns registered records into JSON and back, with Jackson, through an {@link EventTypeRegistry}: the type name
 * and schema version travel beside the JSON, never inside it, and old versions are upcast on the way in.
 *
 * <p>Security: Jackson's default typing must be off (a mapper with it on is refused), and class-name-based
 * polymorphism ({@code @JsonTypeInfo(use = CLASS)}) is denied, so stored JSON can never name a class to instantiate.
 * The default mapper is strict: unknown properties, missing constructor properties, nulls for primitives and
 * trailing tokens are errors, so a payload that does not fit its class fails instead of producing a half-built
 * object.
 *
 * <pre>{@code
 * EventSerializer serializer = EventSerializer.create(registry);
 * SerializedEvent stored = serializer.serialize(new OrderPlaced("42"));
 * OrderPlaced back = (OrderPlaced) serializer.deserialize(stored);
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class EventSerializer {

    private final EventTypeRegistry registry;
    private final ObjectMapper mapper;
    private final Map<Class<?>, ObjectWriter> writers = new HashMap<>();
    private final Map<Class<?>, ObjectReader> readers = new HashMap<>();

    private EventSerializer(EventTypeRegistry registry, ObjectMapper mapper) {
        this.registry = registry;
        this.mapper = mapper;
        for (String name : registry.typeNames()) {
            Class<?> type = registry.byName(name).type();
            writers.put(type, mapper.writerFor(type));
            readers.put(type, mapper.readerFor(type));
        }
    }

    /** A serializer with Bulwark's strict default mapper (see the class comment). */
    public static EventSerializer create(EventTypeRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        return new EventSerializer(registry, secure(JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build()));
    }

    /**
     * A serializer with a copy of the caller's mapper (for modules such as Java time support), hardened: class-name
     * polymorphism is denied in the copy.
     *
     * @throws IllegalArgumentException if the mapper has default typing enabled
     */
    public static EventSerializer create(EventTypeRegistry registry, ObjectMapper objectMapper) {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(objectMapper, "objectMapper");
        ObjectMapper copy = objectMapper.copy();
        JavaType anything = copy.constructType(Object.class);
        if (copy.getDeserializationConfig().getDefaultTyper(anything) != null
                || copy.getSerializationConfig().getDefaultTyper(anything) != null) {
            throw new IllegalArgumentException("objectMapper must not enable default typing: stored JSON could then "
                    + "name the classes to instantiate");
        }
        return new EventSerializer(registry, secure(copy));
    }

    private static ObjectMapper secure(ObjectMapper mapper) {
        mapper.setPolymorphicTypeValidator(DenyClassNames.INSTANCE);
        return mapper;
    }

    /** The registry this serializer resolves type names with. */
    public EventTypeRegistry registry() {
        return registry;
    }

    /**
     * Serializes a registered record.
     *
     * @throws IllegalArgumentException if its class is not registered or Jackson cannot write it
     */
    public SerializedEvent serialize(Object value) {
        Objects.requireNonNull(value, "value");
        EventTypeRegistry.Registration registration = registry.require(value.getClass());
        try {
            return new SerializedEvent(registration.name(), registration.schemaVersion(),
                    writers.get(registration.type()).writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialize a " + value.getClass().getName() + " as '"
                    + registration.name() + "': " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Reads a stored payload back, upcasting it to the registered schema version.
     *
     * @throws UnreadableEventException if the type is unknown, no upcaster lifts its version, or the JSON does not
     *     fit the class
     */
    public Object deserialize(SerializedEvent stored) {
        Objects.requireNonNull(stored, "stored");
        return deserialize(stored.type(), stored.schemaVersion(), stored.data(), "payload");
    }

    /** As {@link #deserialize(SerializedEvent)}, naming {@code location} (such as "event order-1@3") in failures. */
    Object deserialize(String type, int schemaVersion, byte[] data, String location) {
        EventTypeRegistry.Registration registration = registry.byName(type);
        if (registration == null) {
            throw new UnreadableEventException(location, type, schemaVersion,
                    "no type of this name is registered in the EventTypeRegistry", null);
        }
        int current = registration.schemaVersion();
        if (schemaVersion < 1 || schemaVersion > current) {
            throw new UnreadableEventException(location, type, schemaVersion, "the registered schema version is "
                    + current + (schemaVersion > current ? "; it was written by a newer application" : ""), null);
        }
        ObjectReader reader = readers.get(registration.type());
        try {
            if (schemaVersion == current) {
                return reader.readValue(data);
            }
            return reader.readValue(upcast(registration, schemaVersion, data, location));
        } catch (IOException | IllegalArgumentException e) {
            String reason = e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
            throw new UnreadableEventException(location, type, schemaVersion,
                    "its JSON does not fit " + registration.type().getName() + ": " + reason, e);
        }
    }

    private JsonNode upcast(EventTypeRegistry.Registration registration, int schemaVersion, byte[] data,
            String location) throws IOException {
        JsonNode tree = mapper.readTree(data);
        if (!(tree instanceof ObjectNode)) {
            throw new UnreadableEventException(location, registration.name(), schemaVersion,
                    "upcasters need a JSON object, the payload is a " + tree.getNodeType(), null);
        }
        ObjectNode node = (ObjectNode) tree;
        for (int version = schemaVersion; version < registration.schemaVersion(); version++) {
            Upcaster upcaster = registration.upcasters()[version];
            if (upcaster == null) {
                throw new UnreadableEventException(location, registration.name(), schemaVersion,
                        "no upcaster from schema version " + version + " is registered", null);
            }
            ObjectNode lifted;
            try {
                lifted = upcaster.upcast(node);
            } catch (RuntimeException e) {
                throw new UnreadableEventException(location, registration.name(), schemaVersion,
                        "the upcaster from schema version " + version + " failed: " + e, e);
            }
            if (lifted == null) {
                throw new UnreadableEventException(location, registration.name(), schemaVersion,
                        "the upcaster from schema version " + version + " returned null", null);
            }
            node = lifted;
        }
        return node;
    }

    /** Denies every class named in JSON: no {@code @JsonTypeInfo(use = CLASS)} resolution, ever. */
    private static final class DenyClassNames extends PolymorphicTypeValidator.Base {
        private static final long serialVersionUID = 1L;
        static final DenyClassNames INSTANCE = new DenyClassNames();

        @Override
        public Validity validateBaseType(MapperConfig<?> config, JavaType baseType) {
            return Validity.DENIED;
        }

        @Override
        public Validity validateSubClassName(MapperConfig<?> config, JavaType baseType, String subClassName) {
            return Validity.DENIED;
        }

        @Override
        public Validity validateSubType(MapperConfig<?> config, JavaType baseType, JavaType subType) {
            return Validity.DENIED;
        }
    }
}
