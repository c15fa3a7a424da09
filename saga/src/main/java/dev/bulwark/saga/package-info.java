/**
 * Sagas: distributed transactions written as Java builders, with a compensation per step, per-step
 * resilience policies and timeouts, parallel groups and a pivot step. Every transition is recorded before the
 * next effect, in memory or in PostgreSQL, so any node can resume a saga that another node dropped.
 *
 * <ul>
 *   <li>Define: {@link dev.bulwark.saga.Saga#define} returns a builder; {@code build()} checks the shape and
 *       yields an immutable, versioned {@link dev.bulwark.saga.SagaDefinition}.
 *   <li>Run: {@link dev.bulwark.saga.SagaOrchestrator#builder()} with a {@link dev.bulwark.saga.SagaStore},
 *       the definitions and an executor; {@code start(definition, data)} returns a
 *       {@link dev.bulwark.saga.SagaHandle}.
 *   <li>Look after: {@link dev.bulwark.saga.SagaOperator} lists, explains and repairs sagas.
 * </ul>
 *
 * <p>Guarantees: a step runs at least once and always with the same idempotency key (saga id and step id);
 * a step's completion, the next step's start and the history entry are one write, so a saga of n steps costs
 * n + 1 writes; a saga whose node died is claimed by another node within the lease duration plus the poll
 * interval, and writes of a node that lost its lease are refused.
 */
package dev.bulwark.saga;
