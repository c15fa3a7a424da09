package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RateLimiterPermitsTest {
    private final ManualClock clock = new ManualClock();

    private RateLimiterPermits permits(int limit, Duration period) {
        return new RateLimiterPermits(RateLimiterConfig.builder().limitForPeriod(limit).limitRefreshPeriod(period)
                .clock(clock).build(), 2);
    }

    private static int takeAll(RateLimiterPermits permits) {
        int taken = 0;
        while (permits.reserve() == 0) {
            taken++;
        }
        return taken;
    }

    @Test
    void onlyLongBusyPeriodsLeasePermits() {
        assertThat(permits(100_000, Duration.ofSeconds(1)).leases()).isTrue();
        assertThat(permits(50, Duration.ofSeconds(1)).leases()).as("too few permits to share out").isFalse();
        assertThat(permits(100_000, Duration.ofNanos(500_000)).leases()).as("periods too short to tag a lease")
                .isFalse();
    }

    @Test
    void leasedPermitsAddUpToExactlyTheLimitEachPeriod() {
        RateLimiterPermits permits = permits(1_000, Duration.ofSeconds(1));

        assertThat(takeAll(permits)).isEqualTo(1_000);
        assertThat(permits.available()).isZero();
        clock.advance(Duration.ofSeconds(1));
        assertThat(permits.available()).isEqualTo(1_000);
        assertThat(takeAll(permits)).isEqualTo(1_000);
    }

    @Test
    void permitsLeftInOneThreadsLeaseServeOtherThreads() throws InterruptedException {
        RateLimiterPermits permits = permits(1_000, Duration.ofSeconds(1));
        assertThat(permits.reserve()).isZero(); // leases a block and leaves the rest in this thread's stripe
        AtomicInteger takenElsewhere = new AtomicInteger();

        Thread other = new Thread(() -> takenElsewhere.set(takeAll(permits)));
        other.start();
        other.join(5_000);

        assertThat(takenElsewhere).hasValue(999);
    }

    @Test
    void aLeaseDoesNotOutliveItsPeriod() {
        RateLimiterPermits permits = permits(1_000, Duration.ofSeconds(1));
        assertThat(permits.reserve()).isZero();

        clock.advance(Duration.ofSeconds(1));

        assertThat(permits.available()).isEqualTo(1_000);
        assertThat(takeAll(permits)).isEqualTo(1_000);
    }
}
