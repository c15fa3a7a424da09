package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.resilience.CircuitBreaker.State;
import dev.bulwark.resilience.CircuitBreakerConfig.SlidingWindowType;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The breaker as a stage of a {@link Pipeline}: inside a retry it sees, and counts, every attempt. */
class CircuitBreakerPipelineTest {
    private final ManualClock clock = new ManualClock();
    private final CircuitBreaker breaker = CircuitBreaker.of("inventory", CircuitBreakerConfig.builder().clock(clock)
            .slidingWindow(SlidingWindowType.COUNT_BASED, 4)
            .build());
    private final Retry retry = Retry.of("inventory", RetryConfig.builder().maxAttempts(3).clock(clock)
            .scheduler(clock).build());

    @Test
    void insideARetryTheBreakerRecordsEachAttempt() {
        Pipeline pipeline = Pipeline.of(retry, breaker);
        AtomicInteger attempts = new AtomicInteger();

        String value = pipeline.call(() -> {
            if (attempts.incrementAndGet() < 3) {
                throw new IllegalStateException("flaky");
            }
            return "in stock";
        });

        assertThat(value).isEqualTo("in stock");
        CircuitBreakerSnapshot snapshot = breaker.snapshot();
        assertThat(snapshot.failedCalls()).isEqualTo(2);
        assertThat(snapshot.successfulCalls()).isEqualTo(1);
        assertThat(snapshot.windowCalls()).isEqualTo(3);
    }

    @Test
    void anOpenBreakerInsideAPipelineRejectsWithoutRunningTheCall() {
        breaker.transitionToForcedOpen();
        AtomicInteger runs = new AtomicInteger();

        assertThatThrownBy(() -> Pipeline.of(breaker).call(runs::incrementAndGet))
                .isInstanceOf(CallNotPermittedException.class);
        assertThat(Pipeline.of(breaker).attempt(runs::incrementAndGet)).isInstanceOf(Outcome.Rejected.class);
        assertThat(runs).hasValue(0);
    }

    @Test
    void asynchronousAttemptsThroughARetryAreRecordedToo() {
        Pipeline pipeline = Pipeline.of(retry, breaker);
        AtomicInteger attempts = new AtomicInteger();

        CompletableFuture<String> result = pipeline.<String>callAsync(() -> attempts.incrementAndGet() < 3
                ? CompletableFuture.failedFuture(new IllegalStateException("flaky"))
                : CompletableFuture.completedFuture("in stock")).toCompletableFuture();
        clock.advance(Duration.ofMinutes(1)); // runs the scheduled retries

        assertThat(result.join()).isEqualTo("in stock");
        assertThat(breaker.snapshot().failedCalls()).isEqualTo(2);
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
    }
}
