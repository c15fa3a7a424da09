package dev.bulwark.resilience;

import java.util.List;
import java.util.Objects;

/**
 * Carries thread-bound context (SLF4J's MDC, a tracing span, a security principal) from the thread that
 * starts a call to the threads that continue it: asynchronous retries, hedged attempts, timeouts that fire
 * on a scheduler thread, fallbacks that run where the failure was noticed, synchronous calls that a Timeout
 * or Hedge runs on an executor.
 *
 * <p>{@link #capture()} runs on the calling thread and returns an immutable {@link ContextSnapshot}; the
 * policy applies that snapshot around the work it runs elsewhere and restores what the other thread had
 * before. Register a propagator in a policy's config ({@code .contextPropagator(...)}) or on a
 * {@link Pipeline}, where it covers every policy of the pipeline.
 *
 * <pre>{@code
 * Retry retry = Retry.of("inventory", RetryConfig.builder()
 *         .contextPropagator(ContextPropagator.mdc())
 *         .build());
 * MDC.put("requestId", "r-42");
 * retry.callAsync(() -> client.fetchAsync(sku)); // every attempt logs with requestId=r-42
 * }</pre>
 *
 * <p>Implementations must be thread-safe; {@code capture()} is called once per asynchronous call, so it
 * should be cheap.
 */
@FunctionalInterface
public interface ContextPropagator {

    /** Takes a snapshot of the calling thread's context. */
    ContextSnapshot capture();

    /** Propagates nothing: the default of every policy. Its snapshot is a constant and costs nothing. */
    static ContextPropagator none() {
        return NoContextPropagator.INSTANCE;
    }

    /** Propagates SLF4J's {@link org.slf4j.MDC} map. */
    static ContextPropagator mdc() {
        return MdcContextPropagator.INSTANCE;
    }

    /**
     * Propagates with each of {@code propagators}; snapshots apply in the given order and are restored in
     * the reverse order.
     */
    static ContextPropagator of(ContextPropagator... propagators) {
        Objects.requireNonNull(propagators, "propagators");
        List<ContextPropagator> list = List.of(propagators); // rejects null elements
        if (list.isEmpty()) {
            return none();
        }
        if (list.size() == 1) {
            return list.get(0);
        }
        return () -> {
            ContextSnapshot[] snapshots = new ContextSnapshot[list.size()];
            for (int i = 0; i < snapshots.length; i++) {
                snapshots[i] = Objects.requireNonNull(list.get(i).capture(), "captured snapshot");
            }
            return ContextSnapshot.allOf(snapshots);
        };
    }
}

/** See {@link ContextPropagator#none()}. */
enum NoContextPropagator implements ContextPropagator {
    INSTANCE;

    @Override
    public ContextSnapshot capture() {
        return ContextSnapshot.empty();
    }

    @Override
    public String toString() {
        return "ContextPropagator.none()";
    }
}
