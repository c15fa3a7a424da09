package dev.bulwark.cqrs;

import java.util.concurrent.CompletionStage;

/**
 * A query that keeps answering: an initial result, then the updates the read model emits for it (see
 * {@link QueryBus#emit}) until it is closed.
 *
 * <p>Updates emitted after the subscription was made are never lost: those that come before the initial result
 * is ready are held back (up to the configured buffer size) and delivered right after it, in order. Such an update
 * may already be part of the initial result, so consumers should apply updates idempotently.
 *
 * <pre>{@code
 * try (SubscriptionQuery<OrderView> subscription = queryBus.subscriptionQuery(new GetOrder("42"),
 *         OrderView.class, OrderView.class, view -> screen.show(view))) {
 *     screen.show(subscription.initialResult().toCompletableFuture().join());
 *     ...
 * }
 * }</pre>
 *
 * @param <I> the initial result's type
 */
public interface SubscriptionQuery<I> extends AutoCloseable {

    /** The answer of the query's handler when the subscription was made. */
    CompletionStage<I> initialResult();

    /**
     * Completes when the subscription ends: normally after {@link #close()}; exceptionally when the initial query
     * failed, the update consumer threw, or more updates than the buffer holds came before the initial result.
     */
    CompletionStage<Void> termination();

    /** Stops the updates. Idempotent. */
    @Override
    void close();
}
