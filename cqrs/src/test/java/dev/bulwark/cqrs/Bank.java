package dev.bulwark.cqrs;

import dev.bulwark.eventstore.AppendResult;
import dev.bulwark.eventstore.EventData;
import dev.bulwark.eventstore.EventSerializer;
import dev.bulwark.eventstore.EventStore;
import dev.bulwark.eventstore.EventStoreSettings;
import dev.bulwark.eventstore.EventTypeRegistry;
import dev.bulwark.eventstore.ExpectedVersion;
import dev.bulwark.eventstore.InMemoryEventStore;
import dev.bulwark.resilience.Clock;
import java.util.ArrayList;
import java.util.List;

/** The test domain: bank accounts as a decider. */
final class Bank {

    private Bank() {}

    sealed interface AccountCommand permits Open, Deposit, Withdraw, Close {}

    record Open(String owner) implements AccountCommand {}

    record Deposit(long amount) implements AccountCommand {}

    record Withdraw(long amount) implements AccountCommand {}

    record Close() implements AccountCommand {}

    sealed interface AccountEvent permits Opened, Deposited, Withdrawn, Closed {}

    record Opened(String owner) implements AccountEvent {}

    record Deposited(long amount) implements AccountEvent {}

    record Withdrawn(long amount) implements AccountEvent {}

    record Closed() implements AccountEvent {}

    /** The state; also registered so that it can be snapshotted. */
    record Account(String owner, long balance, boolean open, int changes) {
        static final Account NONE = new Account(null, 0, false, 0);

        Account apply(AccountEvent event) {
            if (event instanceof Opened opened) {
                return new Account(opened.owner(), 0, true, changes + 1);
            }
            if (event instanceof Deposited deposited) {
                return new Account(owner, balance + deposited.amount(), open, changes + 1);
            }
            if (event instanceof Withdrawn withdrawn) {
                return new Account(owner, balance - withdrawn.amount(), open, changes + 1);
            }
            return new Account(owner, balance, false, changes + 1);
        }
    }

    /** A domain rejection. */
    static final class InsufficientFunds extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InsufficientFunds(long balance, long amount) {
            super("cannot withdraw " + amount + " from a balance of " + balance);
        }
    }

    static List<AccountEvent> decide(AccountCommand command, Account account) {
        if (command instanceof Open open) {
            if (account.open()) {
                throw new IllegalStateException("account is already open");
            }
            return List.of(new Opened(open.owner()));
        }
        if (!account.open()) {
            throw new IllegalStateException("account is not open");
        }
        if (command instanceof Deposit deposit) {
            if (deposit.amount() <= 0) {
                throw new IllegalArgumentException("amount must be positive, was " + deposit.amount());
            }
            return List.of(new Deposited(deposit.amount()));
        }
        if (command instanceof Withdraw withdraw) {
            if (withdraw.amount() > account.balance()) {
                throw new InsufficientFunds(account.balance(), withdraw.amount());
            }
            return List.of(new Withdrawn(withdraw.amount()));
        }
        return account.balance() == 0 ? List.of(new Closed()) : List.of(new Withdrawn(account.balance()), new Closed());
    }

    static final Decider<AccountCommand, AccountEvent, Account> DECIDER =
            Decider.of(() -> Account.NONE, Bank::decide, Account::apply);

    static EventTypeRegistry registry() {
        return EventTypeRegistry.builder()
                .register("opened", Opened.class)
                .register("deposited", Deposited.class)
                .register("withdrawn", Withdrawn.class)
                .register("closed", Closed.class)
                .register("account", Account.class)
                .build();
    }

    static EventStoreSettings.Builder settings() {
        return EventStoreSettings.builder(EventSerializer.create(registry()));
    }

    static InMemoryEventStore store() {
        return InMemoryEventStore.create(settings().build());
    }

    /** Appends events with fresh ids to a stream, wherever it is. */
    static AppendResult append(EventStore store, String streamId, Object... events) {
        List<EventData> data = new ArrayList<>();
        for (Object event : events) {
            data.add(EventData.of(event));
        }
        return store.append(streamId, ExpectedVersion.ANY, data);
    }

    static InMemoryEventStore store(Clock clock) {
        return InMemoryEventStore.create(settings().clock(clock).build());
    }
}
