package dev.bulwark.saga;

import java.util.Objects;

/**
 * The front door for defining sagas.
 *
 * <pre>{@code
 * SagaDefinition<Order> placeOrder = Saga.define("place-order", Order.class)
 *     .version(2)
 *     .timeout(Duration.ofMinutes(5))
 *     .step("reserve-stock")
 *         .action(ctx -> stock.reserve(ctx.idempotencyKey(), ctx.data().sku()))
 *         .compensation(ctx -> stock.release(ctx.idempotencyKey()))
 *         .policy(retry)
 *         .timeout(Duration.ofSeconds(2))
 *     .parallel(group -> group
 *         .step("book-hotel").action(ctx -> hotels.book(ctx.idempotencyKey())).compensation(ctx -> hotels.cancel(ctx.idempotencyKey()))
 *         .step("book-flight").action(ctx -> flights.book(ctx.idempotencyKey())).compensation(ctx -> flights.cancel(ctx.idempotencyKey())))
 *     .pivot("charge-card").action(Receipt.class, ctx -> payments.charge(ctx.idempotencyKey(), ctx.data().total()))
 *     .retriable("send-confirmation").action(ctx -> mail.confirm(ctx.idempotencyKey()))
 *     .build();
 * }</pre>
 */
public final class Saga {
    private Saga() {}

    /**
     * Starts the definition of a saga.
     *
     * @param name the saga's stable name: letters, digits, {@code . _ -}, at most 100 characters
     * @param dataType the record (or other Jackson-serialisable class) the steps read and replace; stored data
     *     is only ever read back as this type
     * @throws IllegalArgumentException if the name is not a valid id
     */
    public static <D> SagaBuilder<D> define(String name, Class<D> dataType) {
        Objects.requireNonNull(dataType, "dataType");
        return new SagaBuilder<>(Ids.check("saga name", name), dataType);
    }
}
