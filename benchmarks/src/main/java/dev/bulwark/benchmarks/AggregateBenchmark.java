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
import org.axonframework.modelling.command.inspection.AggregateModel;
import org.axonframework.modelling.command.inspection.AnnotatedAggregateMetaModelFactory;
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
 * (start a unit of work, load, execute, commit). Neither takes snapshots or caches aggregates.
 *
 * <p>Every command must find exactly 20 prior events, so each invocation gets a fresh store holding just that
 * aggregate, prepared outside the measurement ({@code Level.Invocation}; a command takes microseconds, far more
 * than the timing overhead). A store of its own matters for Axon: its in-memory engine reads an aggregate by
 * scanning every stored event, so a store shared by many aggregates would measure that scan instead.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar AggregateBenchmark}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AggregateBenchmark {
    private static final int PRIOR_EVENTS = 20;
    private static final String ID = "42";

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

    /** A fresh Bulwark store per invocation, holding one aggregate with 20 events. */
    @State(Scope.Thread)
    public static class BulwarkAggregate {
        private final Deposit deposit = new Deposit(1);
        private EventStoreSettings settings;
        private RepositoryConfig config;
        private List<EventData> history;
        private InMemoryEventStore store;
        private EventSourcedRepository<Deposit, AccountEvent, Account> repository;

        @Setup(Level.Trial)
        public void setUpTrial() {
            settings = EventStoreSettings.defaults(EventSerializer.create(EventTypeRegistry.builder()
                    .register("opened", Opened.class)
                    .register("deposited", Deposited.class)
                    .build()));
            config = RepositoryConfig.builder("account").build();
            history = new ArrayList<>();
            history.add(EventData.of(new Opened("alice")));
            for (int e = 1; e < PRIOR_EVENTS; e++) {
                history.add(EventData.of(new Deposited(e)));
            }
        }

        @Setup(Level.Invocation)
        public void setUp() {
            store = InMemoryEventStore.create(settings);
            store.append("account-" + ID, ExpectedVersion.NO_STREAM, history);
            repository = EventSourcedRepository.create(store, DECIDER, AccountEvent.class, config);
        }

        @TearDown(Level.Invocation)
        public void tearDown() {
            store.close();
        }
    }

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

    /** A fresh Axon store per invocation, holding one aggregate with 20 events. */
    @State(Scope.Thread)
    public static class AxonAggregate {
        private AggregateModel<AxonAccount> model;
        private EmbeddedEventStore store;
        private EventSourcingRepository<AxonAccount> repository;

        @Setup(Level.Trial)
        public void setUpTrial() {
            model = AnnotatedAggregateMetaModelFactory.inspectAggregate(AxonAccount.class);
        }

        @Setup(Level.Invocation)
        public void setUp() {
            store = EmbeddedEventStore.builder().storageEngine(new InMemoryEventStorageEngine()).build();
            store.publish(new GenericDomainEventMessage<>("AxonAccount", ID, 0, new AxonOpened(ID)));
            for (int e = 1; e < PRIOR_EVENTS; e++) {
                store.publish(new GenericDomainEventMessage<>("AxonAccount", ID, e, new AxonDeposited(ID, e)));
            }
            repository = EventSourcingRepository.builder(AxonAccount.class).aggregateModel(model).eventStore(store)
                    .build();
        }

        @TearDown(Level.Invocation)
        public void tearDown() {
            store.shutDown();
        }
    }

    @Benchmark
    public Object bulwark(BulwarkAggregate aggregate) {
        return aggregate.repository.handle(ID, aggregate.deposit);
    }

    @Benchmark
    public Object axon(AxonAggregate aggregate) throws Exception {
        DefaultUnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
        try {
            aggregate.repository.load(ID).execute(account -> account.deposit(1));
            unitOfWork.commit();
        } catch (RuntimeException e) {
            unitOfWork.rollback(e);
            throw e;
        }
        return unitOfWork;
    }
}
