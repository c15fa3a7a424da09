package dev.bulwark.resilience;

import java.time.Duration;
import java.time.Instant;

/**
 * What a {@link Retry} did, delivered to listeners registered with {@link Retry#onEvent}. Events are built
 * only while a listener is registered.
 *
 * <pre>{@code
 * retry.onEvent(event -> {
 *     if (event instanceof RetryEvent.BudgetExhausted exhausted) {
 *         log.warn("retry budget spent after {} attempts", exhausted.attempts());
 *     }
 * });
 * }</pre>
 */
public sealed interface RetryEvent {

    /** The name of the retry. */
    String policyName();

    /** When it happened, by the retry's clock. */
    Instant timestamp();

    /** Attempts made so far in this call. */
    int attempts();

    /** Why a retry gave up while the failure was still retryable. */
    enum Reason {
        /** {@code maxAttempts} were made. */
        MAX_ATTEMPTS,
        /** The next retry would start after {@code maxDuration}. */
        MAX_DURATION,
        /** The next retry would start after the deadline of an enclosing {@link Timeout}. */
        DEADLINE,
        /** The failure matched {@code abortOn}. */
        ABORTED,
        /** The thread was interrupted, or the asynchronous call cancelled, while waiting. */
        INTERRUPTED
    }

    /**
     * A retry is about to wait {@code delay} and try again.
     *
     * @param cause the failure retried, or {@code null} when a result was retried
     */
    record Retrying(String policyName, Instant timestamp, int attempts, Duration delay, Throwable cause)
            implements RetryEvent {}

    /** The call succeeded after at least one retry. */
    record Succeeded(String policyName, Instant timestamp, int attempts) implements RetryEvent {}

    /**
     * The retry gave up; the last failure (or result) is what the call ends with.
     *
     * @param lastFailure the last failure, or {@code null} when the last attempt returned a retryable result
     */
    record Exhausted(String policyName, Instant timestamp, int attempts, Reason reason, Throwable lastFailure)
            implements RetryEvent {}

    /**
     * The shared {@link RetryBudget} refused a retry; the last failure (or result) is what the call ends with.
     *
     * @param budgetName the name of the budget
     * @param lastFailure the last failure, or {@code null} when the last attempt returned a retryable result
     */
    record BudgetExhausted(String policyName, Instant timestamp, int attempts, String budgetName,
            Throwable lastFailure) implements RetryEvent {}
}
