/**
 * Command and query buses, event-sourced deciders and projections, on top of the event store.
 *
 * <p>The only exported package is {@code dev.bulwark.cqrs}; its implementation classes are package-private.
 * Micrometer is optional: only {@code ProjectionMetrics} needs it. JDBC projections need a JDBC driver for
 * PostgreSQL at run time.
 */
module dev.bulwark.cqrs {
    requires transitive dev.bulwark.eventstore;
    requires transitive dev.bulwark.resilience;
    requires transitive java.sql;
    requires org.slf4j;
    requires static micrometer.core;

    exports dev.bulwark.cqrs;
}
