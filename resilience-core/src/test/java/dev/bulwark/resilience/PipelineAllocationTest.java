package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The success path of a synchronous call allocates nothing, through each policy and through a whole
 * pipeline. Measured with the JVM's per-thread allocation counter, so it holds even before the JIT compiler
 * would remove an allocation by escape analysis.
 */
class PipelineAllocationTest {
    private static final int CALLS = 20_000;
    private static final Integer VALUE = 42; // a cached box: the supplier itself allocates nothing

    private final ManualClock clock = new ManualClock();
    private final Supplier<Integer> supplier = () -> VALUE;

    /**
     * {@code com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes}, reached reflectively because
     * the module under test does not read java.management; null where the JVM does not offer it.
     */
    private static final Method ALLOCATED_BYTES;
    private static final Object THREAD_BEAN;

    static {
        Method method = null;
        Object bean = null;
        try {
            bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            method = Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes");
            method.invoke(bean);
        } catch (ReflectiveOperationException | RuntimeException unavailable) {
            method = null;
        }
        ALLOCATED_BYTES = method;
        THREAD_BEAN = bean;
    }

    private static long allocatedBytes() {
        try {
            return (Long) ALLOCATED_BYTES.invoke(THREAD_BEAN);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private long bytesPerThousandCalls(Policy policy) {
        for (int i = 0; i < CALLS; i++) { // warm up: first-use allocations (LongAdder cells, thread locals)
            policy.call(supplier);
        }
        long before = allocatedBytes();
        long sum = 0;
        for (int i = 0; i < CALLS; i++) {
            sum += policy.call(supplier);
        }
        long after = allocatedBytes();
        assertThat(sum).isEqualTo(42L * CALLS);
        return (after - before) * 1000 / CALLS;
    }

    @Test
    void aPipelineOfRetryTimeoutAndFallbackAllocatesNothingOnTheSuccessPath() {
        assumeTrue(ALLOCATED_BYTES != null, "this JVM does not count allocated bytes per thread");
        Pipeline pipeline = Pipeline.of(
                Fallback.ofValue("fallback", 0),
                Retry.of("retry", RetryConfig.builder().budget(RetryBudget.ofDefaults("budget")).clock(clock).build()),
                Timeout.of("timeout", TimeoutConfig.builder().timeout(Duration.ofSeconds(1)).clock(clock).build()));

        // the counter reading itself costs a few dozen bytes: well under one byte per call
        assertThat(bytesPerThousandCalls(pipeline)).isLessThan(100);
    }

    @Test
    void eachPolicyAloneAllocatesNothingOnTheSuccessPath() {
        assumeTrue(ALLOCATED_BYTES != null, "this JVM does not count allocated bytes per thread");

        assertThat(bytesPerThousandCalls(Retry.ofDefaults("retry"))).isLessThan(100);
        assertThat(bytesPerThousandCalls(Timeout.ofDefaults("timeout"))).isLessThan(100);
        assertThat(bytesPerThousandCalls(Fallback.ofValue("fallback", 0))).isLessThan(100);
        assertThat(bytesPerThousandCalls(CircuitBreaker.ofDefaults("breaker"))).isLessThan(100);
        assertThat(bytesPerThousandCalls(Bulkhead.ofDefaults("bulkhead"))).isLessThan(100);
        assertThat(bytesPerThousandCalls(RateLimiter.of("limiter", RateLimiterConfig.builder()
                .limitForPeriod(Integer.MAX_VALUE).limitRefreshPeriod(Duration.ofSeconds(1)).build()))).isLessThan(100);
    }

    @Test
    void aPipelineOfRetryBreakerAndBulkheadAllocatesNothingOnTheSuccessPath() {
        assumeTrue(ALLOCATED_BYTES != null, "this JVM does not count allocated bytes per thread");
        Pipeline pipeline = Pipeline.of(
                Retry.of("retry", RetryConfig.builder().clock(clock).build()),
                CircuitBreaker.of("breaker", CircuitBreakerConfig.builder().clock(clock).build()),
                Bulkhead.of("bulkhead", BulkheadConfig.builder().clock(clock).build()));

        assertThat(bytesPerThousandCalls(pipeline)).isLessThan(100);
    }

    @Test
    void theMeasurementSeesOneSmallObjectPerCall() {
        assumeTrue(ALLOCATED_BYTES != null, "this JVM does not count allocated bytes per thread");
        Policy allocating = Pipeline.of(Retry.ofDefaults("retry"));
        Policy boxing = new Policy() {
            private Outcome<?> last; // escapes, so the JIT cannot optimise the allocation away

            @Override
            public String name() {
                return "boxing";
            }

            @Override
            public <T> T call(Supplier<? extends T> supplier) {
                Outcome<T> outcome = allocating.attempt(supplier); // one Outcome.Success per call
                last = outcome;
                return outcome.getOrThrow();
            }

            @Override
            public <T> Outcome<T> attempt(Supplier<? extends T> supplier) {
                throw new UnsupportedOperationException();
            }

            @Override
            public <T> java.util.concurrent.CompletionStage<T> callAsync(
                    Supplier<? extends java.util.concurrent.CompletionStage<T>> supplier) {
                throw new UnsupportedOperationException();
            }
        };

        assertThat(bytesPerThousandCalls(boxing)).isGreaterThanOrEqualTo(10_000);
    }
}
