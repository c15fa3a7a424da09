package dev.bulwark.benchmarks;

import dev.bulwark.cqrs.Decider;
import dev.bulwark.cqrs.EventSourcedRepository;
import dev.bulwark.cqrs.RepositoryConfig;
import dev.bulwark.eventstore.EventData;
import dev.bulwark.eventstore.EventSerializer;
import dev.bulwark.eventstore.EventStoreSettings;
import dev.bulwark.eventstore.EventTypeRegistry;
import dev.bulwark.eventstore.ExpectedVersion;
import dev.bulwark.eventstore.InMemoryEventStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateLifecycle;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One command on an event-sourced aggregate that already has 20 events: load them, decide, append the one new
 * event. Bulwark's {@link EventSourcedRepository} on its {@link InMemoryEventStore} against Axon Framework 4.13's
 * {@code EventSourcingRepository} on an {@code EmbeddedEventStore} over its {@code InMemoryEventStorageEngine}
 * (load, execute, commit the unit of work). Neither takes snapshots or caches aggregates.
 *
 * <p>Every operation must find exactly 20 prior events, so each one works on a fresh aggregate: each iteration
 * prepares {@value #AGGREGATES} aggregates and is a batch of that many operations, one per aggregate
 * ({@code SingleShotTime} with a batch size). The score is the time per batch: divide by {@value #AGGREGATES} for
 * the time per command.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar AggregateBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 10, batchSize = AggregateBenchmark.AGGREGATES)
@Measurement(iterations = 10, batchSize = AggregateBenchmark.AGGREGATES)
@Fork(1)
public class AggregateBenchmark {
    static final int AGGREGATES = 2000;
    private static final int PRIOR_EVENTS = 20;

    // Bulwark: a decider over records.

    /** A command. */
    public record Deposit(long amount) {}

    /** The events. */
    public sealed interface AccountEvent permits Opened, Deposited {}

    /** The first event. */
    public record Opened(String owner) implements AccountEvent {}

    /** A deposit. */
    public record Deposited(long amount) implements AccountEvent {}

    /** The state. */
    public record Account(long balance) {}

    private static final Decider<Deposit, AccountEvent, Account> DECIDER = Decider.of(
            () -> new Account(0),
            (command, account) -> List.of(new Deposited(command.amount())),
            (account, event) -> event instanceof Deposited deposited
                    ? new Account(account.balance() + deposited.amount()) : account);

    // Axon: an annotated aggregate class.

    /** Axon's event for the opening. */
    public record AxonOpened(String id) {}

    /** Axon's event for a deposit. */
    public record AxonDeposited(String id, long amount) {}

    /** The aggregate as Axon wants it: a class with an identifier and event-sourcing handlers. */
    public static class AxonAccount {
        @AggregateIdentifier
        private String id;
        private long balance;

        public AxonAccount() {}

        void deposit(long amount) {
            AggregateLifecycle.apply(new AxonDeposited(id, amount));
        }

        @EventSourcingHandler
        void on(AxonOpened opened) {
            id = opened.id();
        }

        @EventSourcingHandler
        void on(AxonDeposited deposited) {
            balance += deposited.amount();
        }
    }

    private InMemoryEventStore bulwarkStore;
    private EventSourcedRepository<Deposit, AccountEvent, Account> bulwark;
    private EmbeddedEventStore axonStore;
    private EventSourcingRepository<AxonAccount> axon;
    private final Deposit deposit = new Deposit(1);
    private int next;

    @Setup(Level.Iteration)
    public void setUp() {
        EventTypeRegistry registry = EventTypeRegistry.builder()
                .register("opened", Opened.class)
                .register("deposited", Deposited.class)
                .build();
        bulwarkStore = InMemoryEventStore.create(EventStoreSettings.defaults(EventSerializer.create(registry)));
        bulwark = EventSourcedRepository.create(bulwarkStore, DECIDER, AccountEvent.class,
                RepositoryConfig.builder("account").build());
        axonStore = EmbeddedEventStore.builder().storageEngine(new InMemoryEventStorageEngine()).build();
        axon = EventSourcingRepository.builder(AxonAccount.class).eventStore(axonStore).build();
        for (int a = 0; a < AGGREGATES; a++) {
            String id = Integer.toString(a);
            List<EventData> history = new ArrayList<>();
            history.add(EventData.of(new Opened("owner " + a)));
            axonStore.publish(new GenericDomainEventMessage<>("AxonAccount", id, 0, new AxonOpened(id)));
            for (int e = 1; e < PRIOR_EVENTS; e++) {
                history.add(EventData.of(new Deposited(e)));
                axonStore.publish(new GenericDomainEventMessage<>("AxonAccount", id, e, new AxonDeposited(id, e)));
            }
            bulwarkStore.append("account-" + id, ExpectedVersion.NO_STREAM, history);
        }
        next = 0;
    }

    @TearDown(Level.Iteration)
    public void tearDown() {
        bulwarkStore.close();
        axonStore.shutDown();
    }

    @Benchmark
    public Object bulwark() {
        return bulwark.handle(Integer.toString(next++), deposit);
    }

    @Benchmark
    public Object axon() throws Exception {
        DefaultUnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
        try {
            axon.load(Integer.toString(next++)).execute(account -> account.deposit(1));
            unitOfWork.commit();
        } catch (RuntimeException e) {
            unitOfWork.rollback(e);
            throw e;
        }
        return unitOfWork;
    }
}
