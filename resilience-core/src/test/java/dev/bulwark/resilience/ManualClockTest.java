package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ManualClockTest {

    @Test
    void advancesOnlyWhenTold() {
        ManualClock clock = new ManualClock(1_000L);
        long nanos = clock.nanoTime();

        clock.advance(Duration.ofMillis(1500));

        assertThat(clock.nanoTime() - nanos).isEqualTo(1_500_000_000L);
        assertThat(clock.currentTimeMillis()).isEqualTo(2_500L);
    }

    @Test
    void sleepAdvancesInsteadOfBlocking() {
        ManualClock clock = new ManualClock();
        long nanos = clock.nanoTime();

        clock.sleep(Duration.ofHours(1).toNanos());
        clock.sleep(-5);

        assertThat(clock.nanoTime() - nanos).isEqualTo(Duration.ofHours(1).toNanos());
    }

    @Test
    void refusesToRunBackwards() {
        ManualClock clock = new ManualClock();

        assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("duration must not be negative, was PT-1S");
        assertThatThrownBy(() -> clock.advanceNanos(-3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("nanos must not be negative, was -3");
    }

    @Test
    void systemClockMeasuresRealTime() throws InterruptedException {
        Clock clock = Clock.system();
        long before = clock.nanoTime();
        clock.sleep(1_000_000L);
        assertThat(clock.nanoTime() - before).isGreaterThanOrEqualTo(1_000_000L);
        assertThat(clock.currentTimeMillis()).isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(1000L));
    }
}
