package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

    @Test
    void runsScheduledTasksInDueOrderWithTheClockAtTheirDueTime() {
        ManualClock clock = new ManualClock();
        long origin = clock.nanoTime();
        List<String> ran = new ArrayList<>();
        clock.schedule(() -> ran.add("b@" + (clock.nanoTime() - origin)), 200);
        clock.schedule(() -> ran.add("a@" + (clock.nanoTime() - origin)), 100);
        clock.schedule(() -> ran.add("c@" + (clock.nanoTime() - origin)), 900);

        clock.advanceNanos(500);

        assertThat(ran).containsExactly("a@100", "b@200");
        assertThat(clock.nanoTime() - origin).isEqualTo(500);
        assertThat(clock.pendingTasks()).containsExactly(Duration.ofNanos(400));
    }

    @Test
    void aCancelledTaskNeverRuns() {
        ManualClock clock = new ManualClock();
        List<String> ran = new ArrayList<>();
        Scheduler.Task task = clock.schedule(() -> ran.add("x"), 10);

        assertThat(task.cancel()).isTrue();
        assertThat(task.cancel()).isFalse();
        clock.advanceNanos(100);

        assertThat(ran).isEmpty();
    }

    @Test
    void aTaskMayScheduleAnotherThatFallsDueInTheSameAdvance() {
        ManualClock clock = new ManualClock();
        List<String> ran = new ArrayList<>();
        clock.schedule(() -> {
            ran.add("first");
            clock.schedule(() -> ran.add("second"), 10);
        }, 10);

        clock.advanceNanos(25);

        assertThat(ran).containsExactly("first", "second");
    }

    @Test
    void aTaskDueNowWaitsForTheNextAdvance() {
        ManualClock clock = new ManualClock();
        List<String> ran = new ArrayList<>();
        clock.schedule(() -> ran.add("now"), 0);
        assertThat(ran).isEmpty();

        clock.runDueTasks();

        assertThat(ran).containsExactly("now");
    }
}
