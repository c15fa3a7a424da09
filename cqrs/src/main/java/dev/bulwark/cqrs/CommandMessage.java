package dev.bulwark.cqrs;

import dev.bulwark.eventstore.EventMetadata;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A command on its way to its handler: the command itself, an optional id and string metadata.
 *
 * <p>The id is what makes sending twice harmless: while the command bus remembers an id (see
 * {@link CommandBusConfig#deduplicationWindow()}), a second message with the same id does not run the handler
 * again but gets the first result. Give an id when the sender may retry (after a timeout, a crash, a redelivered
 * message); leave it {@code null} otherwise. A resend must carry an {@code equals} command (records do): an id
 * reused for a different command is refused with {@link IllegalArgumentException}.
 *
 * <pre>{@code
 * CommandMessage<PlaceOrder> message = CommandMessage.withId("request-7", new PlaceOrder("42"))
 *         .withMetadata("user", "alice");
 * }</pre>
 *
 * @param command the command, usually a record
 * @param commandId the id that deduplicates resends, or {@code null} for none
 * @param metadata string metadata (user, correlation id, ...); copied
 * @param <C> the command's type
 */
public record CommandMessage<C>(C command, String commandId, Map<String, String> metadata) {

    /** The metadata key whose value becomes the correlation id of the events a command causes. */
    public static final String CORRELATION_ID = "correlationId";

    public CommandMessage {
        Objects.requireNonNull(command, "command");
        if (commandId != null && commandId.isBlank()) {
            throw new IllegalArgumentException("commandId must not be blank, was \"" + commandId + "\"");
        }
        metadata = Map.copyOf(Objects.requireNonNull(metadata, "metadata"));
    }

    /** A message without id (not deduplicated) and without metadata. */
    public static <C> CommandMessage<C> of(C command) {
        return new CommandMessage<>(command, null, Map.of());
    }

    /** A message with an id, deduplicated by the bus, without metadata. */
    public static <C> CommandMessage<C> withId(String commandId, C command) {
        Objects.requireNonNull(commandId, "commandId");
        return new CommandMessage<>(command, commandId, Map.of());
    }

    /** A copy with one more metadata entry (replacing one of the same key). */
    public CommandMessage<C> withMetadata(String key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(metadata);
        copy.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return new CommandMessage<>(command, commandId, copy);
    }

    /**
     * The metadata for the events this command causes: the correlation id from the {@value #CORRELATION_ID}
     * metadata entry (or the command id when there is none), the command id as causation id, and the other
     * metadata entries as headers.
     */
    public EventMetadata eventMetadata() {
        Map<String, String> headers = new LinkedHashMap<>(metadata);
        String correlation = headers.remove(CORRELATION_ID);
        return new EventMetadata(correlation != null ? correlation : commandId, commandId, headers);
    }
}
