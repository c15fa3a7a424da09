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
     * Records a new saga instance under a random id (one write) and starts its first step.
     *
     * @param definition a registered definition, or one equal to it in shape (built again): it is looked up by
     *     name and version, and the registered one runs
     * @throws IllegalStateException if no definition of that name and version is registered, if the registered
     *     one differs in shape (the message names the difference), or if the orchestrator is closed
     * @throws SagaStoreException if the saga could not be recorded: it did not start
     */
    <D> SagaHandle<D> start(SagaDefinition<D> definition, D data);

    /**
     * Starts a saga under an id the caller chooses, at most once: if a saga with this id exists, on this node or
     * any other that shares the store, nothing starts and the handle follows that saga ({@link SagaHandle#created()}
     * is false, and its result completes when that saga ends or is parked). So a process manager that sees the same
     * event twice, or two nodes that race on it, start one saga; derive the id from the event's business key.
     * Costs the same one write as {@link #start(SagaDefinition, Object)}; a repeat costs a read.
     *
     * <pre>{@code
     * SagaHandle<Order> handle = orchestrator.start(placeOrder, "order-" + event.orderId(), order);
     * }</pre>
     *
     * @param sagaId not blank, no control characters, at most 200 characters; it begins every step's idempotency
     *     key ({@code sagaId + "/" + stepId})
     * @throws IllegalArgumentException if the id is blank, too long or has a control character
     * @throws IllegalStateException as for {@link #start(SagaDefinition, Object)}, or if the id is taken by a
     *     saga of another name
     * @throws SagaStoreException if the saga could not be recorded or looked up
     */
    <D> SagaHandle<D> start(SagaDefinition<D> definition, String sagaId, D data);

    /** Lists, inspects and repairs sagas in this orchestrator's store. */
    SagaOperator operator();

    /** The id this node writes as lease owner. */
    String nodeId();

    /** Stops claiming and renewing, waits (up to the shutdown timeout) for running steps, releases leases. */
    @Override
    void close();
}
