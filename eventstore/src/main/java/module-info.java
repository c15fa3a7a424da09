/**
 * Event store: append, read and subscribe to event streams, in memory or in PostgreSQL.
 *
 * <p>The only exported package is {@code dev.bulwark.eventstore}; every implementation class in it is
 * package-private. The PostgreSQL driver is optional: it is needed only by {@code PostgresEventStore}.
 */
module dev.bulwark.eventstore {
    requires transitive dev.bulwark.resilience;
    requires transitive com.fasterxml.jackson.databind;
    requires transitive java.sql;
    requires org.slf4j;
    requires static org.postgresql.jdbc;

    exports dev.bulwark.eventstore;
}
