package dev.bulwark.benchmarks;

import dev.bulwark.resilience.Bulkhead;
import dev.bulwark.resilience.BulkheadConfig;
import dev.bulwark.resilience.CircuitBreaker;
import dev.bulwark.resilience.Pipeline;
import dev.bulwark.resilience.RateLimiter;
import dev.bulwark.resilience.RateLimiterConfig;
import dev.bulwark.resilience.Retry;
import dev.bulwark.resilience.RetryBackoff;
import dev.bulwark.resilience.RetryConfig;
import dev.failsafe.CircuitBreakerBuilder;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RetryPolicy;
import dev.failsafe.function.CheckedSupplier;
import io.github.resilience4j.decorators.Decorators;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Bulwark's policies against their peers, side by side, on the success path: each group of methods runs a
 * trivial supplier through one policy of each library, configured alike. Each policy has its own
 * {@code @State} class holding every library's instance, shared by all benchmark threads (one policy
 * instance protects one dependency and is shared by all its callers).
 *
 * <p>Run (two threads, as in the goal; add {@code -prof gc} for the allocation per call):
 * {@code java -jar benchmarks/target/benchmarks.jar PolicyBenchmark -t 2 -prof gc}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(2)
public class PolicyBenchmark {

    /** The call every policy protects: returns a cached value, so any allocation is the policy's. */
    @State(Scope.Benchmark)
    public static class Call {
        private int value;
        Supplier<Integer> supplier;
        CheckedSupplier<Integer> checkedSupplier;

        @Setup
        public void setUp() {
            value = 42;
            supplier = () -> value;
            checkedSupplier = () -> value;
        }
    }

    /** A retry of at most 3 attempts, 500 ms apart: the default of all three libraries, made explicit. */
    @State(Scope.Benchmark)
    public static class RetryState {
        Retry bulwark;
        io.github.resilience4j.retry.Retry resilience4j;
        FailsafeExecutor<Integer> failsafe;

        @Setup
        public void setUp() {
            bulwark = Retry.of("bench", RetryConfig.builder()
                    .maxAttempts(3)
                    .backoff(RetryBackoff.fixed(Duration.ofMillis(500)))
                    .build());
            resilience4j = io.github.resilience4j.retry.Retry.of("bench",
                    io.github.resilience4j.retry.RetryConfig.custom()
                            .maxAttempts(3)
                            .waitDuration(Duration.ofMillis(500))
                            .build());
            failsafe = Failsafe.with(RetryPolicy.<Integer>builder()
                    .withMaxAttempts(3)
                    .withDelay(Duration.ofMillis(500))
                    .build());
        }
    }

    @Benchmark
    public Integer retryBulwark(RetryState state, Call call) {
        return state.bulwark.call(call.supplier);
    }

    @Benchmark
    public Integer retryResilience4j(RetryState state, Call call) {
        return state.resilience4j.executeSupplier(call.supplier);
    }

    @Benchmark
    public Integer retryFailsafe(RetryState state, Call call) {
        return state.failsafe.get(call.checkedSupplier);
    }

    /** A bulkhead of 25 concurrent calls that does not wait, the default of both libraries. */
    @State(Scope.Benchmark)
    public static class BulkheadState {
        Bulkhead bulwark;
        io.github.resilience4j.bulkhead.Bulkhead resilience4j;

        @Setup
        public void setUp() {
            bulwark = Bulkhead.of("bench", BulkheadConfig.builder()
                    .maxConcurrentCalls(25)
                    .maxWait(Duration.ZERO)
                    .build());
            resilience4j = io.github.resilience4j.bulkhead.Bulkhead.of("bench",
                    io.github.resilience4j.bulkhead.BulkheadConfig.custom()
                            .maxConcurrentCalls(25)
                            .maxWaitDuration(Duration.ZERO)
                            .build());
        }
    }

    @Benchmark
    public Integer bulkheadBulwark(BulkheadState state, Call call) {
        return state.bulwark.call(call.supplier);
    }

    @Benchmark
    public Integer bulkheadResilience4j(BulkheadState state, Call call) {
        return state.resilience4j.executeSupplier(call.supplier);
    }

    /**
     * A rate limiter whose periods hold more permits than the benchmark can take (2^31 - 1 a second), so
     * every call is permitted and the success path is what is measured; no waiting.
     */
    @State(Scope.Benchmark)
    public static class RateLimiterState {
        RateLimiter bulwark;
        io.github.resilience4j.ratelimiter.RateLimiter resilience4j;

        @Setup
        public void setUp() {
            bulwark = RateLimiter.of("bench", RateLimiterConfig.builder()
                    .limitForPeriod(Integer.MAX_VALUE)
                    .limitRefreshPeriod(Duration.ofSeconds(1))
                    .timeout(Duration.ZERO)
                    .build());
            resilience4j = io.github.resilience4j.ratelimiter.RateLimiter.of("bench",
                    io.github.resilience4j.ratelimiter.RateLimiterConfig.custom()
                            .limitForPeriod(Integer.MAX_VALUE)
                            .limitRefreshPeriod(Duration.ofSeconds(1))
                            .timeoutDuration(Duration.ZERO)
                            .build());
        }
    }

    @Benchmark
    public Integer rateLimiterBulwark(RateLimiterState state, Call call) {
        return state.bulwark.call(call.supplier);
    }

    @Benchmark
    public Integer rateLimiterResilience4j(RateLimiterState state, Call call) {
        return state.resilience4j.executeSupplier(call.supplier);
    }

    /**
     * Retry (3 attempts, 500 ms apart) around a circuit breaker (count window of 100, each library's
     * defaults otherwise) around a bulkhead of 25 that does not wait: the composition users write most.
     * Bulwark passes the supplier through a pipeline built once; Resilience4j decorates it once with
     * {@code Decorators}; Failsafe composes with {@code Failsafe.with(retry, breaker, bulkhead)}.
     */
    @State(Scope.Benchmark)
    public static class PipelineState {
        Pipeline bulwark;
        Supplier<Integer> resilience4j;
        FailsafeExecutor<Integer> failsafe;

        @Setup
        public void setUp(Call call) {
            RetryState retry = new RetryState();
            retry.setUp();
            BulkheadState bulkhead = new BulkheadState();
            bulkhead.setUp();
            bulwark = Pipeline.of(retry.bulwark, CircuitBreaker.ofDefaults("bench"), bulkhead.bulwark);
            resilience4j = Decorators.ofSupplier(call.supplier)
                    .withBulkhead(bulkhead.resilience4j)
                    .withCircuitBreaker(io.github.resilience4j.circuitbreaker.CircuitBreaker.ofDefaults("bench"))
                    .withRetry(retry.resilience4j)
                    .decorate();
            CircuitBreakerBuilder<Integer> breaker = dev.failsafe.CircuitBreaker.builder();
            failsafe = Failsafe.with(
                    RetryPolicy.<Integer>builder().withMaxAttempts(3).withDelay(Duration.ofMillis(500)).build(),
                    breaker.withFailureThreshold(50, 100).build(),
                    dev.failsafe.Bulkhead.<Integer>builder(25).build());
        }
    }

    @Benchmark
    public Integer pipelineBulwark(PipelineState state, Call call) {
        return state.bulwark.call(call.supplier);
    }

    @Benchmark
    public Integer pipelineResilience4j(PipelineState state) {
        return state.resilience4j.get();
    }

    @Benchmark
    public Integer pipelineFailsafe(PipelineState state, Call call) {
        return state.failsafe.get(call.checkedSupplier);
    }
}
