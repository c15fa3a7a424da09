package dev.bulwark.cqrs;

/**
 * Answers the queries of one type, usually by reading a read model.
 *
 * <pre>{@code
 * QueryHandler<GetOrder, OrderView> handler = query -> orderViews.get(query.orderId());
 * }</pre>
 *
 * @param <Q> the query type
 * @param <R> the response type
 */
@FunctionalInterface
public interface QueryHandler<Q, R> {

    /** Answers one query. */
    R handle(Q query) throws Exception;
}
