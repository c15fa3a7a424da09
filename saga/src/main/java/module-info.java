/**
 * Durable sagas written as Java builders: {@link dev.bulwark.saga.Saga#define} for definitions,
 * {@link dev.bulwark.saga.SagaOrchestrator} to run them, an in-memory or PostgreSQL store. Micrometer is
 * optional and only needed for metrics.
 */
module dev.bulwark.saga {
    requires dev.bulwark.resilience;
    requires transitive com.fasterxml.jackson.databind;
    requires org.slf4j;
    requires transitive java.sql;
    requires static micrometer.core;

    exports dev.bulwark.saga;
}
