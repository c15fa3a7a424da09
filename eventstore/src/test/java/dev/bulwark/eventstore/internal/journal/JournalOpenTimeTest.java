package dev.bulwark.eventstore.internal.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.eventstore.JournalDurability;
import dev.bulwark.resilience.ManualClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A journal of a million events opens in a few seconds: from checkpoints, and after a crash left none. */
class JournalOpenTimeTest {
    private static final int EVENTS = 1_000_000;
    private static final int PER_RECORD = 1000;
    private static final int STREAMS = 10_000;
    private static final long OPEN_BUDGET_MILLIS = 5_000;

    @TempDir
    Path directory;

    @Test
    void aMillionEventJournalOpensInAFewSeconds() throws Exception {
        byte[] data = new byte[100];
        Arrays.fill(data, (byte) 'x');
        JournalConfig config = new JournalConfig(JournalDurability.NO_FSYNC, 64L << 20, new ManualClock());
        try (Journal journal = Journal.open(directory, config)) {
            for (int record = 0; record < EVENTS / PER_RECORD; record++) {
                int first = record * PER_RECORD;
                journal.execute(context -> {
                    for (int i = first; i < first + PER_RECORD; i++) {
                        String stream = "account-" + (i % STREAMS);
                        context.append(stream, context.stream(stream).version() + 1 + (i - first) / STREAMS,
                                UUID.randomUUID(), "deposited", 1, "{}".getBytes(StandardCharsets.UTF_8), data);
                    }
                    return null;
                });
            }
        }

        long fromCheckpoints = timeOpen(config);
        long segments;
        try (var files = Files.list(directory)) {
            segments = files.filter(file -> file.toString().endsWith(".log")).count();
        }
        Files.delete(SegmentCheckpoint.path(directory, segments));
        long afterCrash = timeOpen(config);

        System.out.printf("JournalOpenTimeTest: %d events in %d segments open in %d ms from checkpoints, %d ms when "
                + "the last segment must be scanned%n", EVENTS, segments, fromCheckpoints, afterCrash);
        assertThat(fromCheckpoints).isLessThan(OPEN_BUDGET_MILLIS);
        assertThat(afterCrash).isLessThan(OPEN_BUDGET_MILLIS);
    }

    private long timeOpen(JournalConfig config) {
        long start = System.nanoTime();
        try (Journal journal = Journal.open(directory, config)) {
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(journal.head()).isEqualTo(EVENTS);
            assertThat(journal.stream("account-7").version()).isEqualTo(EVENTS / STREAMS);
            assertThat(JournalFiles.text(journal.read(EVENTS))).startsWith("xxxx");
            return millis;
        }
    }
}
