package dev.bulwark.eventstore.internal.journal;

import static dev.bulwark.eventstore.internal.journal.JournalFiles.all;
import static dev.bulwark.eventstore.internal.journal.JournalFiles.append;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.eventstore.JournalDurability;
import dev.bulwark.resilience.Clock;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group commit under contention, on the system clock so that leaders also wait for their groups to fill: many
 * threads that come and go (some pause between appends, some are interrupted while they wait), over rolling
 * segments. Every append returns only once it is readable, none is lost or doubled, and none waits forever.
 */
class GroupCommitStressTest {
    private static final int THREADS = 12;
    private static final int APPENDS_EACH = 150;

    @TempDir
    Path directory;

    @Test
    void manyThreadsThatComeAndGoAllGetTheirAppendsDurableAndNoneIsStranded() throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(THREADS);
        List<Thread> threads = new CopyOnWriteArrayList<>();
        AtomicBoolean done = new AtomicBoolean();
        try (Journal journal = Journal.open(directory,
                new JournalConfig(JournalDurability.GROUP_COMMIT, 64 * 1024, Clock.system()))) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                String stream = "writer-" + t;
                boolean pauses = t % 3 == 0;
                futures.add(executor.submit(() -> {
                    start.await();
                    threads.add(Thread.currentThread());
                    for (int i = 0; i < APPENDS_EACH; i++) {
                        long position = append(journal, stream, 1 + i % 3, stream);
                        assertThat(position).as("acknowledged means readable").isLessThanOrEqualTo(journal.head());
                        Thread.interrupted();
                        if (pauses && i % 10 == 0) {
                            LockSupport.parkNanos(ThreadLocalRandom.current().nextInt(2_000_000));
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            Thread interrupter = new Thread(() -> {
                while (!done.get()) {
                    if (!threads.isEmpty()) {
                        threads.get(ThreadLocalRandom.current().nextInt(threads.size())).interrupt();
                    }
                    LockSupport.parkNanos(500_000);
                }
            });
            interrupter.start();
            try {
                for (Future<?> future : futures) {
                    future.get(120, TimeUnit.SECONDS);
                }
            } finally {
                done.set(true);
                interrupter.join();
            }

            JournalStats stats = journal.stats();
            long expectedEvents = 0;
            for (int i = 0; i < APPENDS_EACH; i++) {
                expectedEvents += 1 + i % 3;
            }
            assertThat(stats.records()).isEqualTo((long) THREADS * APPENDS_EACH);
            assertThat(stats.forces()).as("appends share forces").isLessThan(stats.records());
            assertThat(journal.head()).isEqualTo(THREADS * expectedEvents);
            assertThat(all(journal)).hasSize((int) (THREADS * expectedEvents));
            for (int t = 0; t < THREADS; t++) {
                assertThat(journal.stream("writer-" + t).version()).isEqualTo(expectedEvents);
            }
        } finally {
            executor.shutdownNow();
        }
    }
}
