package dev.bulwark.saga;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Objects;

/**
 * Saga data and step outputs as JSON. Values are read back only as the types a definition declares: the
 * mapper must not use default typing, so no class is ever loaded by a name found in storage.
 */
final class Codec {
    private final ObjectMapper mapper;

    Codec(ObjectMapper mapper) {
        this.mapper = Objects.requireNonNull(mapper, "objectMapper");
        if (mapper.getDeserializationConfig().getDefaultTyper(mapper.constructType(Object.class)) != null) {
            throw new IllegalArgumentException("objectMapper must not enable default typing: saga data and outputs "
                    + "are read back only as the types the definition declares");
        }
    }

    String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("could not write " + value.getClass().getName() + " as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    <T> T read(String json, Class<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("could not read stored JSON as " + type.getName() + ": "
                    + e.getOriginalMessage(), e);
        }
    }
}
