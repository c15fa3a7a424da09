/**
 * Sagas: distributed transactions written as Java builders, with a compensation per step, per-step
 * retries and timeouts, parallel groups and a pivot step. Every transition is recorded before the next
 * effect, in memory or in PostgreSQL, so any node can resume a saga that another node dropped.
 */
package dev.bulwark.saga;
