package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.resilience.CircuitBreaker.State;
import dev.bulwark.resilience.CircuitBreakerConfig.SlidingWindowType;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Closed and open behaviour, thresholds, windows and the synchronous call shapes. */
class CircuitBreakerTest {
    private final ManualClock clock = new ManualClock();

    private CircuitBreaker breaker(Function<CircuitBreakerConfig.Builder, CircuitBreakerConfig.Builder> settings) {
        return CircuitBreaker.of("payments", settings.apply(CircuitBreakerConfig.builder().clock(clock)).build());
    }

    private static void fail(CircuitBreaker breaker) {
        Outcome<Object> outcome = breaker.attempt(() -> {
            throw new IllegalStateException("down");
        });
        assertThat(outcome).isInstanceOf(Outcome.Failure.class);
    }

    private static void succeed(CircuitBreaker breaker) {
        assertThat(breaker.call(() -> "ok")).isEqualTo("ok");
    }

    private Supplier<String> takes(Duration duration) {
        return () -> {
            clock.advance(duration);
            return "slow";
        };
    }

    @Test
    void aClosedBreakerRunsTheCallAndReturnsItsValue() {
        CircuitBreaker breaker = CircuitBreaker.ofDefaults("payments");

        assertThat(breaker.call(() -> 42)).isEqualTo(42);
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        assertThat(breaker.name()).isEqualTo("payments");
        assertThat(breaker.snapshot().successfulCalls()).isEqualTo(1);
    }

    @Test
    void aThrownFailurePassesThroughUnchanged() {
        CircuitBreaker breaker = breaker(b -> b);
        IllegalStateException down = new IllegalStateException("down");

        assertThatThrownBy(() -> breaker.call(() -> {
            throw down;
        })).isSameAs(down);
        assertThat(breaker.snapshot().failedCalls()).isEqualTo(1);
    }

    @Test
    void opensWhenTheFailureRateReachesTheThresholdOnceTheMinimumIsRecorded() {
        CircuitBreaker breaker = breaker(b -> b.slidingWindow(SlidingWindowType.COUNT_BASED, 10)
                .minimumNumberOfCalls(4).failureRateThreshold(50));

        fail(breaker);
        fail(breaker);
        fail(breaker);
        assertThat(breaker.state()).as("3 calls are below the minimum of 4").isEqualTo(State.CLOSED);
        assertThat(breaker.snapshot().failureRate()).isEqualTo(-1);

        succeed(breaker);

        assertThat(breaker.state()).as("3 of 4 failed: 75% >= 50%").isEqualTo(State.OPEN);
        assertThat(breaker.snapshot().failureRate()).isEqualTo(75.0);
    }

    @Test
    void staysClosedWhileTheFailureRateIsBelowTheThreshold() {
        CircuitBreaker breaker = breaker(b -> b.slidingWindow(SlidingWindowType.COUNT_BASED, 10)
                .minimumNumberOfCalls(10).failureRateThreshold(50));

        for (int i = 0; i < 6; i++) {
            succeed(breaker);
        }
        for (int i = 0; i < 4; i++) {
            fail(breaker);
        }

        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        assertThat(breaker.snapshot().failureRate()).isEqualTo(40.0);
    }

    @Test
    void opensWhenTheSlowCallRateReachesItsThreshold() {
        CircuitBreaker breaker = breaker(b -> b.slidingWindow(SlidingWindowType.COUNT_BASED, 4)
                .slowCallDurationThreshold(Duration.ofSeconds(1)).slowCallRateThreshold(50));

        breaker.call(takes(Duration.ofSeconds(2)));
        succeed(breaker);
        breaker.call(takes(Duration.ofSeconds(1))); // exactly the threshold is not slow
        assertThat(breaker.state()).isEqualTo(State.CLOSED);

        breaker.call(takes(Duration.ofSeconds(3)));

        assertThat(breaker.state()).isEqualTo(State.OPEN);
        CircuitBreakerSnapshot snapshot = breaker.snapshot();
        assertThat(snapshot.slowCallRate()).isEqualTo(50.0);
        assertThat(snapshot.slowSuccessfulCalls()).isEqualTo(2);
        assertThat(snapshot.successfulCalls()).isEqualTo(2);
    }

    @Test
    void aCountWindowKeepsOnlyTheLastCalls() {
        CircuitBreaker breaker = breaker(b -> b.slidingWindow(SlidingWindowType.COUNT_BASED, 5)
                .failureRateThreshold(100));

        for (int i = 0; i < 4; i++) {
            fail(breaker);
        }
        for (int i = 0; i < 5; i++) {
            succeed(breaker);
        }

        assertThat(breaker.snapshot().windowCalls()).isEqualTo(5);
        assertThat(breaker.snapshot().windowFailedCalls()).as("the failures slid out").isZero();
        assertThat(breaker.snapshot().failedCalls()).as("but are still counted since creation").isEqualTo(4);
    }

    @Test
    void aTimeWindowForgetsCallsOlderThanItsSeconds() {
        CircuitBreaker breaker = breaker(b -> b.slidingWindow(SlidingWindowType.TIME_BASED, 10)
                .minimumNumberOfCalls(3).failureRateThreshold(60));

        fail(breaker);
        fail(breaker);
        clock.advance(Duration.ofSeconds(10));
        assertThat(breaker.snapshot().windowCalls()).as("ten seconds later they left the window").isZero();

        fail(breaker);
        succeed(breaker);
        succeed(breaker);

        assertThat(breaker.state()).as("1 of 3 in the window failed").isEqualTo(State.CLOSED);
        assertThat(breaker.snapshot().failureRate()).isCloseTo(33.3, org.assertj.core.data.Offset.offset(0.1));
    }

    @Test
    void aTimeWindowOpensOnFailuresSpreadOverItsSeconds() {
        CircuitBreaker breaker = breaker(b -> b.slidingWindow(SlidingWindowType.TIME_BASED, 10)
                .minimumNumberOfCalls(3).failureRateThreshold(100));

        fail(breaker);
        clock.advance(Duration.ofSeconds(4));
        fail(breaker);
        clock.advance(Duration.ofSeconds(5));
        fail(breaker);

        assertThat(breaker.state()).isEqualTo(State.OPEN);
    }

    @Test
    void anOpenBreakerRejectsWithAStacklessExceptionNamingItAndItsState() {
        CircuitBreaker breaker = breaker(b -> b);
        breaker.transitionToOpen();
        AtomicInteger runs = new AtomicInteger();

        Throwable first = org.assertj.core.api.Assertions.catchThrowable(() -> breaker.call(runs::incrementAndGet));
        Throwable second = org.assertj.core.api.Assertions.catchThrowable(() -> breaker.call(runs::incrementAndGet));

        assertThat(runs).hasValue(0);
        assertThat(first).isInstanceOf(CallNotPermittedException.class)
                .hasMessage("circuit breaker 'payments' is OPEN and permits no calls until its wait is over");
        assertThat(first.getStackTrace()).isEmpty();
        assertThat(second).as("the rejection is preallocated").isSameAs(first);
        CallNotPermittedException rejection = (CallNotPermittedException) first;
        assertThat(rejection.policyName()).isEqualTo("payments");
        assertThat(rejection.state()).isEqualTo(State.OPEN);
        assertThat(breaker.snapshot().notPermittedCalls()).isEqualTo(2);
    }

    @Test
    void attemptReturnsAPreallocatedRejectedOutcomeInsteadOfThrowing() {
        CircuitBreaker breaker = breaker(b -> b);
        breaker.transitionToOpen();

        Outcome<String> first = breaker.attempt(() -> "never");
        Outcome<Integer> second = breaker.attempt(() -> 1);

        assertThat(first).isInstanceOf(Outcome.Rejected.class);
        assertThat((Object) second).isSameAs(first);
        assertThat(((Outcome.Rejected<String>) first).rejection()).isInstanceOf(CallNotPermittedException.class);
    }

    @Test
    void attemptReportsSuccessAndFailureAsOutcomes() {
        CircuitBreaker breaker = breaker(b -> b);
        RuntimeException down = new RuntimeException("down");

        assertThat(breaker.attempt(() -> "ok")).isEqualTo(Outcome.success("ok"));
        assertThat(breaker.attempt(() -> {
            throw down;
        })).isEqualTo(Outcome.failure(down));
    }

    @Test
    void theOpenBreakerRecordsTheRatesThatOpenedIt() {
        CircuitBreaker breaker = breaker(b -> b.slidingWindow(SlidingWindowType.COUNT_BASED, 2));

        fail(breaker);
        fail(breaker);

        CircuitBreakerSnapshot snapshot = breaker.snapshot();
        assertThat(snapshot.state()).isEqualTo(State.OPEN);
        assertThat(snapshot.failureRate()).isEqualTo(100.0);
        assertThat(snapshot.windowFailedCalls()).isEqualTo(2);
    }

    @Test
    void exceptionsThatAreNeitherRecordedNorIgnoredCountAsSuccesses() {
        CircuitBreaker breaker = breaker(b -> b.slidingWindow(SlidingWindowType.COUNT_BASED, 2)
                .recordExceptions(java.io.UncheckedIOException.class));

        breaker.attempt(() -> {
            throw new IllegalArgumentException("bad request: the dependency answered");
        });
        breaker.attempt(() -> {
            throw new java.io.UncheckedIOException(new java.io.IOException("connection reset"));
        });

        assertThat(breaker.state()).as("1 failure of 2 is 50%").isEqualTo(State.OPEN);
        assertThat(breaker.snapshot().successfulCalls()).isEqualTo(1);
        assertThat(breaker.snapshot().failedCalls()).isEqualTo(1);
    }

    @Test
    void ignoredExceptionsAreNotRecorded() {
        CircuitBreaker breaker = breaker(b -> b.slidingWindow(SlidingWindowType.COUNT_BASED, 2)
                .ignoreExceptions(IllegalArgumentException.class));

        for (int i = 0; i < 5; i++) {
            breaker.attempt(() -> {
                throw new IllegalArgumentException("caller's fault");
            });
        }

        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        assertThat(breaker.snapshot().windowCalls()).isZero();
        assertThat(breaker.snapshot().ignoredCalls()).isEqualTo(5);
    }

    @Test
    void aResultThatCountsAsFailureIsStillReturned() {
        CircuitBreaker breaker = breaker(b -> b.slidingWindow(SlidingWindowType.COUNT_BASED, 2)
                .recordResult(result -> result == null || "503".equals(result)));

        assertThat(breaker.call(() -> "503")).isEqualTo("503");
        assertThat(breaker.call(() -> (String) null)).isNull();

        assertThat(breaker.state()).isEqualTo(State.OPEN);
        assertThat(breaker.snapshot().failedCalls()).isEqualTo(2);
    }

    @Test
    void decoratedFunctionsAndRunnablesGoThroughTheBreaker() {
        CircuitBreaker breaker = breaker(b -> b);
        AtomicInteger runs = new AtomicInteger();

        assertThat(breaker.decorate((Integer x) -> x * 2).apply(21)).isEqualTo(42);
        assertThat(breaker.decorate(() -> "value").get()).isEqualTo("value");
        breaker.decorate((Runnable) runs::incrementAndGet).run();
        breaker.run(runs::incrementAndGet);

        assertThat(runs).hasValue(2);
        assertThat(breaker.snapshot().successfulCalls()).isEqualTo(4);
        breaker.transitionToForcedOpen();
        assertThatThrownBy(() -> breaker.run(runs::incrementAndGet)).isInstanceOf(CallNotPermittedException.class)
                .hasMessage("circuit breaker 'payments' is FORCED_OPEN and permits no calls until it is transitioned manually");
    }

    @Test
    void aPipelineStageRunsTheInnerInvokerAndRecordsItsOutcome() {
        CircuitBreaker breaker = breaker(b -> b);
        AtomicInteger innerRuns = new AtomicInteger();
        Invoker inner = new Invoker() {
            @Override
            public <T> T call(Supplier<? extends T> supplier) {
                innerRuns.incrementAndGet();
                return supplier.get();
            }

            @Override
            public <T> java.util.concurrent.CompletionStage<T> callAsync(
                    Supplier<? extends java.util.concurrent.CompletionStage<T>> supplier) {
                innerRuns.incrementAndGet();
                return supplier.get();
            }
        };
        Stage stage = (Stage) breaker;

        assertThat(stage.call(inner, () -> "sync")).isEqualTo("sync");
        assertThat(stage.callAsync(inner, () -> java.util.concurrent.CompletableFuture.completedFuture("async"))
                .toCompletableFuture().join()).isEqualTo("async");

        assertThat(innerRuns).hasValue(2);
        assertThat(breaker.snapshot().successfulCalls()).isEqualTo(2);
    }

    @Test
    void theNameMustNotBeBlank() {
        assertThatThrownBy(() -> CircuitBreaker.ofDefaults(" "))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("name must not be blank, was ' '");
        assertThatThrownBy(() -> CircuitBreaker.of(null, CircuitBreakerConfig.defaults()))
                .isInstanceOf(NullPointerException.class).hasMessage("name");
    }
}
