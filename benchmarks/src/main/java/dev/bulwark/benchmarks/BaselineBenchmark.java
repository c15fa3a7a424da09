package dev.bulwark.benchmarks;

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
 * The floor every other benchmark is read against: a direct call of a trivial supplier, with nothing
 * around it. A policy's overhead is its score's distance from this one in the same run.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar BaselineBenchmark -t 2}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BaselineBenchmark {
    private Supplier<Integer> supplier;
    private int value;

    @Setup
    public void setUp() {
        value = 42;
        supplier = () -> value;
    }

    @Benchmark
    public Integer direct() {
        return supplier.get();
    }
}
