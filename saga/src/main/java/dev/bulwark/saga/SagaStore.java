package dev.bulwark.saga;

/**
 * Where saga instances and their step history live: {@link InMemorySagaStore} for tests and a single
 * process, {@link PostgresSagaStore} when several nodes share the work.
 *
 * <pre>{@code
 * SagaStore store = PostgresSagaStore.builder(dataSource).build();
 * }</pre>
 */
public abstract sealed class SagaStore permits InMemorySagaStore, PostgresSagaStore {

    SagaStore() {}

    abstract Journal journal();
}
