/**
 * An event store: append events to streams with optimistic concurrency, read a stream to rebuild state, and
 * follow the global log from a checkpoint without ever skipping an event that committed late.
 *
 * <p>Entry points: {@link dev.bulwark.eventstore.EventStore} (the API), {@link dev.bulwark.eventstore.InMemoryEventStore}
 * and {@link dev.bulwark.eventstore.PostgresEventStore} (backends), {@link dev.bulwark.eventstore.EventTypeRegistry}
 * and {@link dev.bulwark.eventstore.EventSerializer} (stable type names, JSON, upcasting), and
 * {@link dev.bulwark.eventstore.EventStoreSettings}. Events are stored as versioned JSON and upcast on read.
 */
package dev.bulwark.eventstore;
