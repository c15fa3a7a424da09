package dev.bulwark.examples;

import dev.bulwark.resilience.Bulkhead;
import dev.bulwark.resilience.BulkheadConfig;
import dev.bulwark.resilience.BulkheadFullException;
import dev.bulwark.resilience.CircuitBreaker;
import dev.bulwark.resilience.CircuitBreakerConfig;
import dev.bulwark.resilience.Pipeline;
import dev.bulwark.resilience.Retry;
import dev.bulwark.resilience.RetryBackoff;
import dev.bulwark.resilience.RetryBudget;
import dev.bulwark.resilience.RetryBudgetConfig;
import dev.bulwark.resilience.RetryConfig;
import dev.bulwark.resilience.Timeout;
import dev.bulwark.resilience.TimeoutConfig;
import dev.bulwark.resilience.TimeoutExceededException;
import java.time.Duration;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ExecutorService;

/**
 * The resilience policies that protect the calls to one remote service, and the two pipelines built from them:
 *
 * <pre>{@code
 * calls         = retry (with budget) ( breaker ( timeout ( bulkhead ( HTTP call ) ) ) )
 * compensations = patient retry        ( longer timeout  ( own bulkhead ( HTTP call ) ) )
 * }</pre>
 *
 * <ul>
 *   <li>The <b>timeout</b> bounds each attempt ({@value #TIMEOUT_MILLIS} ms), not the whole call: a slow answer is
 *       cut off and retried. It runs the call on an executor, so the thread blocked in the HTTP client is
 *       interrupted rather than left waiting. The bulkhead's wait for a permit counts against it.
 *   <li>The <b>bulkhead</b> lets at most {@value #MAX_CONCURRENT_CALLS} calls be in flight to the service, so a
 *       slow service ties up at most that many of the shop's threads and connections.
 *   <li>The <b>circuit breaker</b> sees every attempt of the forward calls. Timeouts and 5xx/no-answer failures
 *       count as failures; a 4xx is the service working as designed and counts as a success; a full bulkhead is
 *       the shop's own limit, not the service's health, and is ignored. Slowness needs no rule of its own: an
 *       answer slower than the timeout is a failure. Once half of the last 20 attempts failed, it opens: new orders
 *       fail fast at this step and are compensated, instead of queueing behind a sick service. It probes again
 *       after 0.5 s, then 1 s, then 2 s while probes keep failing.
 *   <li>The <b>retry</b> of forward calls tries 3 times with jittered backoff, but not when the breaker is open
 *       (failing fast is the point then), and only within a <b>retry budget</b> (retries may add 20% to the
 *       calls, plus 5 a second), so that a failing service does not also get a retry storm.
 *   <li><b>Compensations</b> (refund, cancel) must happen eventually, so they do not go through the breaker (an
 *       open breaker would refuse them, and hold a saga thread while it waits): their retry is patient instead,
 *       with exponential backoff up to 2 s, for up to two minutes, and not on the budget. No customer waits for
 *       them, so their timeout is {@value #COMPENSATION_TIMEOUT_MILLIS} ms: a slow service that would never answer
 *       within the forward calls' timeout still gets its refunds through. They have a bulkhead of their own
 *       ({@value #MAX_CONCURRENT_COMPENSATIONS} calls, waiting up to a second for a permit), so that a burst of
 *       refunds after an outage cannot take the permits the forward calls need.
 * </ul>
 *
 * <p>The policies are shared by every saga: one set per service, as a breaker only knows the health of a service
 * from all the calls made to it.
 */
public final class RemotePolicies {
    static final long TIMEOUT_MILLIS = 250;
    static final long COMPENSATION_TIMEOUT_MILLIS = 2000;
    static final int MAX_CONCURRENT_CALLS = 8;
    static final int MAX_CONCURRENT_COMPENSATIONS = 4;

    private final String service;
    private final Timeout timeout;
    private final Timeout compensationTimeout;
    private final Bulkhead bulkhead;
    private final Bulkhead compensationBulkhead;
    private final CircuitBreaker breaker;
    private final RetryBudget budget;
    private final Retry retry;
    private final Retry compensationRetry;
    private final Pipeline calls;
    private final Pipeline compensations;

    private RemotePolicies(String service, ExecutorService callExecutor, long seed) {
        this.service = Objects.requireNonNull(service, "service");
        Random random = new Random(seed);
        timeout = Timeout.of(service, TimeoutConfig.builder()
                .timeout(Duration.ofMillis(TIMEOUT_MILLIS))
                .executor(callExecutor)
                .build());
        compensationTimeout = Timeout.of(service + "-compensation", TimeoutConfig.builder()
                .timeout(Duration.ofMillis(COMPENSATION_TIMEOUT_MILLIS))
                .executor(callExecutor)
                .build());
        bulkhead = Bulkhead.of(service, BulkheadConfig.builder()
                .maxConcurrentCalls(MAX_CONCURRENT_CALLS)
                .maxWait(Duration.ofMillis(100))
                .build());
        compensationBulkhead = Bulkhead.of(service + "-compensation", BulkheadConfig.builder()
                .maxConcurrentCalls(MAX_CONCURRENT_COMPENSATIONS)
                .maxWait(Duration.ofSeconds(1))
                .build());
        breaker = CircuitBreaker.of(service, CircuitBreakerConfig.builder()
                .slidingWindow(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED, 20)
                .minimumNumberOfCalls(10)
                .failureRateThreshold(50)
                .permittedNumberOfCallsInHalfOpenState(3)
                .maxWaitDurationInHalfOpenState(Duration.ofSeconds(2))
                .exponentialBackoffInOpenState(Duration.ofMillis(500), 2.0, Duration.ofSeconds(2))
                .recordException(RemotePolicies::mayBeTransient)
                .ignoreExceptions(BulkheadFullException.class)
                .build());
        budget = RetryBudget.of(service, RetryBudgetConfig.builder()
                .ratio(0.2)
                .minRetriesPerSecond(5)
                .window(Duration.ofSeconds(10))
                .build());
        retry = Retry.of(service, RetryConfig.builder()
                .maxAttempts(3)
                .backoff(RetryBackoff.decorrelatedJitter(Duration.ofMillis(25), Duration.ofMillis(250)))
                .retryOn(failure -> mayBeTransient(failure) || failure instanceof BulkheadFullException)
                .budget(budget)
                .random(random::nextDouble)
                .build());
        compensationRetry = Retry.of(service + "-compensation", RetryConfig.builder()
                .maxAttempts(Integer.MAX_VALUE)
                .maxDuration(Duration.ofMinutes(2))
                .backoff(RetryBackoff.exponential(Duration.ofMillis(50), 2.0, Duration.ofSeconds(2)))
                .retryOn(failure -> !(failure instanceof RemoteServiceException remote && !remote.retryable()))
                .build());
        calls = Pipeline.builder().name(service + "-calls").add(retry).add(breaker).add(timeout).add(bulkhead).build();
        compensations = Pipeline.builder().name(service + "-compensations")
                .add(compensationRetry).add(compensationTimeout).add(compensationBulkhead).build();
    }

    /**
     * The policies for calls to {@code service}.
     *
     * @param callExecutor where the timeout runs calls so that it can interrupt them; the caller owns it
     * @param seed seeds the retries' jitter
     */
    public static RemotePolicies create(String service, ExecutorService callExecutor, long seed) {
        return new RemotePolicies(service, Objects.requireNonNull(callExecutor, "callExecutor"), seed);
    }

    /** No answer, a timeout or a 5xx: the service may do better next time. */
    static boolean mayBeTransient(Throwable failure) {
        return failure instanceof TimeoutExceededException
                || failure instanceof RemoteServiceException remote && remote.retryable();
    }

    /** The pipeline for forward calls (charge, book). */
    public Pipeline calls() {
        return calls;
    }

    /** The pipeline for compensations (refund, cancel). */
    public Pipeline compensations() {
        return compensations;
    }

    /** The service these policies guard. */
    public String service() {
        return service;
    }

    /** The breaker of forward calls. */
    public CircuitBreaker breaker() {
        return breaker;
    }

    /** The retry of forward calls, on the budget. */
    public Retry retry() {
        return retry;
    }

    /** The patient retry of compensations. */
    public Retry compensationRetry() {
        return compensationRetry;
    }

    /** The retry budget of forward calls. */
    public RetryBudget budget() {
        return budget;
    }

    /** The bulkhead of forward calls. */
    public Bulkhead bulkhead() {
        return bulkhead;
    }

    /** The per-attempt timeout of forward calls. */
    public Timeout timeout() {
        return timeout;
    }
}
