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
 *       {@link dev.bulwark.saga.SagaHandle}, and {@code start(definition, sagaId, data)} starts a saga at most
 *       once per id, on every node that shares the store.
 *   <li>Learn why: a {@link dev.bulwark.saga.SagaResult} carries a {@link dev.bulwark.saga.SagaFailure} (the
 *       failed step, its exception's type and message), and a compensation sees it on its context.
 *   <li>Look after: {@link dev.bulwark.saga.SagaOperator} lists, explains and repairs sagas.
 * </ul>
 *
 * <p>What is compensated: every step that completed, and every step that may have taken effect: one that timed
 * out or was abandoned, and one whose action failed in a way that hides an effect
 * ({@link dev.bulwark.saga.StepOutcomeUnknownException}, a resilience {@code Timeout} that cut the call off, or
 * any failure of a step marked {@link dev.bulwark.saga.StepBuilder#compensateOnFailure()}). A step that failed
 * plainly is taken to have had no effect.
 *
 * <p>Guarantees: a step runs at least once and always with the same idempotency key (saga id and step id);
 * a step's completion, the next step's start and the history entry are one write, so a saga of n steps costs
 * n + 1 writes; a saga whose node died is claimed by another node within the lease duration plus the poll
 * interval, and writes of a node that lost its lease are refused.
 */
package dev.bulwark.saga;
