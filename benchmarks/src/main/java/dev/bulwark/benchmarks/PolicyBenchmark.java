package dev.bulwark.benchmarks;

import dev.bulwark.resilience.Bulkhead;
import dev.bulwark.resilience.BulkheadConfig;
import dev.bulwark.resilience.RateLimiter;
import dev.bulwark.resilience.RateLimiterConfig;
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
 * Bulwark's policies against their peers, side by side, on the success path: each pair of methods runs a
 * trivial supplier through one policy of each library, configured alike. Each policy has its own
 * {@code @State} class holding both libraries' instances, shared by all benchmark threads (one policy
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

        @Setup
        public void setUp() {
            value = 42;
            supplier = () -> value;
        }
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
}
