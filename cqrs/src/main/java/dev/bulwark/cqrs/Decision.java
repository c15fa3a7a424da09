package dev.bulwark.cqrs;

import java.util.List;
import java.util.Objects;

/**
 * What a command did to an aggregate: the events it appended and where, and the state after them.
 *
 * <pre>{@code
 * Decision<AccountEvent, Account> decision = accounts.handle("42", new Deposit(100));
 * long balance = decision.state().balance();
 * queryBus.query(new GetBalance("42"), Long.class,
 *         Consistency.reached(balances, decision.position(), Duration.ofSeconds(1)));
 * }</pre>
 *
 * @param streamId the aggregate's stream
 * @param events the events the command appended, in order; empty if it changed nothing
 * @param state the state after them
 * @param version the stream's version after them
 * @param position the global position of the last event appended: a projection that reached it has seen the
 *     command's effect. For a command that appended nothing, the position of the stream's last event ({@code 0} if
 *     it has none), so that waiting for it still means "the state this command saw".
 * @param <E> the events
 * @param <S> the state
 */
public record Decision<E, S>(String streamId, List<E> events, S state, long version, long position) {

    public Decision {
        Objects.requireNonNull(streamId, "streamId");
        events = List.copyOf(events);
        if (version < 0) {
            throw new IllegalArgumentException("version must be >= 0, was " + version);
        }
        if (position < 0) {
            throw new IllegalArgumentException("position must be >= 0, was " + position);
        }
    }
}
