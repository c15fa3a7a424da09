package dev.bulwark.eventstore;

import dev.bulwark.eventstore.TestEvents.ItemAdded;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The process that {@link JournalCrashTest} kills. Arguments: a mode, then the journal directory.
 * <ul>
 *   <li>{@code append <dir> <durability> <threads>}: each thread appends batches of three events to its stream
 *       {@code crash-<t>}, every other batch atomically together with one event in {@code mirror-<t>}, and prints
 *       {@code ACK <t> <stream version> <mirror version>} once the append returned, until the process is killed.</li>
 *   <li>{@code hold <dir>}: opens the journal and keeps it open until killed.</li>
 * </ul>
 * Prints {@code READY} once the journal is open.
 */
public final class JournalCrashChild {
    static final int BATCH = 3;

    private JournalCrashChild() {
    }

    public static void main(String[] args) throws Exception {
        Path directory = Path.of(args[1]);
        JournalDurability durability = args[0].equals("append") ? JournalDurability.valueOf(args[2])
                : JournalDurability.GROUP_COMMIT;
        JournalEventStore store = JournalEventStore.open(directory, options(durability));
        System.out.println("READY");
        if (args[0].equals("hold")) {
            Thread.sleep(Long.MAX_VALUE);
        }
        int threads = Integer.parseInt(args[3]);
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            writers.add(new Thread(() -> appendUntilKilled(store, thread), "writer-" + t));
        }
        writers.forEach(Thread::start);
        for (Thread writer : writers) {
            writer.join();
        }
    }

    static JournalOptions options(JournalDurability durability) {
        return JournalOptions.builder(EventStoreSettings.defaults(EventSerializer.create(TestEvents.registry())))
                .durability(durability)
                .segmentBytes(64 * 1024)
                .build();
    }

    static String stream(int thread) {
        return "crash-" + thread;
    }

    static String mirror(int thread) {
        return "mirror-" + thread;
    }

    /** What the event at this version of a thread's stream holds. */
    static ItemAdded expected(int thread, long version) {
        return new ItemAdded(stream(thread) + ":" + version, (int) version);
    }

    private static void appendUntilKilled(JournalEventStore store, int thread) {
        long version = store.readStream(stream(thread)).streamVersion();
        long mirrorVersion = store.readStream(mirror(thread)).streamVersion();
        while (true) {
            List<EventData> events = new ArrayList<>();
            for (int i = 1; i <= BATCH; i++) {
                events.add(EventData.of(expected(thread, version + i)));
            }
            StreamAppend main = new StreamAppend(stream(thread), ExpectedVersion.exactly(version), events);
            if ((version / BATCH) % 2 == 0) {
                StreamAppend companion = new StreamAppend(mirror(thread), ExpectedVersion.exactly(mirrorVersion),
                        List.of(EventData.of(new ItemAdded(mirror(thread), (int) (version / BATCH)))));
                store.appendAll(List.of(main, companion));
                mirrorVersion++;
            } else {
                store.append(main.streamId(), main.expectedVersion(), main.events());
            }
            version += BATCH;
            System.out.println("ACK " + thread + " " + version + " " + mirrorVersion);
        }
    }
}
