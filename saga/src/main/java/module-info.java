/**
 * Durable sagas written as Java builders.
 *
 * <p>The API package {@code dev.bulwark.saga} is exported once its first public type lands; until then the
 * module is deliberately empty.
 */
module dev.bulwark.saga {
    requires dev.bulwark.resilience;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;
    requires java.sql;
}
