package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SchedulerTest {

    @Test
    void systemSchedulerRunsATaskLater() throws InterruptedException {
        CountDownLatch ran = new CountDownLatch(1);
        Scheduler.system().schedule(ran::countDown, TimeUnit.MILLISECONDS.toNanos(5));
        assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void systemSchedulerNeverRunsACancelledTask() throws InterruptedException {
        AtomicBoolean ran = new AtomicBoolean();
        Scheduler.Task task = Scheduler.system().schedule(() -> ran.set(true), TimeUnit.MILLISECONDS.toNanos(20));
        assertThat(task.cancel()).isTrue();

        CountDownLatch later = new CountDownLatch(1);
        Scheduler.system().schedule(later::countDown, TimeUnit.MILLISECONDS.toNanos(40));
        assertThat(later.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).isFalse();
    }

    @Test
    void executorSchedulerUsesTheGivenExecutor() throws InterruptedException {
        ScheduledThreadPoolExecutor executor =
                new ScheduledThreadPoolExecutor(1, task -> new Thread(task, "the-given-executor"));
        try {
            CountDownLatch ran = new CountDownLatch(1);
            AtomicReference<String> thread = new AtomicReference<>();
            Scheduler.of(executor).schedule(() -> {
                thread.set(Thread.currentThread().getName());
                ran.countDown();
            }, 1_000);
            assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(thread.get()).isEqualTo("the-given-executor");
        } finally {
            executor.shutdownNow();
        }
    }
}
