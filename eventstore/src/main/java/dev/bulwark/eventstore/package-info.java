/**
 * An event store: append events to streams with optimistic concurrency, read a stream to rebuild
 * state, and follow the global log from a checkpoint without ever skipping an event that committed
 * late. Backends are in-memory (for tests), an embedded durable journal in a directory, and
 * PostgreSQL for several nodes; events are stored as versioned JSON and upcast on read.
 */
package dev.bulwark.eventstore;
