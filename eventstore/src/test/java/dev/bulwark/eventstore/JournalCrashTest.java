package dev.bulwark.eventstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durability under SIGKILL: a child JVM appends from several threads, printing each append once it is acknowledged;
 * the test kills it at a random moment, reopens the journal and checks that every acknowledged event is there,
 * readable and in order, and that nothing unacknowledged is there half-written (every batch whole, every
 * multi-stream append in all its streams or none). The rounds share one directory, so each round also recovers
 * what the earlier rounds and their crashes left.
 */
class JournalCrashTest {
    private static final int ROUNDS = 22;
    private static final Pattern ACK = Pattern.compile("ACK (\\d+) (\\d+) (\\d+)");

    @TempDir
    Path directory;
    @TempDir
    Path logs;

    @Test
    void everyAcknowledgedAppendSurvivesSigkillAndNothingElseIsHalfThere() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        Path journal = directory.resolve("journal");
        Path errors = logs.resolve("child-stderr.log");
        int torn = 0;
        for (int round = 0; round < ROUNDS; round++) {
            JournalDurability durability = round % 2 == 0 ? JournalDurability.GROUP_COMMIT
                    : JournalDurability.FSYNC_EACH;
            int threads = durability == JournalDurability.GROUP_COMMIT ? 6 : 2;
            String context = "round " + round + " (" + durability + ", seed " + seed + ", child log " + errors + ")";

            ChildJvm child = ChildJvm.start(JournalCrashChild.class, errors, "append", journal.toString(),
                    durability.name(), Integer.toString(threads));
            assertThat(child.awaitFirstLine(60, TimeUnit.SECONDS)).as("child appending in " + context).isTrue();
            Thread.sleep(random.nextInt(250));
            child.kill();

            Map<Integer, long[]> acknowledged = acknowledged(child.lines());
            assertThat(acknowledged).as("appends acknowledged in " + context).isNotEmpty();
            torn += verify(journal, acknowledged, context);
        }
        System.out.printf("JournalCrashTest: %d rounds, seed %d, %d torn tails cut off%n", ROUNDS, seed, torn);
    }

    /** The highest stream and mirror versions acknowledged per thread. */
    private static Map<Integer, long[]> acknowledged(List<String> lines) {
        Map<Integer, long[]> highest = new HashMap<>();
        for (String line : lines) {
            Matcher ack = ACK.matcher(line);
            if (ack.matches()) {
                long[] versions = highest.computeIfAbsent(Integer.parseInt(ack.group(1)), t -> new long[2]);
                versions[0] = Math.max(versions[0], Long.parseLong(ack.group(2)));
                versions[1] = Math.max(versions[1], Long.parseLong(ack.group(3)));
            }
        }
        return highest;
    }

    /** Reopens the journal, checks it, and returns how many torn tails were cut off. */
    private static int verify(Path journal, Map<Integer, long[]> acknowledged, String context) {
        try (JournalEventStore store = JournalEventStore.open(journal,
                JournalCrashChild.options(JournalDurability.FSYNC_EACH))) {
            long streamEvents = 0;
            for (int thread = 0; thread < 6; thread++) {
                StreamSlice stream = store.readStream(JournalCrashChild.stream(thread));
                StreamSlice mirror = store.readStream(JournalCrashChild.mirror(thread));
                long[] acked = acknowledged.getOrDefault(thread, new long[2]);
                String which = JournalCrashChild.stream(thread) + " in " + context;

                assertThat(stream.streamVersion()).as("acknowledged version of " + which)
                        .isGreaterThanOrEqualTo(acked[0]);
                assertThat(mirror.streamVersion()).as("acknowledged mirror version of " + which)
                        .isGreaterThanOrEqualTo(acked[1]);
                assertThat(stream.streamVersion() % JournalCrashChild.BATCH).as("whole batches in " + which).isZero();
                long batches = stream.streamVersion() / JournalCrashChild.BATCH;
                assertThat(mirror.streamVersion()).as("multi-stream appends all or nothing in " + which)
                        .isEqualTo((batches + 1) / 2);
                for (int i = 0; i < stream.events().size(); i++) {
                    RecordedEvent event = stream.events().get(i);
                    assertThat(event.version()).as("version order in " + which).isEqualTo(i + 1L);
                    assertThat(event.data()).as("event data in " + which)
                            .isEqualTo(JournalCrashChild.expected(thread, i + 1L));
                }
                streamEvents += stream.streamVersion() + mirror.streamVersion();
            }
            long logEvents = 0;
            long lastPosition = 0;
            long checkpoint = EventStore.START;
            GlobalSlice slice;
            do {
                slice = store.readAll(checkpoint, 5000, EventFilter.ALL);
                for (RecordedEvent event : slice.events()) {
                    assertThat(event.position()).as("positions in " + context).isGreaterThan(lastPosition);
                    lastPosition = event.position();
                }
                logEvents += slice.events().size();
                checkpoint = slice.checkpoint();
            } while (!slice.endOfLog());
            assertThat(logEvents).as("no stray events in the log in " + context).isEqualTo(streamEvents);
            return store.journal().recovery().truncations().size();
        }
    }

    @Test
    void aSecondProcessCannotOpenADirectoryThatIsOpen() throws Exception {
        Path journal = directory.resolve("held");
        ChildJvm holder = ChildJvm.start(JournalCrashChild.class, logs.resolve("holder.log"), "hold",
                journal.toString());
        try {
            assertThat(holder.awaitReady(60, TimeUnit.SECONDS)).isTrue();

            org.assertj.core.api.Assertions.assertThatThrownBy(() -> JournalEventStore.open(journal,
                    JournalCrashChild.options(JournalDurability.GROUP_COMMIT)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageMatching("journal directory " + Pattern.quote(journal.toAbsolutePath().toString())
                            + " is locked by another process \\(pid \\d+\\); a journal can be open in one process at "
                            + "a time");
        } finally {
            holder.kill();
        }

        try (JournalEventStore store = JournalEventStore.open(journal,
                JournalCrashChild.options(JournalDurability.GROUP_COMMIT))) {
            assertThat(Files.isDirectory(store.directory())).as("the lock dies with its process").isTrue();
        }
    }
}
