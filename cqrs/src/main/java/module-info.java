/**
 * Command and query buses, deciders and projections.
 *
 * <p>The API package {@code dev.bulwark.cqrs} is exported once its first public type lands; until then the
 * module is deliberately empty.
 */
module dev.bulwark.cqrs {
    requires dev.bulwark.eventstore;
    requires dev.bulwark.resilience;
}
