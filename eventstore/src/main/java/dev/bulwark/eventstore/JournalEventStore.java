package dev.bulwark.eventstore;

import dev.bulwark.eventstore.internal.journal.Journal;
import dev.bulwark.eventstore.internal.journal.JournalConfig;
import dev.bulwark.eventstore.internal.journal.JournalEvent;
import dev.bulwark.eventstore.internal.journal.JournalStats;
import dev.bulwark.eventstore.internal.journal.JournalTransaction;
import dev.bulwark.eventstore.internal.journal.StreamView;
import dev.bulwark.eventstore.internal.journal.TransactionContext;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * An event store in a directory on local disk: the zero-setup durable backend. Nothing to install, survives
 * crashes, and appends as fast as the disk forces data.
 *
 * <p>How it stores: an append-only log of records in segment files ({@code 00000000000000000001.log}, …), each
 * record checksummed with CRC32C and holding one append (of one or several streams) atomically, plus per-segment
 * index checkpoints ({@code .idx}) so that opening reads a few bytes per event rather than the whole log. Streams,
 * positions and event ids are indexed in memory (about 50 bytes per event).
 *
 * <p>Durability: see {@link JournalDurability}; by default appends from concurrent threads share forces (group
 * commit) and none returns before its data is on disk. Readers and subscriptions see an event only once it is
 * forced. On open, a torn record left at the end of the log by a crash is cut off with a warning; damage where
 * acknowledged data lies fails with {@link JournalCorruptedException} naming the file and offset.
 *
 * <p>Threads: the store starts none. An append runs on its caller's thread; with group commit, the first of the
 * waiting callers to get the disk forces the records of all of them (leader/follower), so concurrent appends share
 * forces without a writer thread. Reads run on the caller's thread; subscriptions on the executor given to them.
 *
 * <p>One process at a time: the directory is locked while the store is open; opening it again, from another
 * process or this one, fails with {@link IllegalStateException} naming the directory.
 *
 * <pre>{@code
 * EventSerializer serializer = EventSerializer.create(registry);
 * try (JournalEventStore store = JournalEventStore.open(Path.of("data/events"),
 *         JournalOptions.defaults(EventStoreSettings.defaults(serializer)))) {
 *     store.append("order-42", ExpectedVersion.NO_STREAM, List.of(EventData.of(new OrderPlaced("42"))));
 * }
 * }</pre>
 */
public final class JournalEventStore extends BaseEventStore {

    private final Journal journal;
    private final boolean ownsJournal;

    JournalEventStore(Journal journal, EventStoreSettings settings, boolean ownsJournal) {
        super(settings);
        this.journal = journal;
        this.ownsJournal = ownsJournal;
    }

    /**
     * Opens the store in a directory, creating it if needed, and recovers it after a crash.
     *
     * @throws IllegalStateException if another process, or another store in this one, has the directory open
     * @throws JournalCorruptedException if a record is damaged where acknowledged data lies
     * @throws UncheckedIOException if the directory cannot be read or written
     */
    public static JournalEventStore open(Path directory, JournalOptions options) {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(options, "options");
        Journal journal = Journal.open(directory, new JournalConfig(options.durability(), options.segmentBytes(),
                options.settings().clock()));
        return new JournalEventStore(journal, options.settings(), true);
    }

    /** The store's directory, absolute. */
    public Path directory() {
        return journal.directory();
    }

    /**
     * What the journal wrote since it was opened.
     *
     * @param records the records written: one per append, deletion, truncation or snapshot
     * @param forces how many times data was forced to disk; with group commit, fewer than records
     * @param bytes the bytes of records written
     */
    public record Stats(long records, long forces, long bytes) {
    }

    /** What the journal wrote since it was opened. */
    public Stats stats() {
        JournalStats stats = journal.stats();
        return new Stats(stats.records(), stats.forces(), stats.bytes());
    }

    /** The engine, for tests in this package. */
    Journal journal() {
        return journal;
    }

    @Override
    List<AppendResult> doAppend(List<PreparedEvent.Batch> batches) {
        return write(context -> {
            List<AppendResult> stored = new ArrayList<>(batches.size());
            int retries = 0;
            for (PreparedEvent.Batch batch : batches) {
                AppendResult retry = alreadyStoredOrNull(context, batch);
                stored.add(retry);
                retries += retry != null ? 1 : 0;
            }
            if (retries == batches.size()) {
                return stored;
            }
            if (retries > 0) {
                throw notARetry(context, batches, stored);
            }
            List<AppendResult> results = new ArrayList<>(batches.size());
            for (PreparedEvent.Batch batch : batches) {
                long version = context.stream(batch.streamId()).version();
                long position = 0;
                for (PreparedEvent event : batch.events()) {
                    position = context.append(batch.streamId(), ++version, event.eventId(), event.type(),
                            event.schemaVersion(), event.metadata(), event.data());
                }
                results.add(new AppendResult(batch.streamId(), version, position));
            }
            return results;
        });
    }

    /** Checks one batch: null if it may be written, the stored result if it is a retry; throws on conflict. */
    private AppendResult alreadyStoredOrNull(TransactionContext context, PreparedEvent.Batch batch) {
        AppendRules.StreamState state = rulesState(context.stream(batch.streamId()));
        AppendRules.Verdict verdict = AppendRules.check(batch.expectedVersion(), state,
                settings.recreateDeletedStreams());
        List<AppendRules.StoredEvent> found = new ArrayList<>();
        Predicate<JournalEvent> notTruncated =
                candidate -> candidate.version() >= context.stream(candidate.streamId()).firstLoggedVersion();
        for (PreparedEvent event : batch.events()) {
            JournalEvent stored = context.findEvent(event.eventId(), notTruncated);
            if (stored != null) {
                found.add(new AppendRules.StoredEvent(stored.eventId(), stored.streamId(), stored.version(),
                        stored.position()));
            }
        }
        if (verdict == AppendRules.Verdict.APPEND && found.isEmpty()) {
            return null;
        }
        AppendResult retry = AppendRules.alreadyStored(batch, state, found);
        if (retry != null) {
            return retry;
        }
        if (verdict != AppendRules.Verdict.APPEND) {
            throw AppendRules.conflict(batch.streamId(), batch.expectedVersion(), state, verdict);
        }
        throw AppendRules.duplicateEventId(batch.streamId(), found.get(0));
    }

    /** Some streams of a multi-stream append hold their events already and others do not: not a retry. */
    private static EventStoreException notARetry(TransactionContext context, List<PreparedEvent.Batch> batches,
            List<AppendResult> stored) {
        for (int i = 0; i < batches.size(); i++) {
            if (stored.get(i) != null) {
                PreparedEvent.Batch batch = batches.get(i);
                StreamView stream = context.stream(batch.streamId());
                return new WrongExpectedVersionException(batch.streamId(), batch.expectedVersion(), stream.version(),
                        stream.deleted());
            }
        }
        throw new IllegalStateException("no stored batch among " + stored);
    }

    private static AppendRules.StreamState rulesState(StreamView view) {
        return new AppendRules.StreamState(view.version(), view.lifeStartVersion(), view.deleted());
    }

    @Override
    StreamSlice doReadStream(String streamId, ReadDirection direction, long fromVersion, int maxCount) {
        StreamView view = journal.stream(streamId);
        if (view.version() == 0) {
            return new StreamSlice(streamId, direction, List.of(), 0, false, true);
        }
        boolean forward = direction == ReadDirection.FORWARD;
        List<JournalEvent> events = read(() -> journal.readStream(view, fromVersion, forward, maxCount));
        long start = forward ? Math.max(fromVersion, view.firstVisibleVersion()) : Math.min(fromVersion, view.version());
        boolean end = forward ? start + events.size() > view.version()
                : start - events.size() < view.firstVisibleVersion();
        return new StreamSlice(streamId, direction, decode(events), view.version(), view.deleted(), end);
    }

    @Override
    GlobalSlice doReadAll(long afterPosition, int maxCount, EventFilter filter) {
        Journal.Page page = read(() -> journal.readAll(afterPosition, maxCount, filter::matches));
        return new GlobalSlice(decode(page.events()), Math.max(afterPosition, page.checkpoint()), page.endOfLog());
    }

    /** The last position not truncated away: usually the journal's head, unless its last events were truncated. */
    @Override
    long doHeadPosition() {
        return read(journal::lastVisiblePosition);
    }

    @Override
    void doDeleteStream(String streamId, ExpectedVersion expectedVersion) {
        write(context -> {
            AppendRules.StreamState state = rulesState(context.stream(streamId));
            switch (AppendRules.checkDelete(expectedVersion, state)) {
                case DELETE -> context.delete(streamId);
                case NOTHING -> { }
                case CONFLICT -> throw new WrongExpectedVersionException(streamId, expectedVersion, state.version(),
                        state.deleted());
            }
            return null;
        });
    }

    @Override
    void doTruncateStream(String streamId, long beforeVersion) {
        write(context -> {
            StreamView stream = context.stream(streamId);
            AppendRules.requireExists(streamId, "truncate", stream.version() > 0, stream.deleted());
            AppendRules.requireTruncatable(streamId, beforeVersion, stream.version());
            if (beforeVersion > stream.firstLoggedVersion()) {
                context.truncate(streamId, beforeVersion);
            }
            return null;
        });
    }

    @Override
    void doSaveSnapshot(String streamId, long version, SerializedEvent state) {
        write(context -> {
            StreamView stream = context.stream(streamId);
            AppendRules.requireExists(streamId, "snapshot", stream.version() > 0, stream.deleted());
            AppendRules.requireSnapshotVersion(streamId, version, stream.version());
            if (version >= stream.snapshotVersion()) {
                context.snapshot(streamId, version, state.type(), state.schemaVersion(), state.data());
            }
            return null;
        });
    }

    @Override
    Optional<Snapshot> doLoadSnapshot(String streamId) {
        StreamView view = journal.stream(streamId);
        return read(() -> journal.snapshot(view)).map(stored -> codec.decodeSnapshot(streamId, stored.version(),
                stored.type(), stored.schemaVersion(), stored.data(), Instant.ofEpochMilli(stored.timestampMillis())));
    }

    @Override
    SubscriptionSource globalSource(EventFilter filter) {
        return new JournalSource(journal, globalReader(filter));
    }

    @Override
    SubscriptionSource streamSource(String streamId) {
        return new JournalSource(journal, streamReader(streamId));
    }

    @Override
    void doClose() {
        if (ownsJournal) {
            journal.close();
        } else {
            journal.wakeWaiters();
        }
    }

    private List<RecordedEvent> decode(List<JournalEvent> stored) {
        List<RecordedEvent> events = new ArrayList<>(stored.size());
        for (JournalEvent event : stored) {
            events.add(codec.decode(event.streamId(), event.version(), event.position(), event.eventId(), event.type(),
                    event.schemaVersion(), event.data(), event.metadata(), Instant.ofEpochMilli(event.timestampMillis())));
        }
        return events;
    }

    /** Runs a write on the journal; a failed write or force leaves the outcome unknown and the journal stopped. */
    private <R> R write(JournalTransaction<R> transaction) {
        try {
            return journal.execute(transaction);
        } catch (UncheckedIOException e) {
            throw new EventStoreException("journal " + journal.directory() + " could not write, so the outcome is "
                    + "unknown; it accepts no more writes until it is reopened", e);
        }
    }

    /** Runs a read; an I/O failure may pass, so it is reported as transient. */
    private static <R> R read(Supplier<R> read) {
        try {
            return read.get();
        } catch (UncheckedIOException e) {
            throw new TransientEventStoreException("reading the journal failed: " + e.getMessage(), false, e);
        }
    }

    @Override
    public String toString() {
        return "JournalEventStore[" + journal.directory() + "]";
    }
}
