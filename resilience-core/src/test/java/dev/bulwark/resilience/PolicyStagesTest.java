package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@link Stage} contract, for the bulkheads, the rate limiter and chaos: a stage runs the rest of the
 * pipeline through {@code inner}, hands it the caller's supplier unchanged, and reports a refusal by throwing
 * (or completing with) its {@link RejectedException} without calling {@code inner}.
 */
class PolicyStagesTest {
    private static final ManualClock CLOCK = new ManualClock();

    /** Each policy with a limit of one call, so that a second call while the first runs is refused. */
    static Stream<Policy> limitingPolicies() {
        return Stream.of(
                Bulkhead.of("bulkhead", BulkheadConfig.builder().maxConcurrentCalls(1).clock(CLOCK).scheduler(CLOCK)
                        .build()),
                AdaptiveBulkhead.of("adaptive", AdaptiveBulkheadConfig.builder().initialLimit(1).minLimit(1)
                        .maxLimit(1).clock(CLOCK).build()),
                RateLimiter.of("limiter", RateLimiterConfig.builder().limitForPeriod(1)
                        .limitRefreshPeriod(Duration.ofHours(1)).clock(CLOCK).scheduler(CLOCK).build()));
    }

    static Stream<Policy> allPolicies() {
        return Stream.concat(limitingPolicies(), Stream.of(Chaos.ofDefaults("chaos")));
    }

    /** An inner invoker that records what it was given and calls through. */
    private static final class RecordingInvoker implements Invoker {
        final List<Object> suppliers = new ArrayList<>();

        @Override
        public <T> T call(Supplier<? extends T> supplier) {
            suppliers.add(supplier);
            return supplier.get();
        }

        @Override
        public <T> CompletionStage<T> callAsync(Supplier<? extends CompletionStage<T>> supplier) {
            suppliers.add(supplier);
            return Invoker.DIRECT.callAsync(supplier);
        }
    }

    @ParameterizedTest
    @MethodSource("allPolicies")
    void theStageRunsTheRestOfThePipelineWithTheCallersSupplier(Policy policy) {
        Stage stage = (Stage) policy;
        RecordingInvoker inner = new RecordingInvoker();
        Supplier<String> supplier = () -> "value";
        Supplier<CompletionStage<String>> asyncSupplier = () -> CompletableFuture.completedFuture("async");

        assertThat(stage.call(inner, supplier)).isEqualTo("value");
        CLOCK.advance(Duration.ofHours(1));
        assertThat(stage.callAsync(inner, asyncSupplier).toCompletableFuture().join()).isEqualTo("async");

        assertThat(inner.suppliers).containsExactly(supplier, asyncSupplier);
    }

    @ParameterizedTest
    @MethodSource("limitingPolicies")
    void aRefusingStageThrowsItsRejectionWithoutCallingInner(Policy policy) {
        Stage stage = (Stage) policy;
        RecordingInvoker inner = new RecordingInvoker();
        CompletableFuture<String> first = new CompletableFuture<>();
        stage.callAsync(inner, () -> first);
        inner.suppliers.clear();

        assertThatThrownBy(() -> stage.call(inner, () -> "refused"))
                .isInstanceOf(RejectedException.class)
                .satisfies(e -> assertThat(((RejectedException) e).policyName()).isEqualTo(policy.name()));
        CompletableFuture<String> refused = stage.<String>callAsync(inner,
                () -> CompletableFuture.completedFuture("refused")).toCompletableFuture();

        assertThat(refused.handle((v, e) -> e).join()).isInstanceOf(RejectedException.class);
        assertThat(inner.suppliers).isEmpty();
        first.complete("done");
    }
}
