package dev.bulwark.benchmarks;

import dev.bulwark.resilience.CircuitBreaker;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.function.CheckedSupplier;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of a closed circuit breaker around a trivial call, side by side: no breaker ({@code direct}),
 * Bulwark, Resilience4j 2.4.0 and Failsafe 3.3.2, each with its default configuration and a count-based window
 * of 100 calls (Failsafe: a threshold of 50 failures out of 100 executions). All threads share one breaker,
 * as the callers of one dependency do; with several threads this measures contention on the breaker's state.
 *
 * <p>Run (2 threads, with allocation per call):
 * {@code java -jar benchmarks/target/benchmarks.jar CircuitBreakerBenchmark -t 2 -prof gc}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CircuitBreakerBenchmark {
    private int value;
    private Supplier<Integer> supplier;
    private CheckedSupplier<Integer> checkedSupplier;
    private CircuitBreaker bulwark;
    private io.github.resilience4j.circuitbreaker.CircuitBreaker resilience4j;
    private FailsafeExecutor<Integer> failsafe;

    @Setup
    public void setUp() {
        value = 42;
        supplier = () -> value;
        checkedSupplier = () -> value;
        bulwark = CircuitBreaker.ofDefaults("bulwark");
        resilience4j = io.github.resilience4j.circuitbreaker.CircuitBreaker.ofDefaults("resilience4j");
        failsafe = Failsafe.with(dev.failsafe.CircuitBreaker.<Integer>builder().withFailureThreshold(50, 100).build());
    }

    @Benchmark
    public Integer direct() {
        return supplier.get();
    }

    @Benchmark
    public Integer bulwark() {
        return bulwark.call(supplier);
    }

    @Benchmark
    public Integer resilience4j() {
        return resilience4j.executeSupplier(supplier);
    }

    @Benchmark
    public Integer failsafe() {
        return failsafe.get(checkedSupplier);
    }
}
