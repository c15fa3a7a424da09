package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A timeout that fires just as the call ends must never leave the worker thread interrupted: the interrupt
 * would hit the thread's next task. The worker here is a bare thread over a queue (a ThreadPoolExecutor
 * would clear the flag itself and hide the bug); a leaked interrupt makes its next {@code take()} throw.
 */
class TimeoutInterruptStressTest {
    private static final Runnable STOP = () -> { };

    @Test
    void aTimeoutRacingTheEndOfTheCallNeverLeavesTheWorkerInterrupted() throws Exception {
        BlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
        AtomicInteger leaked = new AtomicInteger();
        Thread worker = new Thread(() -> {
            while (true) {
                Runnable task;
                try {
                    task = queue.take();
                } catch (InterruptedException leak) {
                    leaked.incrementAndGet();
                    continue;
                }
                if (task == STOP) {
                    return;
                }
                task.run();
            }
        }, "bare-worker");
        worker.start();
        Executor executor = queue::add;
        Timeout timeout = Timeout.of("race", TimeoutConfig.builder().timeout(Duration.ofNanos(300_000))
                .executor(executor).build());
        AtomicInteger timedOut = new AtomicInteger();
        // an interrupt seen as a call starts is a leak only if that call then succeeds: a timeout firing just
        // after the start legitimately interrupts its own call, and is then what the call ends with
        AtomicInteger succeededButStartedInterrupted = new AtomicInteger();

        for (int i = 0; i < 300; i++) {
            long spin = ThreadLocalRandom.current().nextLong(2_000_000);
            boolean[] interruptedAtStart = {false};
            try {
                timeout.call(() -> {
                    interruptedAtStart[0] = Thread.currentThread().isInterrupted();
                    long end = System.nanoTime() + spin;
                    while (System.nanoTime() < end) {
                        Thread.onSpinWait(); // ignores interrupts, so the race with the end of the call is real
                    }
                    return spin;
                });
                if (interruptedAtStart[0]) {
                    succeededButStartedInterrupted.incrementAndGet();
                }
            } catch (TimeoutExceededException expected) {
                timedOut.incrementAndGet();
            }
        }
        queue.add(STOP);
        worker.join(10_000);

        assertThat(leaked).hasValue(0);
        assertThat(succeededButStartedInterrupted).hasValue(0);
        assertThat(timedOut.get()).as("some calls must time out for the test to mean anything").isPositive();
        assertThat(timeout.metrics().timedOut() + timeout.metrics().successful()).isEqualTo(300);
    }
}
