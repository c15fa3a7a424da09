package dev.bulwark.cqrs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.cqrs.Bank.Account;
import dev.bulwark.cqrs.Bank.AccountCommand;
import dev.bulwark.cqrs.Bank.AccountEvent;
import dev.bulwark.cqrs.Bank.Deposit;
import dev.bulwark.cqrs.Bank.InsufficientFunds;
import dev.bulwark.cqrs.Bank.Open;
import dev.bulwark.cqrs.Bank.Withdraw;
import dev.bulwark.eventstore.EventStore;
import dev.bulwark.eventstore.PostgresEventStore;
import dev.bulwark.eventstore.RecordedEvent;
import dev.bulwark.resilience.RetryBackoff;
import dev.bulwark.testsupport.TestPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Many threads send commands to one aggregate through the command bus. Optimistic concurrency plus retries must
 * make the outcome the same as if the accepted commands had run one at a time: no event lost or duplicated, every
 * accepted command decided on the state its predecessors left.
 */
class RepositoryConcurrencyTest {
    private static final int THREADS = 8;

    private record Accepted(AccountCommand command, Decision<AccountEvent, Account> decision) {}

    @Test
    void concurrent_commands_on_one_aggregate_end_as_if_the_accepted_ones_ran_one_at_a_time() throws Exception {
        try (EventStore store = Bank.store()) {
            concurrentCommands(store, 150);
        }
    }

    @Test
    void the_same_holds_on_postgresql() throws Exception {
        try (PostgresEventStore store = PostgresEventStore.builder(TestPostgres.freshDatabase().dataSource(),
                Bank.settings().build()).build()) {
            store.createSchema();
            concurrentCommands(store, 25);
        }
    }

    /** {@value #THREADS} threads send {@code commandsPerThread} commands each to one account of {@code store}. */
    private static void concurrentCommands(EventStore store, int commandsPerThread) throws Exception {
        EventSourcedRepository<AccountCommand, AccountEvent, Account> accounts = EventSourcedRepository.create(
                store, Bank.DECIDER, AccountEvent.class, RepositoryConfig.builder("account")
                        .snapshotEvery(25)
                        .conflictRetries(1000, RetryBackoff.decorrelatedJitter(Duration.ofNanos(1000),
                                Duration.ofMillis(2)))
                        .build());
        CommandBus bus = CommandBus.create();
        bus.register(AccountCommand.class, accounts.handler(command -> "1"));
        bus.sendAndWait(new Open("alice"), Duration.ofSeconds(5));

        ConcurrentLinkedQueue<Accepted> accepted = new ConcurrentLinkedQueue<>();
        AtomicInteger rejected = new AtomicInteger();
        CyclicBarrier start = new CyclicBarrier(THREADS);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> senders = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                Random random = new Random(t);
                senders.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < commandsPerThread; i++) {
                        AccountCommand command = random.nextInt(3) == 0
                                ? new Withdraw(1 + random.nextInt(40)) : new Deposit(1 + random.nextInt(10));
                        try {
                            Decision<AccountEvent, Account> decision =
                                    bus.sendAndWait(command, Duration.ofSeconds(30));
                            accepted.add(new Accepted(command, decision));
                        } catch (InsufficientFunds e) {
                            rejected.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> sender : senders) {
                sender.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        List<Accepted> inOrder = new ArrayList<>(accepted);
        inOrder.sort(Comparator.comparingLong(entry -> entry.decision().version()));
        assertThat(inOrder.size() + rejected.get()).isEqualTo(THREADS * commandsPerThread);
        assertThat(rejected.get()).as("some withdrawals were refused").isPositive();
        assertThat(accounts.conflictRetry().metrics().retries()).as("conflicts were retried").isPositive();

        List<RecordedEvent> stored = store.readStream("account-1").events();
        assertThat(stored).as("one event per accepted command, plus the opening")
                .hasSize(inOrder.size() + 1);
        Account state = Bank.DECIDER.evolve(Account.NONE, stored.get(0).dataAs(AccountEvent.class));
        for (int i = 0; i < inOrder.size(); i++) {
            Accepted entry = inOrder.get(i);
            List<AccountEvent> replayed = Bank.DECIDER.decide(entry.command(), state);
            for (AccountEvent event : replayed) {
                state = Bank.DECIDER.evolve(state, event);
            }
            assertThat(entry.decision().version()).as("versions are consecutive").isEqualTo(i + 2);
            assertThat(replayed).as("command %d decided on its predecessors' state", i)
                    .isEqualTo(entry.decision().events())
                    .containsExactly(stored.get(i + 1).dataAs(AccountEvent.class));
            assertThat(entry.decision().state()).isEqualTo(state);
        }
        assertThat(accounts.state("1")).isEqualTo(state);
        assertThat(state.balance()).isNotNegative();
    }
}
