package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The synchronous behaviour of {@link Chaos}; see {@link ChaosAsyncTest}. */
class ChaosTest {
    private final ManualClock clock = new ManualClock();
    private final AtomicInteger realCalls = new AtomicInteger();

    private ChaosConfig.Builder config() {
        return ChaosConfig.builder().clock(clock).scheduler(clock);
    }

    private String realCall() {
        realCalls.incrementAndGet();
        return "real";
    }

    @Test
    void aSwitchedOffPolicyTouchesNothingAndDrawsNothing() {
        AtomicInteger draws = new AtomicInteger();
        Chaos chaos = Chaos.of("payments", config().faultRate(1.0).enabled(false).random(() -> {
            draws.incrementAndGet();
            return new SplittableRandom(1);
        }).build());

        assertThat(chaos.call(this::realCall)).isEqualTo("real");
        assertThat(chaos.attempt(this::realCall)).isEqualTo(Outcome.success("real"));
        assertThat(draws).hasValue(0);
        assertThat(chaos.isEnabled()).isFalse();
    }

    @Test
    void aFaultReplacesTheCall() {
        Chaos chaos = Chaos.of("payments", config().faultRate(1.0).build());

        assertThatThrownBy(() -> chaos.call(this::realCall))
                .isInstanceOf(ChaosException.class)
                .hasMessage("chaos 'payments' injected a fault")
                .satisfies(e -> assertThat(((ChaosException) e).policyName()).isEqualTo("payments"));
        assertThat(realCalls).hasValue(0);
        assertThat(chaos.injectedFaults()).isEqualTo(1);
    }

    @Test
    void aCheckedFaultIsWrappedByCallAndReportedAsItIsByAttempt() {
        IOException refused = new IOException("connection refused");
        Chaos chaos = Chaos.of("payments", config().faultRate(1.0).fault(() -> refused).build());

        assertThatThrownBy(() -> chaos.call(this::realCall)).isInstanceOf(CompletionException.class).hasCause(refused);
        assertThat(chaos.attempt(this::realCall)).isEqualTo(Outcome.failure(refused));
    }

    @Test
    void anInjectedResultAnswersInsteadOfTheCall() {
        Chaos chaos = Chaos.of("payments", config().resultRate(1.0).result(() -> "stale").build());

        assertThat(chaos.call(this::realCall)).isEqualTo("stale");
        assertThat(chaos.attempt(this::realCall)).isEqualTo(Outcome.success("stale"));
        assertThat(realCalls).hasValue(0);
        assertThat(chaos.injectedResults()).isEqualTo(2);
    }

    @Test
    void anInjectedResultOfTheWrongTypeFailsAtTheCallSite() {
        Chaos chaos = Chaos.of("payments", config().resultRate(1.0).result(() -> 42).build());

        assertThatThrownBy(() -> {
            String value = chaos.call(this::realCall);
            assertThat(value).isNotNull();
        }).isInstanceOf(ClassCastException.class);
    }

    @Test
    void latencyIsSleptOnTheClockBeforeTheRealCall() {
        Chaos chaos = Chaos.of("payments", config().latencyRate(1.0).latency(Duration.ofMillis(300)).build());
        long start = clock.nanoTime();

        assertThat(chaos.call(this::realCall)).isEqualTo("real");

        assertThat(Duration.ofNanos(clock.nanoTime() - start)).isEqualTo(Duration.ofMillis(300));
        assertThat(chaos.injectedLatencies()).isEqualTo(1);
    }

    @Test
    void latencyIsDrawnWithinItsRange() {
        Chaos chaos = Chaos.of("payments", config().latencyRate(1.0)
                .latency(Duration.ofMillis(100), Duration.ofMillis(200)).random(() -> new SplittableRandom(7))
                .build());
        for (int i = 0; i < 50; i++) {
            long start = clock.nanoTime();
            chaos.run(() -> { });
            assertThat(Duration.ofNanos(clock.nanoTime() - start))
                    .isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
        }
    }

    @Test
    void aSeededRandomSourceMakesInjectionsRepeatable() {
        SplittableRandom random = new SplittableRandom(42);
        Chaos chaos = Chaos.of("payments", config().faultRate(0.2).resultRate(0.1).result(() -> "stale")
                .latencyRate(0.3).latency(Duration.ofMillis(5)).random(() -> random).build());
        SplittableRandom replay = new SplittableRandom(42);
        List<String> expected = new ArrayList<>();
        List<String> actual = new ArrayList<>();

        for (int i = 0; i < 500; i++) {
            boolean delayed = replay.nextDouble() < 0.3;
            double draw = replay.nextDouble();
            expected.add((delayed ? "slow " : "") + (draw < 0.2 ? "fault" : draw < 0.3 ? "stale" : "real"));
            long start = clock.nanoTime();
            Outcome<String> outcome = chaos.attempt(this::realCall);
            String what = outcome instanceof Outcome.Failure ? "fault" : outcome.getOrThrow();
            actual.add((clock.nanoTime() > start ? "slow " : "") + what);
        }

        assertThat(actual).isEqualTo(expected);
        assertThat(chaos.injectedFaults()).isBetween(70L, 130L);
        assertThat(chaos.injectedResults()).isBetween(25L, 75L);
        assertThat(chaos.injectedLatencies()).isBetween(110L, 190L);
    }

    @Test
    void theSwitchWorksAtRuntimeAndIsReported() {
        Chaos chaos = Chaos.of("payments", config().faultRate(1.0).enabled(false).build());
        List<ChaosEvent> events = new ArrayList<>();
        chaos.onEvent(events::add);

        chaos.enable();
        assertThatThrownBy(() -> chaos.call(this::realCall)).isInstanceOf(ChaosException.class);
        chaos.disable();
        chaos.disable();

        assertThat(chaos.call(this::realCall)).isEqualTo("real");
        assertThat(events).extracting(e -> e.getClass().getSimpleName())
                .containsExactly("Switched", "FaultInjected", "Switched");
        assertThat(((ChaosEvent.Switched) events.get(2)).enabled()).isFalse();
    }

    @Test
    void runAndDecorateGoThroughThePolicy() {
        Chaos chaos = Chaos.of("payments", config().resultRate(1.0).result(() -> "stale").build());

        chaos.run(this::realCall);
        assertThat(chaos.decorate(this::realCall).get()).isEqualTo("stale");
        assertThat(realCalls).hasValue(0);
    }
}
