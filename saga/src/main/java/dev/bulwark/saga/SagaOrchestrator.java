package dev.bulwark.saga;

/**
 * Runs sagas: records each one in a {@link SagaStore}, drives its steps on the executor it was given, and
 * resumes sagas that another node (or an earlier run of this one) dropped.
 *
 * <pre>{@code
 * try (SagaOrchestrator orchestrator = SagaOrchestrator.builder()
 *         .store(PostgresSagaStore.builder(dataSource).build())
 *         .register(placeOrder)
 *         .threads(8)
 *         .start()) {
 *     SagaHandle<Order> handle = orchestrator.start(placeOrder, order);
 *     SagaResult<Order> result = handle.result().toCompletableFuture().join();
 * }
 * }</pre>
 *
 * <p>Lifecycle: the builder's {@code start()} begins claiming work (sagas whose lease expired) and renewing
 * the leases of the sagas this node runs; {@link #close()} stops both, lets running steps finish and record,
 * and releases the leases so other nodes take over at once. Thread-safe.
 */
public interface SagaOrchestrator extends AutoCloseable {

    /** Starts building an orchestrator. */
    static SagaOrchestratorBuilder builder() {
        return new SagaOrchestratorBuilder();
    }

    /**
     * Records a new saga instance (one write) and starts its first step.
     *
     * @throws IllegalStateException if the definition is not registered or the orchestrator is closed
     * @throws SagaStoreException if the saga could not be recorded: it did not start
     */
    <D> SagaHandle<D> start(SagaDefinition<D> definition, D data);

    /** Lists, inspects and repairs sagas in this orchestrator's store. */
    SagaOperator operator();

    /** The id this node writes as lease owner. */
    String nodeId();

    /** Stops claiming and renewing, waits (up to the shutdown timeout) for running steps, releases leases. */
    @Override
    void close();
}
