package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The composition users write most, with every policy real: fallback(retry(breaker(bulkhead(call)))).
 * A dependency that fails opens the breaker; from then on calls are rejected before they reach the
 * dependency, retries stop at their limit, and the fallback answers; sync and async alike.
 */
class PipelineCompositionTest {
    private final ManualClock clock = new ManualClock();
    private final AtomicInteger dependencyCalls = new AtomicInteger();

    private final CircuitBreaker breaker = CircuitBreaker.of("payments", CircuitBreakerConfig.builder()
            .slidingWindow(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED, 4)
            .minimumNumberOfCalls(4)
            .failureRateThreshold(50)
            .waitDurationInOpenState(Duration.ofSeconds(30))
            .clock(clock)
            .build());
    private final Pipeline pipeline = Pipeline.of(
            Fallback.ofValue("cached", "cached price"),
            Retry.of("retry", RetryConfig.builder()
                    .maxAttempts(3)
                    .backoff(RetryBackoff.fixed(Duration.ofMillis(100)))
                    .clock(clock)
                    .scheduler(clock)
                    .build()),
            breaker,
            Bulkhead.of("bulkhead", BulkheadConfig.builder().maxConcurrentCalls(2).clock(clock).build()));

    private final Supplier<String> failing = () -> {
        dependencyCalls.incrementAndGet();
        throw new IllegalStateException("payments down");
    };

    @Test
    void aFailingDependencyOpensTheBreakerAndTheFallbackAnswersWithoutCallingIt() {
        // 2 calls x 3 attempts: the breaker opens after the 4th failure, the rest are rejected
        assertThat(pipeline.call(failing)).isEqualTo("cached price");
        assertThat(pipeline.call(failing)).isEqualTo("cached price");

        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(dependencyCalls).hasValue(4);

        assertThat(pipeline.call(failing)).isEqualTo("cached price");
        assertThat(dependencyCalls).as("an open breaker keeps the dependency out of reach").hasValue(4);
    }

    @Test
    void aHealthyDependencyPassesThroughEveryLayer() {
        assertThat(pipeline.call(() -> "live price")).isEqualTo("live price");
        assertThat(pipeline.attempt(() -> "live price")).isEqualTo(Outcome.success("live price"));
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void asynchronousCallsComposeTheSameWay() {
        Supplier<CompletableFuture<String>> failingAsync = () -> {
            dependencyCalls.incrementAndGet();
            return CompletableFuture.failedFuture(new IllegalStateException("payments down"));
        };

        CompletableFuture<String> first = pipeline.callAsync(failingAsync).toCompletableFuture();
        clock.advance(Duration.ofSeconds(1)); // the retry's backoffs run on the manual scheduler
        CompletableFuture<String> second = pipeline.callAsync(failingAsync).toCompletableFuture();
        clock.advance(Duration.ofSeconds(1));

        assertThat(first).isCompletedWithValue("cached price");
        assertThat(second).isCompletedWithValue("cached price");
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(dependencyCalls).hasValue(4);

        CompletableFuture<String> third = pipeline.callAsync(failingAsync).toCompletableFuture();
        clock.advance(Duration.ofSeconds(1));
        assertThat(third).isCompletedWithValue("cached price");
        assertThat(dependencyCalls).hasValue(4);
    }

    @Test
    void afterTheOpenWaitAProbeThatSucceedsClosesTheBreakerAgain() {
        pipeline.call(failing);
        pipeline.call(failing);
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);

        clock.advance(Duration.ofSeconds(30));
        for (int i = 0; i < breaker.config().permittedNumberOfCallsInHalfOpenState(); i++) {
            assertThat(pipeline.call(() -> "live price")).isEqualTo("live price");
        }

        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }
}
