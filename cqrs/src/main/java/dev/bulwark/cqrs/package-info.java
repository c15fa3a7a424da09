/**
 * CQRS on top of the event store: a command bus and a query bus with explicit interceptors,
 * event-sourced deciders loaded and saved through a repository with optimistic concurrency, and
 * projections that keep read models up to date from the global log with exactly-once effect.
 */
package dev.bulwark.cqrs;
