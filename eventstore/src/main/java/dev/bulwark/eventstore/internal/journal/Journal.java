package dev.bulwark.eventstore.internal.journal;

import dev.bulwark.eventstore.JournalDurability;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiPredicate;
import java.util.function.BooleanSupplier;

/**
 * The embedded journal engine: an append-only log of checksummed records in segment files, with in-memory indexes
 * of streams and positions, rebuilt on open. The event store API is built on top of it.
 *
 * <p>Threads: none of its own. Writes run on the caller's thread and share forces with concurrent callers (see
 * {@link JournalWriter}); reads run on the caller's thread and see only forced records.
 *
 * <p>One process at a time: the directory is locked while the journal is open.
 */
public final class Journal implements AutoCloseable {
    /** How many events {@link #readAll} looks at, at most, per call. */
    private static final long MAX_SCANNED_PER_READ = 100_000;

    private final Path directory;
    private final DirectoryLock directoryLock;
    private final JournalState state;
    private final SegmentList segments;
    private final JournalReader reader;
    private final JournalWriter writer;
    private final RecoveryReport recovery;
    private final AtomicBoolean closed = new AtomicBoolean();

    private final ReentrantLock headLock = new ReentrantLock();
    private final Condition headMoved = headLock.newCondition();
    private final AtomicInteger headWaiters = new AtomicInteger();

    private Journal(Path directory, JournalConfig config, DirectoryLock directoryLock, JournalState state,
            Recovery.Result recovered) {
        this.directory = directory;
        this.directoryLock = directoryLock;
        this.state = state;
        this.segments = recovered.segments();
        this.recovery = recovered.report();
        this.reader = new JournalReader(segments, state);
        this.writer = new JournalWriter(directory, config, state, segments, reader, recovered, this::signalHead);
    }

    /**
     * Opens (or creates) the journal in a directory: locks it and recovers it.
     *
     * @throws IllegalStateException if another process, or another journal in this process, has the directory open
     * @throws dev.bulwark.eventstore.JournalCorruptedException if a record is damaged where acknowledged data lies
     * @throws UncheckedIOException if the directory cannot be read or written
     */
    public static Journal open(Path directory, JournalConfig config) {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(config, "config");
        Path absolute = directory.toAbsolutePath().normalize();
        DirectoryLock lock = null;
        try {
            Files.createDirectories(absolute);
            lock = DirectoryLock.acquire(absolute);
            JournalState state = new JournalState();
            Recovery.Result recovered = Recovery.run(absolute, state,
                    config.durability() != JournalDurability.NO_FSYNC);
            return new Journal(absolute, config, lock, state, recovered);
        } catch (IOException e) {
            releaseQuietly(lock, e);
            throw new UncheckedIOException("cannot open journal " + absolute + ": " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            releaseQuietly(lock, e);
            throw e;
        }
    }

    private static void releaseQuietly(DirectoryLock lock, Throwable failure) {
        if (lock != null) {
            try {
                lock.close();
            } catch (IOException suppressed) {
                failure.addSuppressed(suppressed);
            }
        }
    }

    /** The journal's directory, absolute. */
    public Path directory() {
        return directory;
    }

    /** What opening found and did. */
    public RecoveryReport recovery() {
        return recovery;
    }

    /** Counters since open. */
    public JournalStats stats() {
        return writer.stats();
    }

    /**
     * Runs a transaction, in log order, and returns its result once its record is durable; rethrows what it throws
     * (then nothing it staged is kept).
     *
     * @throws IllegalStateException if the journal is closed or failed
     */
    public <R> R execute(JournalTransaction<R> transaction) {
        Objects.requireNonNull(transaction, "transaction");
        return writer.execute(transaction);
    }

    /** A stream as readers see it: up to the last forced record. */
    public StreamView stream(String streamId) {
        checkOpen();
        return state.published(Objects.requireNonNull(streamId, "streamId"));
    }

    /** The last position readers can read; 0 if the log is empty. */
    public long head() {
        return state.head();
    }

    /** The last position up to the head whose event is not truncated away; 0 if there is none. */
    public long lastVisiblePosition() {
        checkOpen();
        return reader.lastVisible(state.head());
    }

    /** Reads one event by position (1 to {@link #head()}). */
    public JournalEvent read(long position) {
        checkOpen();
        long head = state.head();
        if (position < 1 || position > head) {
            throw new IllegalArgumentException("position must be in [1, " + head + "], was " + position);
        }
        return reader.read(position);
    }

    /** Reads a stream by version from a view of it; see {@link JournalReader#readStream}. */
    public List<JournalEvent> readStream(StreamView view, long fromVersion, boolean forward, int maxCount) {
        checkOpen();
        return reader.readStream(view, fromVersion, forward, maxCount);
    }

    /**
     * Reads the global log after a position, keeping visible events the filter accepts (given stream id and type).
     *
     * @return the events, the position read up to, and whether that is the head
     */
    public Page readAll(long afterPosition, int maxCount, BiPredicate<String, String> filter) {
        checkOpen();
        JournalReader.Page page = reader.readAll(afterPosition, maxCount, MAX_SCANNED_PER_READ, state.head(), filter);
        return new Page(page.events(), page.checkpoint(), page.endOfLog());
    }

    /** A page of the global log: see {@link #readAll}. */
    public record Page(List<JournalEvent> events, long checkpoint, boolean endOfLog) {
    }

    /** The snapshot a view of a stream points to. */
    public Optional<StoredSnapshot> snapshot(StreamView view) {
        checkOpen();
        return reader.snapshot(view);
    }

    /**
     * Waits until the head passes {@code position}, the journal closes, or {@code stop} says so after a
     * {@link #wakeWaiters()}. No signal is lost: the head and the stop condition are checked under the lock that
     * signalling takes.
     *
     * @return the head when it returns
     */
    public long awaitHeadAfter(long position, BooleanSupplier stop) throws InterruptedException {
        headLock.lock();
        headWaiters.incrementAndGet();
        try {
            while (state.head() <= position && !stop.getAsBoolean() && !closed.get()) {
                headMoved.await();
            }
            return state.head();
        } finally {
            headWaiters.decrementAndGet();
            headLock.unlock();
        }
    }

    /** Wakes every {@link #awaitHeadAfter} waiter, to re-check its stop condition. */
    public void wakeWaiters() {
        headLock.lock();
        try {
            headMoved.signalAll();
        } finally {
            headLock.unlock();
        }
    }

    /** Called by the writer after each publish: the head is written before the waiter count is read. */
    private void signalHead() {
        if (headWaiters.get() > 0) {
            wakeWaiters();
        }
    }

    public boolean isClosed() {
        return closed.get();
    }

    /**
     * Makes every write durable, writes the index checkpoint, wakes waiting readers and releases the directory.
     * Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        writer.close();
        wakeWaiters();
        try {
            segments.closeAll();
            directoryLock.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close journal " + directory, e);
        }
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException("journal " + directory + " is closed");
        }
    }

    @Override
    public String toString() {
        return "Journal[" + directory + ", head=" + state.head() + "]";
    }
}
