package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The asynchronous behaviour of {@link Chaos}: delays are scheduled, no thread sleeps. */
class ChaosAsyncTest {
    private final ManualClock clock = new ManualClock();
    private final AtomicInteger realCalls = new AtomicInteger();

    private ChaosConfig.Builder config() {
        return ChaosConfig.builder().clock(clock).scheduler(clock);
    }

    private CompletableFuture<String> call(Chaos chaos) {
        return chaos.<String>callAsync(() -> {
            realCalls.incrementAndGet();
            return CompletableFuture.completedFuture("real");
        }).toCompletableFuture();
    }

    @Test
    void aFaultFailsTheStageWithoutTheRealCall() {
        Chaos chaos = Chaos.of("inventory", config().faultRate(1.0).build());

        CompletableFuture<String> result = call(chaos);

        assertThat(result.handle((v, e) -> e).join()).isInstanceOf(ChaosException.class);
        assertThat(realCalls).hasValue(0);
    }

    @Test
    void anInjectedResultCompletesTheStage() {
        Chaos chaos = Chaos.of("inventory", config().resultRate(1.0).result(() -> "stale").build());

        assertThat(call(chaos).join()).isEqualTo("stale");
        assertThat(realCalls).hasValue(0);
    }

    @Test
    void latencyDelaysTheStartOnTheScheduler() {
        Chaos chaos = Chaos.of("inventory", config().latencyRate(1.0).latency(Duration.ofMillis(250)).build());

        CompletableFuture<String> result = call(chaos);
        assertThat(clock.pendingTasks()).containsExactly(Duration.ofMillis(250));
        assertThat(realCalls).hasValue(0);
        clock.advance(Duration.ofMillis(250));

        assertThat(result.join()).isEqualTo("real");
        assertThat(realCalls).hasValue(1);
    }

    @Test
    void aDelayedFaultFailsAfterTheDelay() {
        Chaos chaos = Chaos.of("inventory", config().faultRate(1.0).latencyRate(1.0)
                .latency(Duration.ofMillis(100)).build());

        CompletableFuture<String> result = call(chaos);
        assertThat(result).isNotDone();
        clock.advance(Duration.ofMillis(100));

        assertThat(result.handle((v, e) -> e).join()).isInstanceOf(ChaosException.class);
    }

    @Test
    void cancellingADelayedCallMeansItNeverRuns() {
        Chaos chaos = Chaos.of("inventory", config().latencyRate(1.0).latency(Duration.ofMillis(100)).build());

        call(chaos).cancel(true);
        clock.advance(Duration.ofSeconds(1));

        assertThat(realCalls).hasValue(0);
        assertThat(clock.pendingTasks()).isEmpty();
    }

    @Test
    void aSwitchedOffPolicyPassesTheCallThrough() {
        Chaos chaos = Chaos.of("inventory", config().faultRate(1.0).build());
        chaos.disable();

        assertThat(call(chaos).join()).isEqualTo("real");
        assertThat(chaos.injectedFaults()).isZero();
    }
}
