package dev.bulwark.saga;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.resilience.Clock;
import dev.bulwark.resilience.Scheduler;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executor;

/**
 * Builds and starts a {@link SagaOrchestrator}. Each setting may be given once; a bad value fails at once,
 * a missing or conflicting one at {@link #start()}.
 *
 * <pre>{@code
 * SagaOrchestrator orchestrator = SagaOrchestrator.builder()
 *     .store(store)
 *     .register(placeOrder)
 *     .executor(executor)                       // or .threads(8): a pool the orchestrator owns and closes
 *     .leaseDuration(Duration.ofSeconds(30))    // a dead node's sagas move on within lease + poll interval
 *     .pollInterval(Duration.ofSeconds(5))
 *     .start();
 * }</pre>
 */
public final class SagaOrchestratorBuilder {
    SagaStore store;
    final Map<String, SagaDefinition<?>> definitions = new LinkedHashMap<>();
    Executor executor;
    Integer threads;
    Scheduler scheduler;
    Clock clock;
    String nodeId;
    Duration leaseDuration;
    Duration pollInterval;
    Integer claimBatch;
    ObjectMapper objectMapper;
    Object meterRegistry;
    Duration shutdownTimeout;

    SagaOrchestratorBuilder() {}

    /** Where sagas are recorded. Required. */
    public SagaOrchestratorBuilder store(SagaStore store) {
        this.store = set(this.store, Objects.requireNonNull(store, "store"), "store");
        return this;
    }

    /**
     * Registers definitions this node can start and resume. Register every version that may still be in
     * flight: a saga whose version is missing here is parked DEFINITION_MISSING rather than run with another.
     *
     * @throws IllegalArgumentException if a definition with the same name and version is already registered
     */
    public SagaOrchestratorBuilder register(SagaDefinition<?>... definitions) {
        for (SagaDefinition<?> definition : definitions) {
            Objects.requireNonNull(definition, "definition");
            if (this.definitions.putIfAbsent(definition.key(), definition) != null) {
                throw new IllegalArgumentException("saga '" + definition.name() + "' version " + definition.version()
                        + " is already registered");
            }
        }
        return this;
    }

    /** Runs steps and store writes on the caller's executor, which the caller shuts down after {@link SagaOrchestrator#close()}. */
    public SagaOrchestratorBuilder executor(Executor executor) {
        this.executor = set(this.executor, Objects.requireNonNull(executor, "executor"), "executor");
        return this;
    }

    /**
     * Runs steps on a fixed pool of this many threads that the orchestrator creates in {@link #start()} and
     * shuts down in {@link SagaOrchestrator#close()}.
     *
     * @throws IllegalArgumentException if less than 1
     */
    public SagaOrchestratorBuilder threads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, was " + threads);
        }
        this.threads = set(this.threads, threads, "threads");
        return this;
    }

    /** Fires step and saga timeouts, polls and lease renewals (default {@link Scheduler#system()}). */
    public SagaOrchestratorBuilder scheduler(Scheduler scheduler) {
        this.scheduler = set(this.scheduler, Objects.requireNonNull(scheduler, "scheduler"), "scheduler");
        return this;
    }

    /** Time for leases, deadlines and history (default {@link Clock#system()}). */
    public SagaOrchestratorBuilder clock(Clock clock) {
        this.clock = set(this.clock, Objects.requireNonNull(clock, "clock"), "clock");
        return this;
    }

    /** This node's id as lease owner; unique per running orchestrator (default: a random one). */
    public SagaOrchestratorBuilder nodeId(String nodeId) {
        this.nodeId = set(this.nodeId, Ids.check("nodeId", nodeId), "nodeId");
        return this;
    }

    /** How long a node's claim on a saga lasts without renewal (default 30 s); renewed every third of it. */
    public SagaOrchestratorBuilder leaseDuration(Duration leaseDuration) {
        this.leaseDuration = set(this.leaseDuration, positive(leaseDuration, "leaseDuration"), "leaseDuration");
        return this;
    }

    /** How often the node looks for sagas to take over (default 5 s). */
    public SagaOrchestratorBuilder pollInterval(Duration pollInterval) {
        this.pollInterval = set(this.pollInterval, positive(pollInterval, "pollInterval"), "pollInterval");
        return this;
    }

    /** How many sagas one poll claims at most (default 32). */
    public SagaOrchestratorBuilder claimBatch(int claimBatch) {
        if (claimBatch < 1) {
            throw new IllegalArgumentException("claimBatch must be at least 1, was " + claimBatch);
        }
        this.claimBatch = set(this.claimBatch, claimBatch, "claimBatch");
        return this;
    }

    /** The Jackson mapper for saga data and outputs (default a plain one); default typing must be off. */
    public SagaOrchestratorBuilder objectMapper(ObjectMapper objectMapper) {
        this.objectMapper = set(this.objectMapper, Objects.requireNonNull(objectMapper, "objectMapper"), "objectMapper");
        return this;
    }

    /** Publishes saga and step meters to this Micrometer registry. */
    public SagaOrchestratorBuilder meterRegistry(MeterRegistry registry) {
        this.meterRegistry = set(this.meterRegistry, Objects.requireNonNull(registry, "registry"), "meterRegistry");
        return this;
    }

    /** How long {@link SagaOrchestrator#close()} waits for running steps (default 10 s). */
    public SagaOrchestratorBuilder shutdownTimeout(Duration shutdownTimeout) {
        this.shutdownTimeout = set(this.shutdownTimeout, positive(shutdownTimeout, "shutdownTimeout"), "shutdownTimeout");
        return this;
    }

    /**
     * Builds the orchestrator and starts it: it begins polling for sagas to resume.
     *
     * @throws IllegalStateException if no store, no definition, or not exactly one of executor and threads was given
     */
    public SagaOrchestrator start() {
        if (store == null) {
            throw new IllegalStateException("store is required: set store(...)");
        }
        if (definitions.isEmpty()) {
            throw new IllegalStateException("no saga definition is registered: call register(...)");
        }
        if (executor == null && threads == null) {
            throw new IllegalStateException("set executor(...) or threads(...): the orchestrator starts no thread unless told to");
        }
        if (executor != null && threads != null) {
            throw new IllegalStateException("executor and threads are exclusive: give one of them");
        }
        Orchestrator orchestrator = new Orchestrator(this, nodeId == null ? "node-" + UUID.randomUUID() : nodeId);
        orchestrator.open();
        return orchestrator;
    }

    SagaMetrics metrics() {
        return meterRegistry == null ? SagaMetrics.NONE : new MicrometerSagaMetrics((MeterRegistry) meterRegistry);
    }

    private static Duration positive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
        return value;
    }

    private static <T> T set(T current, T value, String name) {
        if (current != null) {
            throw new IllegalStateException(name + " was already set to " + current);
        }
        return value;
    }
}
