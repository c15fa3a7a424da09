package dev.bulwark.eventstore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What every backend does on the way in and out, so they all accept and refuse exactly the same things: checks an
 * append (stream ids, batch sizes, duplicate ids, event sizes) and serializes it completely before anything is
 * stored, and turns stored rows back into {@link RecordedEvent}s and {@link Snapshot}s, naming the place of any
 * payload it cannot read.
 */
final class Codec {
    /** Metadata is Bulwark's own small format; a plain mapper with no polymorphism reads it as a tree. */
    private static final ObjectMapper METADATA = new ObjectMapper();
    private static final byte[] EMPTY_METADATA = {'{', '}'};

    private final EventStoreSettings settings;
    private final EventSerializer serializer;

    Codec(EventStoreSettings settings) {
        this.settings = settings;
        this.serializer = settings.serializer();
    }

    EventStoreSettings settings() {
        return settings;
    }

    EventSerializer serializer() {
        return serializer;
    }

    /** Checks and serializes one stream's append. */
    PreparedEvent.Batch prepare(String streamId, ExpectedVersion expectedVersion, List<EventData> events) {
        return prepare(List.of(new StreamAppend(streamId, expectedVersion, events))).get(0);
    }

    /** Checks and serializes a multi-stream append, failing before anything is stored. */
    List<PreparedEvent.Batch> prepare(List<StreamAppend> appends) {
        if (appends == null) {
            throw new NullPointerException("appends");
        }
        if (appends.isEmpty()) {
            throw new IllegalArgumentException("appends must not be empty");
        }
        Set<String> streams = new HashSet<>();
        Set<UUID> ids = new HashSet<>();
        int total = 0;
        for (StreamAppend append : appends) {
            if (append == null) {
                throw new NullPointerException("appends must not contain null");
            }
            if (!streams.add(append.streamId())) {
                throw new IllegalArgumentException("appends must name each stream once, " + append.streamId()
                        + " appears twice");
            }
            total += append.events().size();
            for (EventData event : append.events()) {
                if (!ids.add(event.eventId())) {
                    throw new IllegalArgumentException("event ids must be unique within an append, "
                            + event.eventId() + " appears twice");
                }
            }
        }
        if (total > settings.maxEventsPerAppend()) {
            throw new IllegalArgumentException("an append may carry at most maxEventsPerAppend "
                    + settings.maxEventsPerAppend() + " events, this one has " + total);
        }
        List<PreparedEvent.Batch> batches = new ArrayList<>(appends.size());
        for (StreamAppend append : appends) {
            List<PreparedEvent> prepared = new ArrayList<>(append.events().size());
            for (int i = 0; i < append.events().size(); i++) {
                prepared.add(prepare(append.streamId(), i, append.events().get(i)));
            }
            batches.add(new PreparedEvent.Batch(append.streamId(), append.expectedVersion(), prepared));
        }
        return batches;
    }

    private PreparedEvent prepare(String streamId, int index, EventData event) {
        SerializedEvent serialized = serializer.serialize(event.data());
        byte[] metadata = encodeMetadata(event.metadata());
        int size = serialized.data().length + metadata.length;
        if (size > settings.maxEventBytes()) {
            throw new IllegalArgumentException("event " + index + " of stream " + streamId + " (type '"
                    + serialized.type() + "', id " + event.eventId() + ") is " + size
                    + " bytes, more than maxEventBytes " + settings.maxEventBytes());
        }
        return new PreparedEvent(event.eventId(), serialized.type(), serialized.schemaVersion(), serialized.data(),
                metadata, event);
    }

    /** Checks and serializes a snapshot's state. */
    SerializedEvent prepareSnapshot(String streamId, long version, Object state) {
        StreamAppend.requireValidStreamId(streamId);
        if (state == null) {
            throw new NullPointerException("state");
        }
        if (version < 1) {
            throw new IllegalArgumentException("version must be >= 1, was " + version);
        }
        SerializedEvent serialized = serializer.serialize(state);
        if (serialized.data().length > settings.maxEventBytes()) {
            throw new IllegalArgumentException("the snapshot of stream " + streamId + " (type '" + serialized.type()
                    + "') is " + serialized.data().length + " bytes, more than maxEventBytes "
                    + settings.maxEventBytes());
        }
        return serialized;
    }

    RecordedEvent decode(String streamId, long version, long position, UUID eventId, String type, int schemaVersion,
            byte[] data, byte[] metadata, Instant timestamp) {
        String location = "event " + streamId + "@" + version + " (position " + position + ")";
        Object value = serializer.deserialize(type, schemaVersion, data, location);
        return new RecordedEvent(streamId, version, position, eventId, type, schemaVersion, value,
                decodeMetadata(metadata, location, type, schemaVersion), timestamp);
    }

    Snapshot decodeSnapshot(String streamId, long version, String type, int schemaVersion, byte[] data,
            Instant timestamp) {
        String location = "the snapshot of " + streamId + "@" + version;
        return new Snapshot(streamId, version, serializer.deserialize(type, schemaVersion, data, location), type,
                schemaVersion, timestamp);
    }

    static byte[] encodeMetadata(EventMetadata metadata) {
        if (metadata.correlationId() == null && metadata.causationId() == null && metadata.headers().isEmpty()) {
            return EMPTY_METADATA;
        }
        ObjectNode node = METADATA.createObjectNode();
        if (metadata.correlationId() != null) {
            node.put("correlationId", metadata.correlationId());
        }
        if (metadata.causationId() != null) {
            node.put("causationId", metadata.causationId());
        }
        if (!metadata.headers().isEmpty()) {
            ObjectNode headers = node.putObject("headers");
            metadata.headers().forEach(headers::put);
        }
        try {
            return METADATA.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write metadata " + metadata, e);
        }
    }

    private static EventMetadata decodeMetadata(byte[] metadata, String location, String type, int schemaVersion) {
        try {
            JsonNode node = METADATA.readTree(metadata);
            if (node == null || !node.isObject()) {
                throw new IOException("metadata is not a JSON object");
            }
            Map<String, String> headers = new LinkedHashMap<>();
            JsonNode headerNode = node.path("headers");
            for (Iterator<Map.Entry<String, JsonNode>> it = headerNode.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> header = it.next();
                headers.put(header.getKey(), header.getValue().asText());
            }
            return new EventMetadata(text(node, "correlationId"), text(node, "causationId"), headers);
        } catch (IOException e) {
            throw new UnreadableEventException(location, type, schemaVersion, "its metadata is unreadable: "
                    + e.getMessage(), e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
