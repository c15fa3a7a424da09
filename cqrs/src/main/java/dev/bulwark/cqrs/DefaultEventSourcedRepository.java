package dev.bulwark.cqrs;

import dev.bulwark.eventstore.AppendResult;
import dev.bulwark.eventstore.EventData;
import dev.bulwark.eventstore.EventMetadata;
import dev.bulwark.eventstore.EventStore;
import dev.bulwark.eventstore.ExpectedVersion;
import dev.bulwark.eventstore.ReadDirection;
import dev.bulwark.eventstore.RecordedEvent;
import dev.bulwark.eventstore.Snapshot;
import dev.bulwark.eventstore.StreamSlice;
import dev.bulwark.eventstore.WrongExpectedVersionException;
import dev.bulwark.resilience.Retry;
import dev.bulwark.resilience.RetryConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link EventSourcedRepository}. Each attempt is load, decide, evolve, append; the append's expected version
 * is the stream version the load saw, so the store refuses it if anything was appended since, and the attempt's
 * decision (made on a state that is no longer current) is dropped whole. The instance holds no mutable state.
 */
final class DefaultEventSourcedRepository<C, E, S> implements EventSourcedRepository<C, E, S> {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultEventSourcedRepository.class);

    /** What a load found. {@code lastPosition} is -1 when the last event came from a snapshot. */
    private record Loaded<S>(S state, long version, ExpectedVersion expected, long lastPosition) {}

    private final EventStore store;
    private final Decider<C, E, S> decider;
    private final Class<E> eventType;
    private final String prefix;
    private final int snapshotEvery;
    private final Retry retry;

    DefaultEventSourcedRepository(EventStore store, Decider<C, E, S> decider, Class<E> eventType,
            RepositoryConfig config) {
        this.store = Objects.requireNonNull(store, "store");
        this.decider = Objects.requireNonNull(decider, "decider");
        this.eventType = Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(config, "config");
        this.prefix = config.category() + "-";
        this.snapshotEvery = config.snapshotEvery();
        this.retry = Retry.of("repository " + config.category(), RetryConfig.builder()
                .maxAttempts(config.maxAttempts())
                .backoff(config.backoff())
                .retryOn(failure -> failure instanceof WrongExpectedVersionException)
                .clock(config.clock())
                .build());
    }

    @Override
    public Decision<E, S> handle(String aggregateId, C command) {
        return handle(aggregateId, command, EventMetadata.EMPTY);
    }

    @Override
    public Decision<E, S> handle(String aggregateId, C command, EventMetadata metadata) {
        String streamId = streamId(aggregateId);
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(metadata, "metadata");
        return retry.call(() -> attempt(streamId, command, metadata));
    }

    @Override
    public CommandHandler<C, Decision<E, S>> handler(Function<? super C, String> aggregateIdOf) {
        Objects.requireNonNull(aggregateIdOf, "aggregateIdOf");
        return message -> handle(aggregateIdOf.apply(message.command()), message.command(), message.eventMetadata());
    }

    private Decision<E, S> attempt(String streamId, C command, EventMetadata metadata) {
        Loaded<S> loaded = load(streamId);
        List<E> events = Objects.requireNonNull(decider.decide(command, loaded.state()),
                () -> "decider " + decider + " returned null events for " + command);
        if (events.isEmpty()) {
            long position = loaded.lastPosition() >= 0 ? loaded.lastPosition() : lastPosition(streamId);
            return new Decision<>(streamId, List.of(), loaded.state(), loaded.version(), position);
        }
        S state = loaded.state();
        List<EventData> data = new ArrayList<>(events.size());
        for (E event : events) {
            Objects.requireNonNull(event, () -> "decider " + decider + " returned a null event for " + command);
            state = decider.evolve(state, event);
            // EventData.of picks the store's kind of event id; the metadata goes on the copy only when there is some.
            EventData appended = EventData.of(event);
            data.add(metadata == EventMetadata.EMPTY ? appended : appended.withMetadata(metadata));
        }
        AppendResult appended = store.append(streamId, loaded.expected(), data);
        snapshotIfDue(streamId, loaded.version(), appended.version(), state);
        return new Decision<>(streamId, events, state, appended.version(), appended.position());
    }

    @Override
    public S state(String aggregateId) {
        return load(streamId(aggregateId)).state();
    }

    @SuppressWarnings("unchecked")
    private Loaded<S> load(String streamId) {
        S state = decider.initialState();
        long from = 1;
        long lastPosition = 0;
        if (snapshotEvery > 0) {
            Optional<Snapshot> snapshot = store.loadSnapshot(streamId);
            if (snapshot.isPresent()) {
                state = (S) snapshot.get().state();
                from = snapshot.get().version() + 1;
                lastPosition = -1;
            }
        }
        StreamSlice slice = store.readStream(streamId, ReadDirection.FORWARD, from, Integer.MAX_VALUE);
        for (RecordedEvent event : slice.events()) {
            state = decider.evolve(state, event.dataAs(eventType));
            lastPosition = event.position();
        }
        return new Loaded<>(state, slice.streamVersion(), slice.expectedVersion(), lastPosition);
    }

    /** The position of a stream's last event, for a decision that appended nothing after a snapshot load. */
    private long lastPosition(String streamId) {
        List<RecordedEvent> last = store.readStream(streamId, ReadDirection.BACKWARD, EventStore.END, 1).events();
        return last.isEmpty() ? 0 : last.get(0).position();
    }

    private void snapshotIfDue(String streamId, long before, long after, S state) {
        if (snapshotEvery == 0 || after / snapshotEvery == before / snapshotEvery) {
            return;
        }
        try {
            store.saveSnapshot(streamId, after, state);
        } catch (RuntimeException e) {
            // The events are stored; a missing snapshot only makes the next load longer.
            LOG.warn("could not save a snapshot of {} at version {}", streamId, after, e);
        }
    }

    @Override
    public String streamId(String aggregateId) {
        Objects.requireNonNull(aggregateId, "aggregateId");
        if (aggregateId.isBlank()) {
            throw new IllegalArgumentException("aggregateId must not be blank, was \"" + aggregateId + "\"");
        }
        return prefix + aggregateId;
    }

    @Override
    public Retry conflictRetry() {
        return retry;
    }

    @Override
    public String toString() {
        return "EventSourcedRepository[" + prefix + "*, " + decider + "]";
    }
}
