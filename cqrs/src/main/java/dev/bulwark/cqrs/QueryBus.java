package dev.bulwark.cqrs;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Delivers queries to the handlers registered for their type and the response type asked for.
 *
 * <pre>{@code
 * QueryBus bus = QueryBus.create();
 * bus.register(GetOrder.class, OrderView.class, query -> views.get(query.orderId()));
 * OrderView view = bus.query(new GetOrder("42"), OrderView.class).toCompletableFuture().join();
 *
 * // read your own write: wait until the projection has seen the command's events
 * OrderView fresh = bus.query(new GetOrder("42"), OrderView.class,
 *         Consistency.reached(orderViews, decision.position(), Duration.ofSeconds(2))).toCompletableFuture().join();
 * }</pre>
 *
 * <p>A handler matches a query when it was registered for the query's exact class and for a response type that
 * is the one asked for or a subtype of it. Several handlers may match: a point-to-point query asks the first one
 * registered, a scatter-gather asks them all. Handlers run on the configured executor; a failure completes the
 * returned stage exceptionally with the handler's exception, unchanged.
 *
 * <p>Thread-safe.
 */
public interface QueryBus {

    /** A bus with {@link QueryBusConfig#defaults()}. */
    static QueryBus create() {
        return create(QueryBusConfig.defaults());
    }

    /** A bus with the given settings. */
    static QueryBus create(QueryBusConfig config) {
        return new DefaultQueryBus(config);
    }

    /**
     * Registers a handler for queries of {@code queryType} answering with {@code responseType}.
     *
     * @throws IllegalArgumentException if {@code responseType} is primitive (use its wrapper)
     */
    <Q, R> Registration register(Class<Q> queryType, Class<R> responseType, QueryHandler<? super Q, ? extends R> handler);

    /**
     * Asks the first matching handler.
     *
     * @return its answer; fails with {@link NoHandlerException} when none matches
     */
    <R> CompletionStage<R> query(Object query, Class<R> responseType);

    /**
     * Asks the first matching handler once the projection named in {@code consistency} has reached its position;
     * fails with {@link WaitTimeoutException} if it does not within the timeout.
     */
    <R> CompletionStage<R> query(Object query, Class<R> responseType, Consistency consistency);

    /**
     * Asks every matching handler and collects the answers that arrive within {@code timeout}, in registration order.
     * Handlers that fail or answer late are left out (on the caller's thread, a late answer also skips the handlers
     * after it). No matching handler gives an empty list.
     */
    <R> CompletionStage<List<R>> scatterGather(Object query, Class<R> responseType, Duration timeout);

    /**
     * Subscribes to a query: its initial result from the first matching handler, then every update
     * {@linkplain #emit emitted} for it that is an instance of {@code updateType}, handed to {@code updates} on the
     * emitting thread, in emission order.
     */
    <I, U> SubscriptionQuery<I> subscriptionQuery(Object query, Class<I> initialType, Class<U> updateType,
            Consumer<? super U> updates);

    /**
     * Sends an update to the subscription queries whose query is a {@code queryType} that {@code filter} accepts and
     * whose update type {@code update} is an instance of. Call it after the read model change is committed.
     *
     * @return how many subscriptions received it
     */
    <Q> int emit(Class<Q> queryType, Predicate<? super Q> filter, Object update);
}
