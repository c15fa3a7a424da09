package dev.bulwark.cqrs;

import dev.bulwark.eventstore.EventMetadata;
import dev.bulwark.eventstore.EventStore;
import dev.bulwark.resilience.Retry;
import java.util.function.Function;

/**
 * Stores aggregates, each a stream of events, and runs commands on them through a {@link Decider}: load the
 * stream (from the latest snapshot when there is one), decide, append the new events with the version that was
 * loaded as the expected version.
 *
 * <pre>{@code
 * EventSourcedRepository<AccountCommand, AccountEvent, Account> accounts = EventSourcedRepository.create(
 *         store, accountDecider, AccountEvent.class, RepositoryConfig.builder("account").snapshotEvery(100).build());
 * Decision<AccountEvent, Account> decision = accounts.handle("42", new Deposit(100));
 *
 * commandBus.register(AccountCommand.class, accounts.handler(AccountCommand::accountId));
 * }</pre>
 *
 * <p><b>Concurrency.</b> When another writer appended to the stream between the load and the append, the append
 * fails with {@link dev.bulwark.eventstore.WrongExpectedVersionException} and nothing is stored; the repository then
 * loads again and decides again on the new state, through a resilience-core {@link Retry} that retries only that
 * exception, at most {@link RepositoryConfig#maxAttempts()} times in all. After the last attempt the conflict
 * reaches the caller.
 *
 * <p><b>Rejections.</b> What {@code decide} throws reaches the caller unchanged, and is never retried.
 *
 * <p>Thread-safe.
 *
 * @param <C> the commands
 * @param <E> the events
 * @param <S> the state
 */
public interface EventSourcedRepository<C, E, S> {

    /**
     * A repository.
     *
     * @param eventType the common type of the decider's events (usually a sealed interface): a stored event of
     *     another type fails the load with {@link IllegalStateException}
     */
    static <C, E, S> EventSourcedRepository<C, E, S> create(EventStore store, Decider<C, E, S> decider,
            Class<E> eventType, RepositoryConfig config) {
        return new DefaultEventSourcedRepository<>(store, decider, eventType, config);
    }

    /** Runs a command on an aggregate, with no event metadata. */
    Decision<E, S> handle(String aggregateId, C command);

    /**
     * Runs a command on an aggregate.
     *
     * @param metadata the metadata of the events the command appends
     * @return what it appended and the state after
     * @throws RuntimeException what {@code decide} threw, unchanged
     * @throws dev.bulwark.eventstore.WrongExpectedVersionException if every attempt met a concurrency conflict
     */
    Decision<E, S> handle(String aggregateId, C command, EventMetadata metadata);

    /**
     * A command-bus handler that runs each command on the aggregate {@code aggregateIdOf} names, with the
     * message's {@linkplain CommandMessage#eventMetadata() event metadata}.
     */
    CommandHandler<C, Decision<E, S>> handler(Function<? super C, String> aggregateIdOf);

    /** The current state of an aggregate (its initial state if it has no events). */
    S state(String aggregateId);

    /** The stream an aggregate lives in: {@code <category>-<aggregateId>}. */
    String streamId(String aggregateId);

    /** The retry that handles concurrency conflicts, for its metrics and events. */
    Retry conflictRetry();
}
