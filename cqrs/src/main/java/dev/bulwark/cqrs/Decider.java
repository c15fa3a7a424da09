package dev.bulwark.cqrs;

import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * An aggregate as three pure functions: the state before any event, the events a command causes in a state, and
 * the state after an event. Nothing else: no storage, no framework types, so a decider is tested by calling it (see
 * {@link DeciderFixture}) and stored by an {@link EventSourcedRepository}.
 *
 * <pre>{@code
 * Decider<AccountCommand, AccountEvent, Account> accounts = Decider.of(
 *         () -> Account.NONE,
 *         (command, account) -> {
 *             if (command instanceof Withdraw withdraw) {
 *                 if (withdraw.amount() > account.balance()) {
 *                     throw new InsufficientFunds(account.balance(), withdraw.amount());
 *                 }
 *                 return List.of(new Withdrawn(withdraw.amount()));
 *             }
 *             return List.of(new Deposited(((Deposit) command).amount()));
 *         },
 *         Account::apply);
 * }</pre>
 *
 * <p>{@code decide} rejects a command by throwing a domain exception; the repository passes it to the caller
 * unchanged. Both functions must be pure and fast: a repository may call them again after a concurrency conflict.
 *
 * @param <C> the commands
 * @param <E> the events
 * @param <S> the state
 */
public interface Decider<C, E, S> {

    /** The state of an aggregate that has no events yet. */
    S initialState();

    /** The events {@code command} causes in {@code state}: none, one or several; or a domain exception. */
    List<E> decide(C command, S state);

    /** The state after {@code event}. */
    S evolve(S state, E event);

    /** A decider from three functions. */
    static <C, E, S> Decider<C, E, S> of(Supplier<? extends S> initialState,
            BiFunction<? super C, ? super S, ? extends List<? extends E>> decide,
            BiFunction<? super S, ? super E, ? extends S> evolve) {
        Objects.requireNonNull(initialState, "initialState");
        Objects.requireNonNull(decide, "decide");
        Objects.requireNonNull(evolve, "evolve");
        return new Decider<>() {
            @Override
            public S initialState() {
                return initialState.get();
            }

            @Override
            public List<E> decide(C command, S state) {
                return List.copyOf(decide.apply(command, state));
            }

            @Override
            public S evolve(S state, E event) {
                return evolve.apply(state, event);
            }
        };
    }
}
