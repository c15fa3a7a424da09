package dev.bulwark.cqrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulwark.cqrs.Bank.Account;
import dev.bulwark.cqrs.Bank.AccountCommand;
import dev.bulwark.cqrs.Bank.AccountEvent;
import dev.bulwark.cqrs.Bank.Deposit;
import dev.bulwark.cqrs.Bank.Deposited;
import dev.bulwark.cqrs.Bank.Open;
import dev.bulwark.cqrs.Bank.Opened;
import dev.bulwark.cqrs.Bank.Withdraw;
import dev.bulwark.cqrs.Bank.Withdrawn;
import dev.bulwark.eventstore.EventFilter;
import dev.bulwark.eventstore.EventStore;
import dev.bulwark.eventstore.RecordedEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** The whole loop: command bus, decider and repository, projection, query bus with read-your-writes and updates. */
class CqrsFlowTest {

    record GetBalance(String accountId) {}

    record Balance(String accountId, long amount) {}

    /** The read model, which announces each change to the subscription queries. */
    static final class BalanceView implements Projection {
        final Map<String, Long> balances = new ConcurrentHashMap<>();
        final QueryBus queries;

        BalanceView(QueryBus queries) {
            this.queries = queries;
        }

        @Override
        public void apply(RecordedEvent event) {
            String id = event.streamId().substring("account-".length());
            long change = event.data() instanceof Deposited deposited ? deposited.amount()
                    : event.data() instanceof Withdrawn withdrawn ? -withdrawn.amount() : 0;
            long balance = balances.merge(id, change, Long::sum);
            if (event.data() instanceof Opened || change != 0) {
                queries.emit(GetBalance.class, query -> query.accountId().equals(id), new Balance(id, balance));
            }
        }

        @Override
        public void reset() {
            balances.clear();
        }
    }

    @Test
    void a_command_changes_the_aggregate_the_projection_follows_and_queries_see_the_write() {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try (EventStore store = Bank.store()) {
            EventSourcedRepository<AccountCommand, AccountEvent, Account> accounts = EventSourcedRepository.create(
                    store, Bank.DECIDER, AccountEvent.class, RepositoryConfig.builder("account").build());
            CommandBus commands = CommandBus.create();
            commands.register(AccountCommand.class, accounts.handler(command -> "7"));
            QueryBus queries = QueryBus.create();
            BalanceView view = new BalanceView(queries);
            queries.register(GetBalance.class, Balance.class,
                    query -> new Balance(query.accountId(), view.balances.getOrDefault(query.accountId(), 0L)));
            ProjectionRunner runner = ProjectionRunner.inMemory("balance-view", store, view,
                    ProjectionConfig.builder(executor).filter(EventFilter.categories("account")).build());
            runner.start();
            List<Balance> updates = new CopyOnWriteArrayList<>();
            SubscriptionQuery<Balance> subscription =
                    queries.subscriptionQuery(new GetBalance("7"), Balance.class, Balance.class, updates::add);

            commands.sendAndWait(new Open("alice"), Duration.ofSeconds(5));
            commands.sendAndWait(new Deposit(50), Duration.ofSeconds(5));
            Decision<AccountEvent, Account> last = commands.sendAndWait(new Withdraw(20), Duration.ofSeconds(5));
            Balance balance = queries.query(new GetBalance("7"), Balance.class,
                    Consistency.reached(runner, last.position(), Duration.ofSeconds(5))).toCompletableFuture().join();

            assertThat(last.state().balance()).isEqualTo(30);
            assertThat(balance).isEqualTo(new Balance("7", 30));
            assertThat(subscription.initialResult().toCompletableFuture().join()).isEqualTo(new Balance("7", 0));
            await().until(() -> updates.size() == 3);
            assertThat(updates).containsExactly(new Balance("7", 0), new Balance("7", 50), new Balance("7", 30));
            subscription.close();
            runner.close();
        } finally {
            executor.shutdownNow();
        }
    }
}
