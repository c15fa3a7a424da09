package dev.bulwark.benchmarks;

import dev.bulwark.resilience.CallNotPermittedException;
import dev.bulwark.resilience.CircuitBreaker;
import dev.bulwark.resilience.CircuitBreakerConfig;
import dev.bulwark.resilience.Outcome;
import dev.failsafe.CircuitBreakerOpenException;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.function.CheckedSupplier;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of a rejection: each breaker is OPEN (with an hour's wait, so it stays open for the whole run) and
 * refuses every call. {@code bulwarkOutcome} gets Bulwark's preallocated {@link Outcome.Rejected} from
 * {@code attempt}; {@code bulwarkThrow} catches its preallocated, stackless {@link CallNotPermittedException};
 * Resilience4j 2.4.0 and Failsafe 3.3.2 throw, with their default settings, and are caught.
 *
 * <p>Run (2 threads, with allocation per call):
 * {@code java -jar benchmarks/target/benchmarks.jar CircuitBreakerOpenBenchmark -t 2 -prof gc}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CircuitBreakerOpenBenchmark {
    private static final Duration OPEN_FOR = Duration.ofHours(1);

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

        bulwark = CircuitBreaker.of("bulwark", CircuitBreakerConfig.builder().waitDurationInOpenState(OPEN_FOR).build());
        bulwark.transitionToOpen();

        resilience4j = io.github.resilience4j.circuitbreaker.CircuitBreaker.of("resilience4j",
                io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.custom().waitDurationInOpenState(OPEN_FOR).build());
        resilience4j.transitionToOpenState();

        dev.failsafe.CircuitBreaker<Integer> failsafeBreaker = dev.failsafe.CircuitBreaker.<Integer>builder()
                .withFailureThreshold(50, 100).withDelay(OPEN_FOR).build();
        failsafeBreaker.open();
        failsafe = Failsafe.with(failsafeBreaker);
    }

    @Benchmark
    public Outcome<Integer> bulwarkOutcome() {
        return bulwark.attempt(supplier);
    }

    @Benchmark
    public Object bulwarkThrow() {
        try {
            return bulwark.call(supplier);
        } catch (CallNotPermittedException rejected) {
            return rejected;
        }
    }

    @Benchmark
    public Object resilience4j() {
        try {
            return resilience4j.executeSupplier(supplier);
        } catch (io.github.resilience4j.circuitbreaker.CallNotPermittedException rejected) {
            return rejected;
        }
    }

    @Benchmark
    public Object failsafe() {
        try {
            return failsafe.get(checkedSupplier);
        } catch (CircuitBreakerOpenException rejected) {
            return rejected;
        }
    }
}
