package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The Micrometer bindings of Retry, Timeout, Hedge and Fallback. */
class PipelineMetricsTest {
    private final ManualClock clock = new ManualClock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private double count(String meter, String name, String kind) {
        FunctionCounter counter = registry.find(meter).tag("name", name).tag("kind", kind).functionCounter();
        assertThat(counter).as(meter + "{name=" + name + ", kind=" + kind + "}").isNotNull();
        return counter.count();
    }

    @Test
    void retryMetersCountCallsByOutcomeAndRetriesMade() throws Exception {
        Retry retry = Retry.of("inventory", RetryConfig.builder().maxAttempts(2).backoff(RetryBackoff.none())
                .clock(clock).scheduler(clock).build());
        AutoCloseable meters = RetryMetrics.bind(retry, registry);
        retry.call(() -> "ok");
        int[] calls = {0};
        retry.call(() -> {
            if (calls[0]++ == 0) {
                throw new IllegalStateException("once");
            }
            return "ok";
        });

        assertThat(count("bulwark.retry.calls", "inventory", "successful_without_retry")).isEqualTo(1);
        assertThat(count("bulwark.retry.calls", "inventory", "successful_with_retry")).isEqualTo(1);
        assertThat(count("bulwark.retry.calls", "inventory", "failed_with_retry")).isZero();
        assertThat(count("bulwark.retry.retries", "inventory", "made")).isEqualTo(1);
        assertThat(count("bulwark.retry.retries", "inventory", "budget_exhausted")).isZero();

        meters.close();
        assertThat(registry.find("bulwark.retry.calls").meters()).isEmpty();
    }

    @Test
    void timeoutMetersCountCallsByOutcome() {
        Timeout timeout = Timeout.of("pricing", TimeoutConfig.builder().timeout(Duration.ofSeconds(1))
                .clock(clock).scheduler(clock).build());
        TimeoutMetrics.bind(timeout, registry);
        timeout.call(() -> "ok");
        timeout.callAsync(CompletableFuture::new);
        clock.advance(Duration.ofSeconds(1));

        assertThat(count("bulwark.timeout.calls", "pricing", "successful")).isEqualTo(1);
        assertThat(count("bulwark.timeout.calls", "pricing", "failed")).isZero();
        assertThat(count("bulwark.timeout.calls", "pricing", "timed_out")).isEqualTo(1);
    }

    @Test
    void hedgeMetersCountWinnersAndHedges() {
        Hedge hedge = Hedge.of("search", HedgeConfig.builder().delay(HedgeDelay.fixed(Duration.ofMillis(10)))
                .clock(clock).scheduler(clock).build());
        HedgeMetrics.bind(hedge, registry);
        CompletableFuture<String> primary = new CompletableFuture<>();
        CompletableFuture<String> hedged = new CompletableFuture<>();
        CompletableFuture<?>[] attempts = {primary, hedged};
        int[] next = {0};
        hedge.callAsync(() -> {
            @SuppressWarnings("unchecked")
            CompletableFuture<String> attempt = (CompletableFuture<String>) attempts[next[0]++];
            return attempt;
        });
        clock.advance(Duration.ofMillis(10));
        hedged.complete("hedge");

        assertThat(count("bulwark.hedge.calls", "search", "hedge_won")).isEqualTo(1);
        assertThat(count("bulwark.hedge.calls", "search", "primary_won")).isZero();
        assertThat(count("bulwark.hedge.calls", "search", "failed")).isZero();
        assertThat(count("bulwark.hedge.hedges", "search", "started")).isEqualTo(1);
        assertThat(count("bulwark.hedge.hedges", "search", "budget_exhausted")).isZero();
    }

    @Test
    void fallbackMetersCountCallsByOutcome() {
        Fallback fallback = Fallback.ofValue("prices", "cached");
        FallbackMetrics.bind(fallback, registry);
        fallback.call(() -> "fresh");
        fallback.call(() -> {
            throw new IllegalStateException("down");
        });

        assertThat(count("bulwark.fallback.calls", "prices", "successful")).isEqualTo(1);
        assertThat(count("bulwark.fallback.calls", "prices", "fallback_applied")).isEqualTo(1);
        assertThat(count("bulwark.fallback.calls", "prices", "failed")).isZero();
    }
}
