package dev.bulwark.eventstore.internal.journal;

import static dev.bulwark.eventstore.internal.journal.JournalFiles.all;
import static dev.bulwark.eventstore.internal.journal.JournalFiles.append;
import static dev.bulwark.eventstore.internal.journal.JournalFiles.checkpoint;
import static dev.bulwark.eventstore.internal.journal.JournalFiles.open;
import static dev.bulwark.eventstore.internal.journal.JournalFiles.segment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.eventstore.JournalDurability;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine: what it writes it reads back, across segments and reopenings, and how it uses the disk. */
class JournalTest {
    private static final long SMALL_SEGMENTS = 4096;

    @TempDir
    Path directory;

    /** Streams with appends, a deletion, a recreation, a truncation and snapshots, over many small segments. */
    private void history(Journal journal) {
        for (int i = 0; i < 150; i++) {
            append(journal, "order-" + (i % 3), 2, "event " + i);
        }
        journal.execute(context -> {
            context.delete("order-1");
            context.truncate("order-2", 11);
            context.snapshot("order-0", 40, "order-state", 3, "state at 40".getBytes(StandardCharsets.UTF_8));
            return null;
        });
        append(journal, "order-1", 1, "recreated");
    }

    private record Picture(long head, List<String> streams, List<String> log, String snapshot) {
    }

    private static Picture picture(Journal journal) {
        List<String> streams = new ArrayList<>();
        for (String id : List.of("order-0", "order-1", "order-2")) {
            StreamView view = journal.stream(id);
            streams.add(view + " " + journal.readStream(view, 1, true, Integer.MAX_VALUE).stream()
                    .map(e -> e.version() + "@" + e.position() + "=" + JournalFiles.text(e)).toList());
        }
        String snapshot = journal.snapshot(journal.stream("order-0"))
                .map(s -> s.version() + " " + s.type() + "/" + s.schemaVersion() + " "
                        + new String(s.data(), StandardCharsets.UTF_8)).orElse("none");
        return new Picture(journal.head(), streams, all(journal).stream()
                .map(e -> e.streamId() + "@" + e.version() + "=" + JournalFiles.text(e)).toList(), snapshot);
    }

    @Test
    void theAppendThatSealsASegmentReturnsOnlyOnceTheSegmentsCheckpointIsWritten() {
        try (Journal journal = open(directory, JournalDurability.GROUP_COMMIT, SMALL_SEGMENTS)) {
            int appends = 0;
            while (!Files.exists(segment(directory, 2))) {
                assertThat(Files.exists(checkpoint(directory, 1))).isFalse();
                append(journal, "order-" + appends, 1, "event " + appends++);
            }

            assertThat(checkpoint(directory, 1)).exists();
            assertThat(SegmentCheckpoint.load(directory, 1).lastLsn()).isEqualTo(appends - 1);
        }
    }

    @Test
    void reopeningRebuildsTheSameIndexesWhetherFromCheckpointsOrFromTheRecords() throws Exception {
        Picture written;
        try (Journal journal = open(directory, JournalDurability.NO_FSYNC, SMALL_SEGMENTS)) {
            history(journal);
            written = picture(journal);
        }

        Picture fromCheckpoints;
        try (Journal journal = open(directory, JournalDurability.NO_FSYNC, SMALL_SEGMENTS)) {
            fromCheckpoints = picture(journal);
            assertThat(journal.recovery().segments()).isGreaterThan(3);
            assertThat(journal.recovery().checkpointsUsed()).isEqualTo(journal.recovery().segments());
            assertThat(journal.recovery().scannedBytes()).isZero();
        }
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (file.toString().endsWith(".idx")) {
                    Files.delete(file);
                }
            }
        }
        Picture fromRecords;
        try (Journal journal = open(directory, JournalDurability.NO_FSYNC, SMALL_SEGMENTS)) {
            fromRecords = picture(journal);
            assertThat(journal.recovery().checkpointsUsed()).isZero();
        }

        assertThat(written.log()).hasSize(301 - 10);
        assertThat(written.streams().get(1)).doesNotContain("deleted").contains("lifeStart=101").contains("=recreated#101").doesNotContain("event");
        assertThat(written.log()).filteredOn(line -> line.startsWith("order-2@")).hasSize(100 - 10);
        assertThat(written.snapshot()).isEqualTo("40 order-state/3 state at 40");
        assertThat(fromCheckpoints).isEqualTo(written);
        assertThat(fromRecords).isEqualTo(written);
        assertThat(Files.exists(checkpoint(directory, 1))).as("the scan wrote the checkpoints again").isTrue();
    }

    @Test
    void aJournalReopenedAfterACleanCloseContinuesTheSameSegment() {
        try (Journal journal = open(directory, JournalDurability.FSYNC_EACH, 1 << 20)) {
            append(journal, "order-1", 3, "first");
        }
        try (Journal journal = open(directory, JournalDurability.FSYNC_EACH, 1 << 20)) {
            append(journal, "order-1", 2, "second");
        }

        try (Journal journal = open(directory, JournalDurability.FSYNC_EACH, 1 << 20)) {
            assertThat(all(journal)).extracting(JournalFiles::text)
                    .containsExactly("first#1", "first#2", "first#3", "second#4", "second#5");
            assertThat(journal.recovery().segments()).isEqualTo(1);
            assertThat(Files.exists(segment(directory, 2))).isFalse();
        }
    }

    @Test
    void aTransactionThatThrowsStoresNothing() {
        try (Journal journal = open(directory, JournalDurability.FSYNC_EACH, 1 << 20)) {
            append(journal, "order-1", 1, "kept");

            assertThatThrownBy(() -> journal.execute(context -> {
                context.append("order-1", 2, UUID.randomUUID(), "note", 1, new byte[0], new byte[1]);
                throw new IllegalStateException("changed my mind");
            })).hasMessage("changed my mind");

            assertThat(journal.head()).isEqualTo(1);
            assertThat(journal.stats().records()).isEqualTo(1);
            assertThat(append(journal, "order-1", 1, "next")).isEqualTo(2);
        }
    }

    @Test
    void aVersionThatDoesNotFollowIsRefusedBeforeAnythingIsStaged() {
        try (Journal journal = open(directory, JournalDurability.NO_FSYNC, 1 << 20)) {
            assertThatThrownBy(() -> journal.execute(context -> context.append("order-1", 5, UUID.randomUUID(),
                    "note", 1, new byte[0], new byte[0])))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("version of the next event of order-1 must be 1, was 5");
        }
    }

    @Test
    void fsyncEachForcesEveryRecord() {
        try (Journal journal = open(directory, JournalDurability.FSYNC_EACH, 1 << 20)) {
            for (int i = 0; i < 5; i++) {
                append(journal, "order-1", 1, "e");
            }

            assertThat(journal.stats().forces()).isEqualTo(5);
        }
    }

    @Test
    void noFsyncNeverForcesWhileRunning() {
        try (Journal journal = open(directory, JournalDurability.NO_FSYNC, 1 << 20)) {
            for (int i = 0; i < 5; i++) {
                append(journal, "order-1", 1, "e");
            }

            assertThat(journal.stats().forces()).isZero();
        }
    }

    @Test
    void groupCommitSharesForcesAmongConcurrentAppendersAndLosesNothing() throws Exception {
        int threads = 8;
        int appendsEach = 40;
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try (Journal journal = open(directory, JournalDurability.GROUP_COMMIT, 1 << 20)) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String stream = "writer-" + t;
                futures.add(executor.submit(() -> {
                    start.await();
                    for (int i = 0; i < appendsEach; i++) {
                        long position = append(journal, stream, 2, stream);
                        assertThat(position).as("acknowledged means readable").isLessThanOrEqualTo(journal.head());
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : futures) {
                future.get(60, TimeUnit.SECONDS);
            }

            JournalStats stats = journal.stats();
            assertThat(stats.records()).isEqualTo(threads * appendsEach);
            assertThat(stats.forces()).isLessThan(stats.records());
            assertThat(journal.head()).isEqualTo(2L * threads * appendsEach);
            for (int t = 0; t < threads; t++) {
                assertThat(journal.stream("writer-" + t).version()).isEqualTo(2L * appendsEach);
            }
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void aSecondOpenOfTheSameDirectoryInThisProcessFailsNamingIt() {
        try (Journal journal = open(directory, JournalDurability.NO_FSYNC, 1 << 20)) {
            assertThatThrownBy(() -> open(directory, JournalDurability.NO_FSYNC, 1 << 20))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("journal directory " + directory.toAbsolutePath() + " is already open in this process;"
                            + " close the journal that has it before opening it again");
            assertThat(journal.isClosed()).isFalse();
        }
        try (Journal reopened = open(directory, JournalDurability.NO_FSYNC, 1 << 20)) {
            assertThat(reopened.isClosed()).isFalse();
        }
    }

    @Test
    void aClosedJournalRefusesReadsAndWrites() {
        Journal journal = open(directory, JournalDurability.NO_FSYNC, 1 << 20);
        journal.close();
        journal.close();

        assertThatThrownBy(() -> append(journal, "order-1", 1, "late"))
                .isInstanceOf(IllegalStateException.class).hasMessageEndingWith(" is closed");
        assertThatThrownBy(() -> journal.stream("order-1"))
                .isInstanceOf(IllegalStateException.class).hasMessageEndingWith(" is closed");
    }

    @Test
    void interruptingReadersAndAppendersInTheMiddleOfTheirIoDoesNotBreakTheJournal() throws Exception {
        try (Journal journal = open(directory, JournalDurability.GROUP_COMMIT, SMALL_SEGMENTS)) {
            append(journal, "order-1", 1, "first");
            AtomicBoolean done = new AtomicBoolean();
            AtomicInteger interruptedReads = new AtomicInteger();
            AtomicInteger interruptedAppends = new AtomicInteger();
            ExecutorService executor = Executors.newFixedThreadPool(2);
            Set<Thread> threads = ConcurrentHashMap.newKeySet();
            CountDownLatch started = new CountDownLatch(2);
            try {
                Future<?> reader = executor.submit(() -> {
                    threads.add(Thread.currentThread());
                    started.countDown();
                    while (!done.get()) {
                        assertThat(JournalFiles.text(journal.read(1))).isEqualTo("first#1");
                        if (Thread.interrupted()) {
                            interruptedReads.incrementAndGet();
                        }
                    }
                    return null;
                });
                Future<?> appender = executor.submit(() -> {
                    threads.add(Thread.currentThread());
                    started.countDown();
                    try {
                        for (int i = 0; i < 200; i++) {
                            append(journal, "order-2", 1, "appended");
                            if (Thread.interrupted()) {
                                interruptedAppends.incrementAndGet();
                            }
                        }
                    } finally {
                        done.set(true);
                    }
                    return null;
                });
                started.await(10, TimeUnit.SECONDS);
                while (!done.get()) {
                    for (Thread thread : threads) {
                        thread.interrupt();
                    }
                    Thread.sleep(0, 200_000);
                }
                appender.get(60, TimeUnit.SECONDS);
                reader.get(60, TimeUnit.SECONDS);
            } finally {
                executor.shutdownNow();
            }

            assertThat(interruptedReads.get() + interruptedAppends.get()).as("interrupts that landed").isPositive();
            assertThat(journal.head()).isEqualTo(201);
            assertThat(all(journal)).hasSize(201);
            assertThat(append(journal, "order-1", 1, "still writable")).isEqualTo(202);
        }
        try (Journal journal = open(directory, JournalDurability.GROUP_COMMIT, SMALL_SEGMENTS)) {
            assertThat(journal.head()).isEqualTo(202);
        }
    }

    @Test
    void theJournalStartsNoThread() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();

        try (Journal journal = open(directory, JournalDurability.GROUP_COMMIT, SMALL_SEGMENTS)) {
            for (int i = 0; i < 50; i++) {
                append(journal, "order-1", 2, "e");
            }
            Set<Thread> during = new HashSet<>(Thread.getAllStackTraces().keySet());
            during.removeAll(before);

            assertThat(during).isEmpty();
        }
    }

    @Test
    void configValuesAreChecked() {
        assertThatThrownBy(() -> open(directory, JournalDurability.NO_FSYNC, 100))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("segmentBytes must be in [4096, 1099511627776], was 100");
    }
}
