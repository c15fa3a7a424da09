/**
 * Event store: append, read and subscribe to event streams.
 *
 * <p>The API package {@code dev.bulwark.eventstore} is exported once its first public type lands; until then the
 * module is deliberately empty.
 */
module dev.bulwark.eventstore {
    requires dev.bulwark.resilience;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;
    requires java.sql;
    requires static org.postgresql.jdbc;
}
