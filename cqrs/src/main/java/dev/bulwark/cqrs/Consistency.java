package dev.bulwark.cqrs;

import java.time.Duration;
import java.util.Objects;

/**
 * Read-your-writes for one query: wait until a projection has processed the global log up to a position (usually
 * {@link Decision#position()} of the command just sent) before asking the read model.
 *
 * <pre>{@code
 * Decision<OrderEvent, Order> decision = commandBus.sendAndWait(new PlaceOrder("42"), Duration.ofSeconds(2));
 * OrderView view = queryBus.query(new GetOrder("42"), OrderView.class,
 *         Consistency.reached(orderViews, decision.position(), Duration.ofSeconds(2))).toCompletableFuture().join();
 * }</pre>
 *
 * @param projection the projection that feeds the read model the query reads
 * @param position the global position it must have reached; {@code 0} is reached at once
 * @param timeout how long to wait before failing with {@link WaitTimeoutException}
 */
public record Consistency(ProjectionRunner projection, long position, Duration timeout) {

    public Consistency {
        Objects.requireNonNull(projection, "projection");
        if (position < 0) {
            throw new IllegalArgumentException("position must be >= 0, was " + position);
        }
        Futures.requireTimeout(timeout);
    }

    /** Wait until {@code projection} has reached {@code position}, at most {@code timeout}. */
    public static Consistency reached(ProjectionRunner projection, long position, Duration timeout) {
        return new Consistency(projection, position, timeout);
    }
}
