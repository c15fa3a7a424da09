package dev.bulwark.eventstore;

import dev.bulwark.eventstore.internal.journal.Journal;
import dev.bulwark.eventstore.internal.journal.JournalConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal backend passes the conformance suite, with group commit forcing every append to disk and segments
 * of 4 KiB, so that the suite also runs across many segment files.
 *
 * <p>The suite opens several stores over the same storage at once (an older and a newer application, say). A
 * journal directory can be open once per process, so here every store of a test shares one engine, opened on the
 * first store and closed after the test (after the suite has closed the stores).
 */
class JournalEventStoreConformanceTest extends EventStoreConformanceTest {

    @TempDir
    Path directory;

    private Journal journal;

    @RegisterExtension
    final AfterEachCallback closeJournal = context -> {
        if (journal != null) {
            journal.close();
        }
    };

    /** Synchronized: racing tests call the suite's lazy {@code store()} from several threads at once. */
    @Override
    protected synchronized EventStore open(EventStoreSettings settings) {
        if (journal == null) {
            journal = Journal.open(directory, new JournalConfig(JournalDurability.GROUP_COMMIT,
                    JournalOptions.MIN_SEGMENT_BYTES, settings.clock()));
        }
        return new JournalEventStore(journal, settings, false);
    }
}
