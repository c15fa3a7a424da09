package dev.bulwark.resilience;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;

/**
 * Publishes a {@link Retry}'s counts to Micrometer (an optional dependency: only this class needs it).
 *
 * <ul>
 *   <li>{@code bulwark.retry.calls{name, kind}}: calls by how they ended, {@code kind} one of
 *       {@code successful_without_retry}, {@code successful_with_retry}, {@code failed_without_retry},
 *       {@code failed_with_retry};
 *   <li>{@code bulwark.retry.retries{name, kind}}: {@code kind=made} for retries made,
 *       {@code kind=budget_exhausted} for retries the budget refused.
 * </ul>
 *
 * <pre>{@code
 * AutoCloseable meters = RetryMetrics.bind(retry, registry);
 * // ... meters.close() removes them again
 * }</pre>
 */
public final class RetryMetrics {
    private RetryMetrics() {}

    /** Registers the retry's meters; closing the result removes them. */
    public static AutoCloseable bind(Retry retry, MeterRegistry registry) {
        Objects.requireNonNull(retry, "retry");
        String calls = "bulwark.retry.calls";
        String retries = "bulwark.retry.retries";
        return new PipelineMeters(registry, retry.name())
                .counter(calls, "successful_without_retry", "Calls through the retry, by how they ended",
                        retry, r -> r.metrics().successfulWithoutRetry())
                .counter(calls, "successful_with_retry", "Calls through the retry, by how they ended",
                        retry, r -> r.metrics().successfulWithRetry())
                .counter(calls, "failed_without_retry", "Calls through the retry, by how they ended",
                        retry, r -> r.metrics().failedWithoutRetry())
                .counter(calls, "failed_with_retry", "Calls through the retry, by how they ended",
                        retry, r -> r.metrics().failedWithRetry())
                .counter(retries, "made", "Retries, made or refused by the budget", retry, r -> r.metrics().retries())
                .counter(retries, "budget_exhausted", "Retries, made or refused by the budget",
                        retry, r -> r.metrics().budgetExhausted());
    }
}
