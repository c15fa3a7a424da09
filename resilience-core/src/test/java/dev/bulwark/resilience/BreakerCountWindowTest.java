package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BreakerCountWindowTest {
    private static final BreakerWindow.Thresholds THRESHOLDS = new BreakerWindow.Thresholds(3, 50, 100);

    private static long pack(long calls, long failed, long slow) {
        return calls + (failed << 21) + (slow << 42);
    }

    @Test
    void packedCountersDecodeExactlyEvenWhileAFieldIsBrieflyNegative() {
        long[][] cases = {{0, 0, 0}, {1_000_000, 1_000_000, 1_000_000}, {5, -1, 3}, {-1, 0, 0}, {-1, -1, -1},
            {1_000_000, -1_000_000, 999_999}, {0, 0, -1_000_000}};
        for (long[] c : cases) {
            long packed = pack(c[0], c[1], c[2]);
            assertThat(new long[] {BreakerCountWindow.calls(packed), BreakerCountWindow.failed(packed),
                BreakerCountWindow.slow(packed)}).as("decoding %s", java.util.Arrays.toString(c)).containsExactly(c);
        }
    }

    @Test
    void recordingReturnsTheVerdictOfTheWindowRightAfterTheOutcome() {
        BreakerCountWindow window = new BreakerCountWindow(4, THRESHOLDS);

        assertThat(window.record(true, false, 0)).isEqualTo(BreakerWindow.NOT_ENOUGH_CALLS);
        assertThat(window.record(false, false, 0)).isEqualTo(BreakerWindow.NOT_ENOUGH_CALLS);
        assertThat(window.record(false, false, 0)).isEqualTo(BreakerWindow.BELOW_THRESHOLDS);
        assertThat(window.record(true, false, 0)).as("2 of 4").isEqualTo(BreakerWindow.ABOVE_THRESHOLDS);
        assertThat(window.record(true, false, 0)).as("replaces a failure by a failure").isEqualTo(BreakerWindow.UNCHANGED);
        assertThat(window.record(true, true, 0)).as("3 of 4 failed, 1 slow").isEqualTo(BreakerWindow.ABOVE_THRESHOLDS);
        assertThat(window.counts(0)).isEqualTo(new BreakerWindow.Counts(4, 3, 1, THRESHOLDS));
        assertThat(window.recorded()).isEqualTo(6);
    }

    @Test
    void fastSuccessesIntoAFullWindowOfThemWriteNothingYetAFailureStillStaysForExactlySizeCalls() {
        BreakerCountWindow window = new BreakerCountWindow(5, THRESHOLDS);
        for (int i = 0; i < 5; i++) {
            window.record(false, false, 0);
        }
        for (int i = 0; i < 1_000; i++) {
            assertThat(window.record(false, false, 0)).isEqualTo(BreakerWindow.UNCHANGED);
        }
        assertThat(window.recorded()).as("no ticket taken in the steady state").isEqualTo(5);

        window.record(true, false, 0);
        for (int i = 0; i < 4; i++) {
            window.record(false, false, 0);
            assertThat(window.counts(0).failedCalls()).as("%d calls after the failure", i + 1).isEqualTo(1);
        }
        window.record(false, false, 0);

        assertThat(window.counts(0)).isEqualTo(new BreakerWindow.Counts(5, 0, 0, THRESHOLDS));
    }

    @Test
    void everyLogicalSlotHasItsOwnPhysicalSlot() {
        for (int size : new int[] {1, 7, 8, 9, 100, 1000}) {
            BreakerCountWindow window = new BreakerCountWindow(size, new BreakerWindow.Thresholds(1, 100, 100));
            for (int i = 0; i < size; i++) {
                window.record(true, false, 0);
            }
            assertThat(window.counts(0).failedCalls()).as("size %d", size).isEqualTo(size);
        }
    }
}
