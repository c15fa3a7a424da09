/**
 * Resilience policies for remote calls.
 *
 * <p>The API package {@code dev.bulwark.resilience} is exported once its first public type lands; until then the
 * module is deliberately empty.
 */
module dev.bulwark.resilience {
    requires org.slf4j;
    requires static micrometer.core;
}
