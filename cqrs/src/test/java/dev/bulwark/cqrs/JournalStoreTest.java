package dev.bulwark.cqrs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.cqrs.Bank.Account;
import dev.bulwark.cqrs.Bank.AccountCommand;
import dev.bulwark.cqrs.Bank.AccountEvent;
import dev.bulwark.cqrs.Bank.Deposit;
import dev.bulwark.cqrs.Bank.Open;
import dev.bulwark.cqrs.Bank.Withdraw;
import dev.bulwark.eventstore.JournalEventStore;
import dev.bulwark.eventstore.JournalOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Aggregates and an in-memory projection on the embedded journal, across a restart of the application. */
class JournalStoreTest {

    @TempDir
    Path directory;

    private JournalEventStore open() {
        return JournalEventStore.open(directory, JournalOptions.defaults(Bank.settings().build()));
    }

    private static EventSourcedRepository<AccountCommand, AccountEvent, Account> accounts(JournalEventStore store) {
        return EventSourcedRepository.create(store, Bank.DECIDER, AccountEvent.class,
                RepositoryConfig.builder("account").snapshotEvery(2).build());
    }

    @Test
    void after_a_restart_aggregates_continue_from_their_events_and_a_projection_replays_them() {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            try (JournalEventStore store = open()) {
                accounts(store).handle("1", new Open("alice"));
                accounts(store).handle("1", new Deposit(100));
                accounts(store).handle("2", new Open("bob"));
            }

            try (JournalEventStore store = open()) {
                Decision<AccountEvent, Account> decision = accounts(store).handle("1", new Withdraw(40));
                Balances balances = new Balances();
                try (ProjectionRunner runner = ProjectionRunner.inMemory("balances", store, balances,
                        ProjectionConfig.builder(executor).build())) {
                    runner.start();
                    runner.awaitPosition(decision.position(), Duration.ofSeconds(30)).toCompletableFuture().join();
                }

                assertThat(decision.state()).isEqualTo(new Account("alice", 60, true, 3));
                assertThat(decision.version()).isEqualTo(3);
                assertThat(store.loadSnapshot("account-1")).isPresent();
                assertThat(balances.balances).isEqualTo(Map.of("account-1", 60L, "account-2", 0L));
            }
        } finally {
            executor.shutdownNow();
        }
    }
}
