package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.resilience.CircuitBreaker.State;
import dev.bulwark.resilience.CircuitBreakerConfig.SlidingWindowType;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@code callAsync}: outcomes are recorded when the stage completes. */
class CircuitBreakerAsyncTest {
    private final ManualClock clock = new ManualClock();
    private final CircuitBreaker breaker = CircuitBreaker.of("quotes", CircuitBreakerConfig.builder().clock(clock)
            .slidingWindow(SlidingWindowType.COUNT_BASED, 2)
            .slowCallDurationThreshold(Duration.ofSeconds(1))
            .permittedNumberOfCallsInHalfOpenState(1)
            .build());

    @Test
    void aSuccessIsRecordedWhenTheStageCompletesWithItsDuration() {
        CompletableFuture<String> response = new CompletableFuture<>();

        CompletionStage<String> result = breaker.callAsync(() -> response);
        assertThat(breaker.snapshot().windowCalls()).as("still running").isZero();
        clock.advance(Duration.ofSeconds(2));
        response.complete("quote");

        assertThat(result.toCompletableFuture().join()).isEqualTo("quote");
        assertThat(breaker.snapshot().slowSuccessfulCalls()).as("it took 2 s").isEqualTo(1);
    }

    @Test
    void failuresAreRecordedAndPassedOn() {
        IllegalStateException down = new IllegalStateException("down");

        CompletionStage<String> first = breaker.callAsync(() -> CompletableFuture.failedFuture(down));
        CompletionStage<String> second = breaker.callAsync(() -> {
            throw down; // a supplier that throws instead of returning a stage is a failed call too
        });

        assertThatThrownBy(() -> first.toCompletableFuture().join()).isInstanceOf(CompletionException.class).hasCause(down);
        assertThatThrownBy(() -> second.toCompletableFuture().join()).hasCause(down);
        assertThat(breaker.state()).isEqualTo(State.OPEN);
        assertThat(breaker.snapshot().failedCalls()).isEqualTo(2);
    }

    @Test
    void anOpenBreakerReturnsARejectedStageWithoutCallingTheSupplier() {
        breaker.transitionToOpen();
        AtomicInteger calls = new AtomicInteger();

        CompletionStage<Integer> result = breaker.callAsync(() -> CompletableFuture.completedFuture(calls.incrementAndGet()));

        assertThatThrownBy(() -> result.toCompletableFuture().join()).hasCauseInstanceOf(CallNotPermittedException.class);
        assertThat(calls).hasValue(0);
    }

    @Test
    void aCancelledProbeGivesItsPermitBackWithoutCountingAsFailure() {
        breaker.transitionToHalfOpen();
        CompletableFuture<String> probe = new CompletableFuture<>();
        breaker.callAsync(() -> probe);
        assertThat(breaker.tryAcquirePermission()).isFalse();

        probe.cancel(true);

        assertThat(breaker.snapshot().ignoredCalls()).isEqualTo(1);
        assertThat(breaker.snapshot().failedCalls()).isZero();
        assertThat(breaker.tryAcquirePermission()).isTrue();
    }

    @Test
    void asynchronousProbesDecideTheHalfOpenRoundWhenTheyComplete() {
        breaker.transitionToOpen();
        clock.advance(Duration.ofSeconds(60));
        CompletableFuture<String> probe = new CompletableFuture<>();

        CompletionStage<String> result = breaker.callAsync(() -> probe);
        assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
        assertThat(breaker.callAsync(() -> CompletableFuture.completedFuture("second")).toCompletableFuture())
                .as("the single probe permit is taken").isCompletedExceptionally();
        probe.complete("healthy");

        assertThat(result.toCompletableFuture().join()).isEqualTo("healthy");
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void aFailedAsynchronousProbeReopensTheBreaker() {
        breaker.transitionToHalfOpen();
        CompletableFuture<String> probe = new CompletableFuture<>();
        breaker.callAsync(() -> probe);

        probe.completeExceptionally(new IllegalStateException("still down"));

        assertThat(breaker.state()).isEqualTo(State.OPEN);
    }

    @Test
    void decoratedAsyncSuppliersGoThroughTheBreaker() {
        var decorated = breaker.decorateAsync(() -> CompletableFuture.completedFuture("quote"));

        assertThat(decorated.get().toCompletableFuture().join()).isEqualTo("quote");
        assertThat(breaker.snapshot().successfulCalls()).isEqualTo(1);
    }
}
