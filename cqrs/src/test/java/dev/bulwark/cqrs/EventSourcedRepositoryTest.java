package dev.bulwark.cqrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.cqrs.Bank.Account;
import dev.bulwark.cqrs.Bank.AccountCommand;
import dev.bulwark.cqrs.Bank.AccountEvent;
import dev.bulwark.cqrs.Bank.Close;
import dev.bulwark.cqrs.Bank.Deposit;
import dev.bulwark.cqrs.Bank.Deposited;
import dev.bulwark.cqrs.Bank.InsufficientFunds;
import dev.bulwark.cqrs.Bank.Open;
import dev.bulwark.cqrs.Bank.Opened;
import dev.bulwark.cqrs.Bank.Withdraw;
import dev.bulwark.eventstore.EventData;
import dev.bulwark.eventstore.EventMetadata;
import dev.bulwark.eventstore.EventSerializer;
import dev.bulwark.eventstore.EventStore;
import dev.bulwark.eventstore.EventStoreSettings;
import dev.bulwark.eventstore.EventTypeRegistry;
import dev.bulwark.eventstore.ExpectedVersion;
import dev.bulwark.eventstore.InMemoryEventStore;
import dev.bulwark.eventstore.RecordedEvent;
import dev.bulwark.eventstore.WrongExpectedVersionException;
import dev.bulwark.resilience.ManualClock;
import dev.bulwark.resilience.RetryBackoff;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventSourcedRepositoryTest {

    private final ManualClock clock = new ManualClock();
    private final EventStore store = Bank.store(clock);
    private final AtomicInteger decisions = new AtomicInteger();
    private final AtomicInteger evolutions = new AtomicInteger();
    /** Appends a competing deposit to account-1 on the first {@code competitors} decisions, as another writer would. */
    private int competitors;

    private final Decider<AccountCommand, AccountEvent, Account> counting = Decider.of(
            () -> Account.NONE,
            (command, account) -> {
                if (decisions.incrementAndGet() <= competitors) {
                    store.append("account-1", ExpectedVersion.ANY, List.of(EventData.of(new Deposited(1000))));
                }
                return Bank.decide(command, account);
            },
            (account, event) -> {
                evolutions.incrementAndGet();
                return account.apply(event);
            });

    @AfterEach
    void tearDown() {
        store.close();
    }

    private EventSourcedRepository<AccountCommand, AccountEvent, Account> accounts(RepositoryConfig.Builder config) {
        return EventSourcedRepository.create(store, counting, AccountEvent.class,
                config.clock(clock).conflictRetries(3, RetryBackoff.fixed(Duration.ofMillis(10))).build());
    }

    private EventSourcedRepository<AccountCommand, AccountEvent, Account> accounts() {
        return accounts(RepositoryConfig.builder("account"));
    }

    @Test
    void a_command_on_a_new_aggregate_appends_its_events_and_reports_where() {
        Decision<AccountEvent, Account> decision = accounts().handle("1", new Open("alice"));

        assertThat(decision.streamId()).isEqualTo("account-1");
        assertThat(decision.events()).containsExactly(new Opened("alice"));
        assertThat(decision.state()).isEqualTo(new Account("alice", 0, true, 1));
        assertThat(decision.version()).isEqualTo(1);
        assertThat(decision.position()).isEqualTo(1);
        assertThat(store.readStream("account-1").events()).extracting(RecordedEvent::data)
                .containsExactly(new Opened("alice"));
    }

    @Test
    void the_next_command_is_decided_on_the_state_the_stored_events_lead_to() {
        EventSourcedRepository<AccountCommand, AccountEvent, Account> accounts = accounts();
        accounts.handle("1", new Open("alice"));
        accounts.handle("1", new Deposit(50));

        Decision<AccountEvent, Account> decision = accounts.handle("1", new Close());

        assertThat(decision.events()).containsExactly(new Bank.Withdrawn(50), new Bank.Closed());
        assertThat(decision.version()).isEqualTo(4);
        assertThat(accounts.state("1")).isEqualTo(new Account("alice", 0, false, 4));
    }

    @Test
    void a_domain_rejection_reaches_the_caller_unchanged_is_not_retried_and_stores_nothing() {
        EventSourcedRepository<AccountCommand, AccountEvent, Account> accounts = accounts();
        accounts.handle("1", new Open("alice"));
        decisions.set(0);

        assertThatThrownBy(() -> accounts.handle("1", new Withdraw(5)))
                .isInstanceOf(InsufficientFunds.class).hasMessage("cannot withdraw 5 from a balance of 0");
        assertThat(decisions).hasValue(1);
        assertThat(store.readStream("account-1").streamVersion()).isEqualTo(1);
    }

    @Test
    void a_concurrency_conflict_is_retried_on_the_new_state() {
        EventSourcedRepository<AccountCommand, AccountEvent, Account> accounts = accounts();
        accounts.handle("1", new Open("alice"));
        decisions.set(0);
        competitors = 1;
        long start = clock.nanoTime();

        Decision<AccountEvent, Account> decision = accounts.handle("1", new Deposit(5));

        assertThat(decisions).as("decided twice").hasValue(2);
        assertThat(decision.state().balance()).as("the competing deposit, then ours").isEqualTo(1005);
        assertThat(decision.version()).isEqualTo(3);
        assertThat(accounts.conflictRetry().metrics().successfulWithRetry()).isEqualTo(1);
        assertThat(clock.nanoTime() - start).as("the backoff").isEqualTo(Duration.ofMillis(10).toNanos());
    }

    @Test
    void conflicts_on_every_attempt_end_with_the_conflict_after_the_bounded_number_of_attempts() {
        EventSourcedRepository<AccountCommand, AccountEvent, Account> accounts = accounts();
        accounts.handle("1", new Open("alice"));
        decisions.set(0);
        competitors = Integer.MAX_VALUE;

        assertThatThrownBy(() -> accounts.handle("1", new Deposit(1)))
                .isInstanceOf(WrongExpectedVersionException.class);
        assertThat(decisions).hasValue(3);
        assertThat(accounts.conflictRetry().metrics().failedWithRetry()).isEqualTo(1);
    }

    @Test
    void snapshots_are_taken_every_n_events_and_loading_starts_from_the_latest() {
        EventSourcedRepository<AccountCommand, AccountEvent, Account> accounts =
                accounts(RepositoryConfig.builder("account").snapshotEvery(3));
        accounts.handle("1", new Open("alice"));
        for (int i = 1; i <= 6; i++) {
            accounts.handle("1", new Deposit(i));
        }

        assertThat(store.loadSnapshot("account-1")).get().extracting(snapshot -> snapshot.version()).isEqualTo(6L);
        store.truncateStream("account-1", 7);
        evolutions.set(0);

        assertThat(accounts.state("1")).isEqualTo(new Account("alice", 21, true, 7));
        assertThat(evolutions).as("only the event after the snapshot").hasValue(1);
    }

    @Test
    void a_command_that_changes_nothing_reports_the_position_of_the_streams_last_event() {
        Decider<AccountCommand, AccountEvent, Account> idle = Decider.of(() -> Account.NONE,
                (command, account) -> command instanceof Open open ? List.of(new Opened(open.owner())) : List.of(),
                Account::apply);
        EventSourcedRepository<AccountCommand, AccountEvent, Account> accounts = EventSourcedRepository.create(store,
                idle, AccountEvent.class, RepositoryConfig.builder("account").snapshotEvery(1).build());
        store.append("other-1", ExpectedVersion.ANY, List.of(EventData.of(new Opened("x"))));
        long opened = accounts.handle("1", new Open("alice")).position();
        store.append("other-1", ExpectedVersion.ANY, List.of(EventData.of(new Opened("y"))));

        Decision<AccountEvent, Account> decision = accounts.handle("1", new Deposit(1));

        assertThat(decision.events()).isEmpty();
        assertThat(decision.position()).isEqualTo(opened).isEqualTo(2);
        assertThat(decision.version()).isEqualTo(1);
        assertThat(accounts.handle("2", new Deposit(1)).position()).isZero();
    }

    @Test
    void events_carry_the_metadata_given_with_the_command() {
        EventSourcedRepository<AccountCommand, AccountEvent, Account> accounts = accounts();

        accounts.handle("1", new Open("alice"), EventMetadata.of("request-1", "command-1"));

        EventMetadata stored = store.readStream("account-1").events().get(0).metadata();
        assertThat(stored.correlationId()).isEqualTo("request-1");
        assertThat(stored.causationId()).isEqualTo("command-1");
    }

    @Test
    void as_a_command_bus_handler_it_runs_each_command_on_the_aggregate_the_command_names() {
        EventSourcedRepository<AccountCommand, AccountEvent, Account> accounts = accounts();
        CommandBus bus = CommandBus.create();
        bus.register(AccountCommand.class, accounts.handler(command -> "alice"));
        Decision<AccountEvent, Account> decision = bus.sendAndWait(
                CommandMessage.withId("c-1", new Open("alice")).withMetadata("user", "bob"), Duration.ofSeconds(1));

        assertThat(decision.streamId()).isEqualTo("account-alice");
        RecordedEvent stored = store.readStream("account-alice").events().get(0);
        assertThat(stored.metadata().causationId()).isEqualTo("c-1");
        assertThat(stored.metadata().headers()).containsEntry("user", "bob");
    }

    @Test
    void an_event_of_a_foreign_type_in_the_stream_fails_the_load() {
        record Foreign(String what) {}
        EventTypeRegistry registry = EventTypeRegistry.builder().register("opened", Opened.class)
                .register("foreign", Foreign.class).build();
        try (InMemoryEventStore mixed = InMemoryEventStore.create(
                EventStoreSettings.defaults(EventSerializer.create(registry)))) {
            mixed.append("account-1", ExpectedVersion.ANY, List.of(EventData.of(new Foreign("?"))));
            EventSourcedRepository<AccountCommand, AccountEvent, Account> accounts = EventSourcedRepository.create(
                    mixed, Bank.DECIDER, AccountEvent.class, RepositoryConfig.builder("account").build());

            assertThatThrownBy(() -> accounts.state("1")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("event account-1@1 holds a ").hasMessageContaining("not a "
                            + AccountEvent.class.getName());
        }
    }

    @Test
    void a_snapshot_that_cannot_be_saved_does_not_fail_the_command() {
        EventTypeRegistry registry = EventTypeRegistry.builder().register("opened", Opened.class).build();
        try (InMemoryEventStore noSnapshots = InMemoryEventStore.create(
                EventStoreSettings.defaults(EventSerializer.create(registry)))) {
            EventSourcedRepository<AccountCommand, AccountEvent, Account> accounts = EventSourcedRepository.create(
                    noSnapshots, Bank.DECIDER, AccountEvent.class,
                    RepositoryConfig.builder("account").snapshotEvery(1).build());

            Decision<AccountEvent, Account> decision = accounts.handle("1", new Open("alice"));

            assertThat(decision.version()).isEqualTo(1);
            assertThat(noSnapshots.loadSnapshot("account-1")).isEmpty();
        }
    }

    @Test
    void arguments_and_settings_are_checked_by_name() {
        assertThatThrownBy(() -> RepositoryConfig.builder("bank-account"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("category must be non-blank and must not contain '-' (streams are named <category>-<id>), "
                        + "was \"bank-account\"");
        assertThatThrownBy(() -> RepositoryConfig.builder("account").snapshotEvery(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("snapshotEvery must be >= 0 (0: never), was -1");
        assertThatThrownBy(() -> RepositoryConfig.builder("account").conflictRetries(0, RetryBackoff.none()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxAttempts must be at least 1, was 0");
        assertThatThrownBy(() -> accounts().handle(" ", new Open("a")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("aggregateId must not be blank, was \" \"");
        assertThatThrownBy(() -> accounts().handle("1", null)).hasMessage("command");
    }
}
