package dev.bulwark.examples;

import dev.bulwark.cqrs.CommandBus;
import dev.bulwark.cqrs.CommandBusConfig;
import dev.bulwark.cqrs.CommandMessage;
import dev.bulwark.cqrs.Consistency;
import dev.bulwark.cqrs.Decision;
import dev.bulwark.cqrs.EventSourcedRepository;
import dev.bulwark.cqrs.ProjectionConfig;
import dev.bulwark.cqrs.ProjectionRunner;
import dev.bulwark.cqrs.QueryBus;
import dev.bulwark.cqrs.RepositoryConfig;
import dev.bulwark.eventstore.EventFilter;
import dev.bulwark.examples.FulfilmentSaga.ShopOrder;
import dev.bulwark.examples.OrderCommand.PlaceOrder;
import dev.bulwark.saga.SagaDefinition;
import dev.bulwark.saga.SagaHandle;
import dev.bulwark.saga.SagaOperator;
import dev.bulwark.saga.SagaOrchestrator;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The shop: every Bulwark module wired together, the way an application would.
 *
 * <ul>
 *   <li>Write side (cqrs + eventstore): commands go through a {@link CommandBus} to the order {@link OrderDecider},
 *       stored by an {@link EventSourcedRepository} as the stream {@code order-<id>}.
 *   <li>Read side (cqrs): a {@link ProjectionRunner} keeps {@link OrderSummaries} up to date; a {@link QueryBus}
 *       answers {@link OrderSummary.Get}, after waiting for a given position when asked (read-your-writes).
 *   <li>Process (saga): another projection runner starts a {@link FulfilmentSaga} for each placed order on a
 *       {@link SagaOrchestrator}.
 *   <li>Remote calls (resilience-core): payment and shipping over HTTP, each behind its {@link RemotePolicies}.
 * </ul>
 *
 * <pre>{@code
 * try (Shop shop = Shop.open(ShopStorage.embedded(null), paymentsUri, shippingUri, new Inventory(stock), 42, s -> {})) {
 *     Decision<OrderEvent, Order> placed = shop.place(new PlaceOrder("42", "alice", "kettle", 1, 3499, "1 Main St"));
 *     OrderSummary mine = shop.summary("42", placed.position()); // sees its own write
 * }
 * }</pre>
 *
 * <p>Threads: the shop starts its pools in {@link #open} and stops them in {@link #close()}, which also closes the
 * storage it was given.
 */
public final class Shop implements AutoCloseable {
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);
    static final Duration READ_YOUR_WRITES_TIMEOUT = Duration.ofSeconds(5);
    /** Steps block on HTTP calls (a few hundred ms at worst, retries included): enough threads for the rate. */
    private static final int SAGA_THREADS = 48;

    private final ShopStorage storage;
    private final Inventory inventory;
    private final ExecutorService callExecutor;
    private final ExecutorService httpExecutor;
    private final ExecutorService projectionExecutor;
    private final HttpClient http;
    private final RemotePolicies paymentPolicies;
    private final RemotePolicies shippingPolicies;
    private final PaymentClient payments;
    private final ShippingClient shipping;
    private final Map<String, LongAdder> commandsHandled = new ConcurrentHashMap<>();
    private final CommandBus commands;
    private final EventSourcedRepository<OrderCommand, OrderEvent, Order> orders;
    private final OrderSummaries summaries = new OrderSummaries();
    private final QueryBus queries;
    private final ProjectionRunner summaryRunner;
    private final OrderFulfilment fulfilment;
    private final ProjectionRunner fulfilmentRunner;
    private final SagaOrchestrator orchestrator;

    private Shop(ShopStorage storage, URI paymentService, URI shippingService, Inventory inventory, long seed,
            Consumer<? super CallSample> samples, ExecutorService[] pools) {
        this.storage = storage;
        this.inventory = inventory;
        callExecutor = pools[0];
        httpExecutor = pools[1];
        projectionExecutor = pools[2];
        http = HttpClient.newBuilder().executor(httpExecutor).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        Duration safetyNet = Duration.ofSeconds(5);
        payments = new PaymentClient(new ServiceClient("payment-service", paymentService, http, safetyNet, samples));
        shipping = new ShippingClient(new ServiceClient("shipping-service", shippingService, http, safetyNet, samples));
        paymentPolicies = RemotePolicies.create("payment-service", callExecutor, seed);
        shippingPolicies = RemotePolicies.create("shipping-service", callExecutor, seed + 1);

        commands = CommandBus.create(CommandBusConfig.builder().addHandlerInterceptor((message, chain) -> {
            commandsHandled.computeIfAbsent(message.command().getClass().getSimpleName(), k -> new LongAdder())
                    .increment();
            return chain.proceed();
        }).build());
        orders = EventSourcedRepository.create(storage.events(), OrderDecider.DECIDER, OrderEvent.class,
                RepositoryConfig.builder("order").build());
        commands.register(OrderCommand.class, orders.handler(OrderCommand::orderId));

        queries = QueryBus.create();
        queries.register(OrderSummary.Get.class, OrderSummary.class, summaries::get);
        summaryRunner = ProjectionRunner.inMemory("order-summaries", storage.events(), summaries,
                ProjectionConfig.builder(projectionExecutor).filter(EventFilter.categories("order")).build());

        SagaDefinition<ShopOrder> saga = new FulfilmentSaga(commands, inventory, payments, shipping, paymentPolicies,
                shippingPolicies).definition();
        orchestrator = SagaOrchestrator.builder()
                .store(storage.sagas())
                .register(saga)
                .threads(SAGA_THREADS)
                .pollInterval(Duration.ofSeconds(1))
                .start();
        fulfilment = new OrderFulfilment(orders, orchestrator, saga);
        fulfilmentRunner = ProjectionRunner.inMemory("order-fulfilment", storage.events(), fulfilment,
                ProjectionConfig.builder(projectionExecutor)
                        .filter(EventFilter.categories("order").andEventTypes("order-placed"))
                        .build());
        summaryRunner.start();
        fulfilmentRunner.start();
    }

    /**
     * Starts the shop on {@code storage} (which it closes on {@link #close()}), calling the payment and shipping
     * services at the given addresses.
     *
     * @param seed seeds the jitter of the retries
     * @param samples receives every HTTP attempt, on the calling thread
     */
    public static Shop open(ShopStorage storage, URI paymentService, URI shippingService, Inventory inventory,
            long seed, Consumer<? super CallSample> samples) {
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(paymentService, "paymentService");
        Objects.requireNonNull(shippingService, "shippingService");
        Objects.requireNonNull(inventory, "inventory");
        Objects.requireNonNull(samples, "samples");
        ExecutorService[] pools = {Executors.newCachedThreadPool(named("shop-call")),
            Executors.newCachedThreadPool(named("shop-http")), Executors.newFixedThreadPool(2, named("shop-projection"))};
        try {
            return new Shop(storage, paymentService, shippingService, inventory, seed, samples, pools);
        } catch (RuntimeException | Error e) {
            // Nothing may keep running behind the caller's back when opening fails halfway.
            for (ExecutorService pool : pools) {
                pool.shutdownNow();
            }
            storage.close();
            throw e;
        }
    }

    /**
     * Places an order through the command bus. The order id is also the command id, so a resend of the same
     * command (after a timeout, say) is deduplicated by the bus.
     *
     * @throws OrderRejectedException if an order with this id was placed with other details
     */
    public Decision<OrderEvent, Order> place(PlaceOrder order) {
        return commands.sendAndWait(CommandMessage.withId(order.orderId(), order)
                .withMetadata(CommandMessage.CORRELATION_ID, order.orderId()), COMMAND_TIMEOUT);
    }

    /** The order's summary as the read model has it now (possibly behind the latest writes). */
    public OrderSummary summary(String orderId) {
        return join(queries.query(new OrderSummary.Get(orderId), OrderSummary.class));
    }

    /**
     * The order's summary once the read model has seen the global log up to {@code position}: pass the
     * {@link Decision#position()} of a command to read your own write.
     */
    public OrderSummary summary(String orderId, long position) {
        return join(queries.query(new OrderSummary.Get(orderId), OrderSummary.class,
                Consistency.reached(summaryRunner, position, READ_YOUR_WRITES_TIMEOUT)));
    }

    /** The order as the write side has it: its events, replayed. */
    public Order order(String orderId) {
        return orders.state(orderId);
    }

    /** The position of the last event in the global log. */
    public long headPosition() {
        return storage.events().headPosition();
    }

    /**
     * Makes {@code calls} requests to each service (a read of its ledger), so that the first orders do not pay for
     * the cold start of the JVM, the HTTP client and its connections: cold, the first calls can take longer than
     * the timeout, and enough of them open the breaker on a healthy service. The requests bypass the policies for
     * that very reason: a cold call must not count against the breaker.
     *
     * @throws RemoteServiceException if a service does not answer
     */
    public void warmUp(int calls) {
        for (int i = 0; i < calls; i++) {
            payments.ledger();
            shipping.ledger();
        }
    }

    /** Tells {@code listener} about each fulfilment saga started from now on. */
    public void onSagaStarted(BiConsumer<String, SagaHandle<ShopOrder>> listener) {
        fulfilment.onStarted(listener);
    }

    /** The shop's own stock. */
    public Inventory inventory() {
        return inventory;
    }

    /** The payment service's client (one HTTP attempt per call, no policy). */
    public PaymentClient payments() {
        return payments;
    }

    /** The shipping service's client (one HTTP attempt per call, no policy). */
    public ShippingClient shipping() {
        return shipping;
    }

    /** The policies guarding the payment service. */
    public RemotePolicies paymentPolicies() {
        return paymentPolicies;
    }

    /** The policies guarding the shipping service. */
    public RemotePolicies shippingPolicies() {
        return shippingPolicies;
    }

    /** Lists, explains and repairs sagas. */
    public SagaOperator sagas() {
        return orchestrator.operator();
    }

    /** How many commands of each type the bus handled. */
    public Map<String, Long> commandsHandled() {
        Map<String, Long> counts = new TreeMap<>();
        commandsHandled.forEach((type, count) -> counts.put(type, count.sum()));
        return counts;
    }

    /** Where events and sagas are kept. */
    public String storageDescription() {
        return storage.description();
    }

    /**
     * Stops starting sagas, stops the orchestrator (running steps finish and record), the projections and the
     * pools, then closes the storage.
     */
    @Override
    public void close() {
        fulfilmentRunner.close();
        orchestrator.close();
        summaryRunner.close();
        for (ExecutorService pool : List.of(projectionExecutor, callExecutor, httpExecutor)) {
            pool.shutdown();
        }
        try {
            for (ExecutorService pool : List.of(projectionExecutor, callExecutor, httpExecutor)) {
                if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                    pool.shutdownNow();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeHttpClient();
        storage.close();
    }

    /** HttpClient is closeable from Java 21 on (its selector thread stops); on 17 it ends once unreachable. */
    private void closeHttpClient() {
        if (http instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing the HTTP client failed", e);
            }
        }
    }

    private static <T> T join(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> new Thread(task, prefix + "-" + count.incrementAndGet());
    }
}
