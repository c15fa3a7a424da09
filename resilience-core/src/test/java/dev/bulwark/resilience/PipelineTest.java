package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class PipelineTest {
    private final ManualClock clock = new ManualClock();
    private final List<String> log = new ArrayList<>();

    private PipelineRecordingPolicy recording(String name) {
        return new PipelineRecordingPolicy(name, log);
    }

    private Timeout timeout(String name, Duration limit) {
        return Timeout.of(name, TimeoutConfig.builder().timeout(limit).clock(clock).scheduler(clock).build());
    }

    private Retry retry(int maxAttempts) {
        return Retry.of("retry", RetryConfig.builder().maxAttempts(maxAttempts).backoff(RetryBackoff.none())
                .clock(clock).scheduler(clock).build());
    }

    @Test
    void runsSyncCallsThroughThePoliciesOutermostFirst() {
        Pipeline pipeline = Pipeline.of(recording("a"), recording("b"), recording("c"));

        String result = pipeline.call(() -> {
            log.add("call");
            return "done";
        });

        assertThat(result).isEqualTo("done");
        assertThat(log).containsExactly("enter a", "enter b", "enter c", "call", "leave c", "leave b", "leave a");
    }

    @Test
    void runsAsyncCallsThroughThePoliciesOutermostFirst() throws Exception {
        Pipeline pipeline = Pipeline.of(recording("a"), recording("b"), recording("c"));
        CompletableFuture<String> call = new CompletableFuture<>();

        CompletionStage<String> result = pipeline.callAsync(() -> {
            log.add("call");
            return call;
        });
        call.complete("done");

        assertThat(result.toCompletableFuture().get()).isEqualTo("done");
        assertThat(log).containsExactly("enter a", "enter b", "enter c", "call", "leave c", "leave b", "leave a");
    }

    @Test
    void aRetryInsideTheOrderRepeatsOnlyWhatIsInsideIt() {
        Pipeline pipeline = Pipeline.of(recording("outer"), retry(2), recording("inner"));
        AtomicInteger calls = new AtomicInteger();

        pipeline.call(() -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("once");
            }
            return "ok";
        });

        assertThat(log).containsExactly("enter outer", "enter inner", "leave inner", "enter inner", "leave inner",
                "leave outer");
    }

    @Test
    void anAsyncRetryInsideTheOrderRepeatsOnlyWhatIsInsideIt() {
        Pipeline pipeline = Pipeline.of(recording("outer"), retry(2), recording("inner"));
        AtomicInteger calls = new AtomicInteger();

        CompletionStage<String> result = pipeline.callAsync(() -> calls.incrementAndGet() == 1
                ? CompletableFuture.failedFuture(new IllegalStateException("once"))
                : CompletableFuture.completedFuture("ok"));
        clock.runDueTasks();

        assertThat(result.toCompletableFuture()).isCompletedWithValue("ok");
        assertThat(log).containsExactly("enter outer", "enter inner", "leave inner", "enter inner", "leave inner",
                "leave outer");
    }

    @Test
    void aFallbackOutsideARetrySeesOnlyTheFinalFailure() {
        List<Throwable> handled = new ArrayList<>();
        Fallback fallback = Fallback.ofFunction("fallback", failure -> {
            handled.add(failure);
            return "fallback";
        });
        AtomicInteger calls = new AtomicInteger();

        Object result = Pipeline.of(fallback, retry(3)).call(() -> {
            throw new IllegalStateException("attempt " + calls.incrementAndGet());
        });

        assertThat(result).isEqualTo("fallback");
        assertThat(handled).singleElement().satisfies(failure -> assertThat(failure).hasMessage("attempt 3"));
    }

    @Test
    void offersEveryCallShape() throws Exception {
        Pipeline pipeline = Pipeline.of(recording("a"));
        AtomicInteger ran = new AtomicInteger();

        pipeline.run(ran::incrementAndGet);
        Supplier<String> supplier = pipeline.decorate(() -> "s");
        Runnable runnable = pipeline.decorate((Runnable) ran::incrementAndGet);
        runnable.run();
        Function<Integer, Integer> function = pipeline.decorate((Integer x) -> x * 2);
        Supplier<CompletionStage<String>> async = pipeline.decorateAsync(() -> CompletableFuture.completedFuture("a"));

        assertThat(supplier.get()).isEqualTo("s");
        assertThat(function.apply(21)).isEqualTo(42);
        assertThat(async.get().toCompletableFuture().get()).isEqualTo("a");
        assertThat(ran).hasValue(2);
        assertThat(pipeline.attempt(() -> {
            throw new IllegalStateException("x");
        })).isInstanceOf(Outcome.Failure.class);
        assertThat(pipeline.attempt(() -> {
            throw new FallbackTest.Refused("breaker");
        })).isInstanceOf(Outcome.Rejected.class);
    }

    @Test
    void aPolicyFromOutsideThePackageTakesPartThroughItsPublicCallShapes() {
        Policy foreign = new Policy() {
            @Override
            public String name() {
                return "foreign";
            }

            @Override
            public <T> T call(Supplier<? extends T> supplier) {
                log.add("enter foreign");
                T value = supplier.get();
                log.add("leave foreign");
                return value;
            }

            @Override
            public <T> Outcome<T> attempt(Supplier<? extends T> supplier) {
                return Outcome.success(call(supplier));
            }

            @Override
            public <T> CompletionStage<T> callAsync(Supplier<? extends CompletionStage<T>> supplier) {
                log.add("enter foreign");
                return supplier.get();
            }
        };

        Pipeline.of(recording("a"), foreign, recording("b")).call(() -> "x");

        assertThat(log).containsExactly("enter a", "enter foreign", "enter b", "leave b", "leave foreign", "leave a");
    }

    @Test
    void aNestedPipelineIsFlattened() {
        PipelineRecordingPolicy a = recording("a");
        PipelineRecordingPolicy b = recording("b");
        PipelineRecordingPolicy c = recording("c");

        Pipeline pipeline = Pipeline.of(a, Pipeline.of(b, c));

        assertThat(pipeline.policies()).containsExactly(a, b, c);
        assertThat(pipeline.name()).isEqualTo("pipeline[a,b,c]");
    }

    @Test
    void rejectsTheSamePolicyInstanceTwice() {
        PipelineRecordingPolicy a = recording("a");

        assertThatThrownBy(() -> Pipeline.of(a, recording("b"), a))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("policy 'a' appears twice in the pipeline (at positions 1 and 3, outermost first): one "
                        + "instance is one layer; build a second instance to use it twice");
    }

    @Test
    void rejectsATimeoutInsideAShorterOne() {
        assertThatThrownBy(() -> Pipeline.of(timeout("overall", Duration.ofSeconds(1)), retry(3),
                timeout("attempt", Duration.ofSeconds(2))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("timeout 'attempt' (PT2S) is inside timeout 'overall' (PT1S) but longer: it could never fire");
        assertThat(Pipeline.of(timeout("overall", Duration.ofSeconds(2)), retry(3),
                timeout("attempt", Duration.ofSeconds(1))).policies()).hasSize(3);
    }

    @Test
    void rejectsAnEmptyPipelineAndNullPolicies() {
        assertThatThrownBy(Pipeline::of).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a pipeline needs at least one policy");
        assertThatThrownBy(() -> Pipeline.of(recording("a"), null)).isInstanceOf(NullPointerException.class)
                .hasMessage("policies[1]");
        assertThatThrownBy(() -> Pipeline.builder().name("x").name("y"))
                .isInstanceOf(IllegalStateException.class).hasMessage("name was already set to 'x'");
    }

    @Test
    void aPipelinesPropagatorCarriesTheMdcIntoAsyncRetriesAndFallbacks() throws Exception {
        List<String> seen = new ArrayList<>();
        Pipeline pipeline = Pipeline.builder()
                .add(Fallback.ofFunction("fallback", failure -> "fallback for " + MDC.get("requestId")))
                .add(Retry.of("retry", RetryConfig.builder().maxAttempts(2)
                        .backoff(RetryBackoff.fixed(Duration.ofMillis(10))).clock(clock).scheduler(clock).build()))
                .contextPropagator(ContextPropagator.mdc())
                .build();
        MDC.put("requestId", "r-5");
        CompletionStage<String> result;
        try {
            result = pipeline.callAsync(() -> {
                seen.add(MDC.get("requestId"));
                return CompletableFuture.failedFuture(new IllegalStateException("down"));
            });
        } finally {
            MDC.clear();
        }

        clock.advance(Duration.ofMillis(10)); // the retry and then the fallback run here, without an MDC

        assertThat(result.toCompletableFuture().get()).isEqualTo("fallback for r-5");
        assertThat(seen).containsExactly("r-5", "r-5");
        assertThat(MDC.get("requestId")).isNull();
    }

    /** Stands for a breaker that stays open: rejects every call without running it. */
    private Policy alwaysRejecting(AtomicInteger rejections) {
        return new Policy() {
            @Override
            public String name() {
                return "open-breaker";
            }

            @Override
            public <T> T call(Supplier<? extends T> supplier) {
                rejections.incrementAndGet();
                throw new FallbackTest.Refused("open-breaker");
            }

            @Override
            public <T> Outcome<T> attempt(Supplier<? extends T> supplier) {
                return Outcome.rejected(new FallbackTest.Refused("open-breaker"));
            }

            @Override
            public <T> CompletionStage<T> callAsync(Supplier<? extends CompletionStage<T>> supplier) {
                rejections.incrementAndGet();
                return CompletableFuture.failedFuture(new FallbackTest.Refused("open-breaker"));
            }
        };
    }

    @Test
    void aRetryAroundARejectingPolicyGivesUpAfterItsAttemptsWithTheRejection() {
        AtomicInteger rejections = new AtomicInteger();
        AtomicInteger calls = new AtomicInteger();
        Pipeline pipeline = Pipeline.of(retry(4), alwaysRejecting(rejections));

        Outcome<Integer> outcome = pipeline.attempt(calls::incrementAndGet);

        assertThat(outcome).isInstanceOf(Outcome.Rejected.class);
        assertThat(rejections).hasValue(4);
        assertThat(calls).hasValue(0);
    }

    @Test
    void aFallbackAnswersForARejectionInsideTheRetrySyncAndAsync() throws Exception {
        AtomicInteger rejections = new AtomicInteger();
        Pipeline pipeline = Pipeline.of(Fallback.ofValue("fallback", "cached"), retry(2), alwaysRejecting(rejections));

        assertThat(pipeline.<String>call(() -> "fresh")).isEqualTo("cached");
        CompletionStage<String> async = pipeline.callAsync(() -> CompletableFuture.completedFuture("fresh"));
        clock.runDueTasks();
        assertThat(async.toCompletableFuture().get()).isEqualTo("cached");
        assertThat(rejections).hasValue(4);
    }
}
