/**
 * CQRS on top of the event store: the side that changes state (commands, decided against an aggregate's history)
 * and the side that answers questions (read models kept up to date by projections), with explicit code and no
 * annotation scanning.
 *
 * <p>Entry points:
 * <ul>
 *   <li>{@link dev.bulwark.cqrs.CommandBus}: one handler per command type, interceptors in a stated order,
 *       deduplication by command id;
 *   <li>{@link dev.bulwark.cqrs.Decider} and {@link dev.bulwark.cqrs.EventSourcedRepository}: aggregates as pure
 *       functions, stored as event streams with optimistic concurrency, conflict retries and snapshots; tested with
 *       {@link dev.bulwark.cqrs.DeciderFixture};
 *   <li>{@link dev.bulwark.cqrs.ProjectionRunner}: follows the global log into an in-memory or a JDBC read model,
 *       exactly once, with parking of failing events and one active runner per projection across nodes;
 *   <li>{@link dev.bulwark.cqrs.QueryBus}: point-to-point, scatter-gather and subscription queries, and
 *       read-your-writes through {@link dev.bulwark.cqrs.Consistency}.
 * </ul>
 */
package dev.bulwark.cqrs;
