package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BulkheadConfigTest {

    @Test
    void defaultsAllowTwentyFiveCallsWithoutWaiting() {
        BulkheadConfig config = BulkheadConfig.defaults();

        assertThat(config.maxConcurrentCalls()).isEqualTo(25);
        assertThat(config.maxWait()).isEqualTo(Duration.ZERO);
        assertThat(config.clock()).isSameAs(Clock.system());
        assertThat(config.scheduler()).isSameAs(Scheduler.system());
    }

    @Test
    void builderRejectsAZeroLimitAtOnce() {
        assertThatThrownBy(() -> BulkheadConfig.builder().maxConcurrentCalls(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxConcurrentCalls must be at least 1, was 0");
    }

    @Test
    void builderRejectsANegativeWait() {
        assertThatThrownBy(() -> BulkheadConfig.builder().maxWait(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxWait must not be negative, was PT-0.001S");
    }

    @Test
    void builderRejectsAWaitTooLongToMeasure() {
        assertThatThrownBy(() -> BulkheadConfig.builder().maxWait(Duration.ofDays(365L * 300)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("maxWait must be at most PT2562047H47M16.854775807S, was ");
    }

    @Test
    void theRecordValidatesToo() {
        assertThatThrownBy(() -> new BulkheadConfig(-3, Duration.ZERO, Clock.system(), Scheduler.system()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxConcurrentCalls must be at least 1, was -3");
        assertThatThrownBy(() -> new BulkheadConfig(1, Duration.ZERO, null, Scheduler.system()))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("clock");
    }

    @Test
    void aBulkheadNeedsANonBlankName() {
        assertThatThrownBy(() -> Bulkhead.ofDefaults(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("name must not be blank, was ' '");
    }
}
