package dev.bulwark.cqrs;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Tests a {@link Decider} as a specification: given past events, when a command comes, then these events (or this
 * rejection). Failures are {@link AssertionError}s that show what was expected and what happened.
 *
 * <pre>{@code
 * DeciderFixture<AccountCommand, AccountEvent, Account> fixture = DeciderFixture.of(accounts);
 *
 * fixture.given(new Opened("alice"), new Deposited(100))
 *         .when(new Withdraw(30))
 *         .then(new Withdrawn(30));
 *
 * fixture.given(new Opened("alice"))
 *         .when(new Withdraw(30))
 *         .thenRejectedWith(InsufficientFunds.class);
 * }</pre>
 *
 * @param <C> the commands
 * @param <E> the events
 * @param <S> the state
 */
public final class DeciderFixture<C, E, S> {

    private final Decider<C, E, S> decider;

    private DeciderFixture(Decider<C, E, S> decider) {
        this.decider = decider;
    }

    /** A fixture for a decider. */
    public static <C, E, S> DeciderFixture<C, E, S> of(Decider<C, E, S> decider) {
        return new DeciderFixture<>(Objects.requireNonNull(decider, "decider"));
    }

    /** The past: these events, in order. */
    @SafeVarargs
    public final Given given(E... events) {
        List<E> list = new ArrayList<>(events.length);
        for (E event : events) {
            list.add(event);
        }
        return given(list);
    }

    /** The past: these events, in order. */
    public Given given(List<? extends E> events) {
        Objects.requireNonNull(events, "events");
        S state = decider.initialState();
        for (E event : events) {
            state = decider.evolve(state, Objects.requireNonNull(event, "event"));
        }
        return new Given(List.copyOf(events), state);
    }

    /** The state after the past events; {@link #when} adds the command. */
    public final class Given {
        private final List<E> history;
        private final S state;

        private Given(List<E> history, S state) {
            this.history = history;
            this.state = state;
        }

        /** The state these events lead to. */
        public S state() {
            return state;
        }

        /** The command to decide. */
        public When when(C command) {
            Objects.requireNonNull(command, "command");
            List<E> events = null;
            RuntimeException rejection = null;
            try {
                events = List.copyOf(decider.decide(command, state));
            } catch (RuntimeException e) {
                rejection = e;
            }
            return new When(history, command, events, rejection);
        }
    }

    /** What the decider did with the command. */
    public final class When {
        private final List<E> history;
        private final C command;
        private final List<E> events;
        private final RuntimeException rejection;

        private When(List<E> history, C command, List<E> events, RuntimeException rejection) {
            this.history = history;
            this.command = command;
            this.events = events;
            this.rejection = rejection;
        }

        /** Asserts that the command caused exactly these events, in order (none: an empty argument list). */
        @SafeVarargs
        public final When then(E... expected) {
            List<E> list = new ArrayList<>(expected.length);
            for (E event : expected) {
                list.add(event);
            }
            return then(list);
        }

        /** Asserts that the command caused exactly these events, in order. */
        public When then(List<? extends E> expected) {
            Objects.requireNonNull(expected, "expected");
            if (rejection != null) {
                throw new AssertionError(scenario() + "\nexpected events " + expected + "\nbut it was rejected with "
                        + rejection, rejection);
            }
            if (!events.equals(new ArrayList<>(expected))) {
                throw new AssertionError(scenario() + "\nexpected events " + expected + "\nbut it caused " + events);
            }
            return this;
        }

        /** Asserts that the state after the past and the new events equals {@code expected}. */
        public When thenState(S expected) {
            if (rejection != null) {
                throw new AssertionError(scenario() + "\nexpected state " + expected + "\nbut it was rejected with "
                        + rejection, rejection);
            }
            S state = given(history).state();
            for (E event : events) {
                state = decider.evolve(state, event);
            }
            if (!Objects.equals(state, expected)) {
                throw new AssertionError(scenario() + "\nexpected state " + expected + "\nbut it is " + state);
            }
            return this;
        }

        /** Asserts that the command was rejected with an exception of this type (or a subtype); returns it. */
        public <X extends RuntimeException> X thenRejectedWith(Class<X> type) {
            Objects.requireNonNull(type, "type");
            if (rejection == null) {
                throw new AssertionError(scenario() + "\nexpected a rejection with " + type.getName()
                        + "\nbut it caused " + events);
            }
            if (!type.isInstance(rejection)) {
                throw new AssertionError(scenario() + "\nexpected a rejection with " + type.getName()
                        + "\nbut it was rejected with " + rejection, rejection);
            }
            return type.cast(rejection);
        }

        /** Asserts a rejection of this type whose message contains {@code messagePart}; returns it. */
        public <X extends RuntimeException> X thenRejectedWith(Class<X> type, String messagePart) {
            Objects.requireNonNull(messagePart, "messagePart");
            X rejected = thenRejectedWith(type);
            String message = rejected.getMessage();
            if (message == null || !message.contains(messagePart)) {
                throw new AssertionError(scenario() + "\nexpected a rejection whose message contains \"" + messagePart
                        + "\"\nbut the message is \"" + message + "\"", rejected);
            }
            return rejected;
        }

        private String scenario() {
            return "given " + history + "\nwhen " + command;
        }
    }
}
