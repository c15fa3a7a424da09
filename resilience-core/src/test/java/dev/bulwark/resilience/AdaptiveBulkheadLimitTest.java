package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The algorithm on its own, fed samples by hand. */
class AdaptiveBulkheadLimitTest {
    private static final long MS = 1_000_000L;
    private final ManualClock clock = new ManualClock();
    private final List<String> changes = new ArrayList<>();

    private AdaptiveBulkheadLimit limit(AdaptiveBulkheadConfig.Builder builder) {
        return new AdaptiveBulkheadLimit(builder.clock(clock).build(),
                (from, to, latency, noLoad) -> changes.add(from + "->" + to));
    }

    private void window(AdaptiveBulkheadLimit limit, int samples, long rttNanos, int inFlight) {
        for (int i = 0; i < samples; i++) {
            limit.onSample(clock.nanoTime(), rttNanos, inFlight);
        }
    }

    @Test
    void aWindowEndsOnlyAfterItsSamplesAndItsTime() {
        AdaptiveBulkheadLimit limit = limit(AdaptiveBulkheadConfig.builder().initialLimit(10).windowMinSamples(5)
                .windowMinDuration(Duration.ofSeconds(1)));

        window(limit, 20, 10 * MS, 10);
        assertThat(changes).as("enough samples, too little time").isEmpty();
        clock.advance(Duration.ofSeconds(1));
        window(limit, 1, 10 * MS, 10);
        assertThat(changes).containsExactly("10->11");

        window(limit, 20, 10 * MS, 11);
        assertThat(changes).as("the next window has its own start").hasSize(1);
    }

    @Test
    void theStepGrowsWithTheLogOfTheLimit() {
        AdaptiveBulkheadLimit limit = limit(AdaptiveBulkheadConfig.builder().initialLimit(100).maxLimit(1_000)
                .windowMinSamples(10).windowMinDuration(Duration.ZERO));

        window(limit, 10, 10 * MS, 100);

        assertThat(changes).containsExactly("100->102");
    }

    @Test
    void smoothingTakesOnlyPartOfEachStep() {
        AdaptiveBulkheadLimit limit = limit(AdaptiveBulkheadConfig.builder().initialLimit(10).smoothing(0.5)
                .windowMinSamples(10).windowMinDuration(Duration.ZERO));

        window(limit, 10, 10 * MS, 10);
        assertThat(limit.limit()).as("10 + 0.5").isEqualTo(10);
        window(limit, 10, 10 * MS, 10);

        assertThat(limit.limit()).as("10.5 + 0.5").isEqualTo(11);
    }

    @Test
    void latencyBetweenAlphaAndBetaHoldsTheLimit() {
        AdaptiveBulkheadLimit limit = limit(AdaptiveBulkheadConfig.builder().initialLimit(20)
                .windowMinSamples(10).windowMinDuration(Duration.ZERO));
        window(limit, 10, 10 * MS, 20);
        changes.clear();
        int before = limit.limit();

        // queue = 21 * (1 - 10/14) = 6, between alpha * 1.32 = 4 and beta * 1.32 = 7.9
        window(limit, 10, 14 * MS, before);

        assertThat(changes).isEmpty();
    }

    @Test
    void theNoLoadLatencyIsMeasuredAfreshAfterTheProbeInterval() {
        AdaptiveBulkheadLimit limit = limit(AdaptiveBulkheadConfig.builder().initialLimit(20).noLoadProbeWindows(3)
                .windowMinSamples(10).windowMinDuration(Duration.ZERO));
        window(limit, 10, 10 * MS, 20);
        assertThat(limit.noLoadNanos()).isEqualTo(10 * MS);

        window(limit, 10, 30 * MS, 20);
        window(limit, 10, 30 * MS, 20);
        assertThat(limit.noLoadNanos()).isEqualTo(10 * MS);
        window(limit, 10, 30 * MS, 20);

        assertThat(limit.noLoadNanos()).as("the dependency got slower for good").isEqualTo(30 * MS);
    }
}
