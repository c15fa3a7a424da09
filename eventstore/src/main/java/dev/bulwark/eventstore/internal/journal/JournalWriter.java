package dev.bulwark.eventstore.internal.journal;

import dev.bulwark.eventstore.JournalDurability;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal's writer thread: it runs the submitted transactions one after another, writes their records at the
 * end of the log, forces them to disk, then makes them visible to readers and returns each result to its caller.
 *
 * <p>Group commit. Callers put their transaction in a queue and wait. The writer takes everything queued (one at a
 * time under {@link JournalDurability#FSYNC_EACH}), runs it, writes the records with one write and forces once.
 * While it forces, new transactions queue up and form the next group: the "window" in which appends share a force
 * is the duration of the previous force, so a lone caller waits for nothing but its own force, and many callers
 * share one force per group.
 *
 * <p>Why it is correct:
 * <ul>
 *   <li>Records are applied to the {@link JournalState} by this thread only, as soon as each transaction returns,
 *       so every transaction checks against all earlier ones, forced or not, and log order is check order.</li>
 *   <li>A caller gets its result only after the force that covers its record has returned (or, with
 *       {@link JournalDurability#NO_FSYNC}, after the write): an acknowledged record is on disk.</li>
 *   <li>Readers see only what {@link JournalState#publish()} exposes, which this thread calls after that force: no
 *       reader sees an event that a crash could still take away.</li>
 *   <li>Each record carries the highest sequence number acknowledged before its group began ({@code ackedLsn}),
 *       which lets recovery prove whether a damaged record had been acknowledged (see {@link SegmentScanner}).</li>
 *   <li>When a segment is full, it is forced before the next one gets any record, so only the last segment can
 *       have a torn tail.</li>
 *   <li>A failed write or force leaves the file in an unknown state: the writer fails the group's callers with
 *       "outcome unknown", refuses all further writes and stops. Reopening the journal recovers.</li>
 * </ul>
 */
final class JournalWriter implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(JournalWriter.class);
    private static final int MAX_GROUP_TRANSACTIONS = 1024;
    private static final int FLUSH_BYTES = 4 << 20;

    private final Path directory;
    private final JournalConfig config;
    private final JournalState state;
    private final SegmentList segments;
    private final JournalReader reader;
    private final Runnable onPublish;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition hasWork = lock.newCondition();
    /** Guarded by {@code lock}. */
    private final ArrayDeque<Pending<?>> queue = new ArrayDeque<>();
    /** Guarded by {@code lock}. */
    private boolean stopping;
    /** Guarded by {@code lock}: why the writer stopped, if it failed. */
    private Throwable failure;

    /** Confined to the writer thread from here on (set up by the opener before the thread starts). */
    private Segment active;
    private long written;
    private ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
    private long nextLsn;
    private long ackedLsn;
    private GrowableBuffer summaries;
    private IOException writeFailure;

    /** Written by the writer thread only, read by any. */
    private volatile long records;
    private volatile long forces;
    private volatile long bytes;

    JournalWriter(Path directory, JournalConfig config, JournalState state, SegmentList segments,
            JournalReader reader, long written, long nextLsn, GrowableBuffer summaries, Runnable onPublish) {
        this.directory = directory;
        this.config = config;
        this.state = state;
        this.segments = segments;
        this.reader = reader;
        this.onPublish = onPublish;
        this.active = segments.last();
        this.written = written;
        this.nextLsn = nextLsn;
        this.ackedLsn = nextLsn - 1;
        this.summaries = summaries;
    }

    /** Runs a transaction on the writer thread and waits until its record is durable (see the class comment). */
    <R> R submit(JournalTransaction<R> transaction) {
        Pending<R> pending = new Pending<>(transaction);
        lock.lock();
        try {
            if (failure != null) {
                throw new IllegalStateException("journal " + directory + " failed and accepts no more writes; reopen"
                        + " it to recover", failure);
            }
            if (stopping) {
                throw new IllegalStateException("journal " + directory + " is closed");
            }
            queue.add(pending);
            hasWork.signal();
        } finally {
            lock.unlock();
        }
        return pending.await();
    }

    /** Asks the writer to finish the queued transactions and stop. */
    void stop() {
        lock.lock();
        try {
            stopping = true;
            hasWork.signalAll();
        } finally {
            lock.unlock();
        }
    }

    JournalStats stats() {
        return new JournalStats(records, forces, bytes);
    }

    @Override
    public void run() {
        try {
            List<Pending<?>> group;
            while ((group = nextGroup()) != null) {
                runGroup(group);
            }
            flush();
            active.channel.force(false);
            writeCheckpoint();
        } catch (Throwable t) {
            LOG.error("The writer of journal {} failed; the journal accepts no more writes until it is reopened",
                    directory, t);
            failQueued(t);
        }
    }

    private List<Pending<?>> nextGroup() {
        lock.lock();
        try {
            while (queue.isEmpty()) {
                if (stopping) {
                    return null;
                }
                hasWork.awaitUninterruptibly();
            }
            int max = config.durability() == JournalDurability.FSYNC_EACH ? 1 : MAX_GROUP_TRANSACTIONS;
            List<Pending<?>> group = new ArrayList<>(Math.min(queue.size(), max));
            while (!queue.isEmpty() && group.size() < max) {
                group.add(queue.poll());
            }
            return group;
        } finally {
            lock.unlock();
        }
    }

    private void runGroup(List<Pending<?>> group) throws IOException {
        long groupAckedLsn = ackedLsn;
        try {
            boolean wrote = false;
            for (Pending<?> pending : group) {
                WriterTransaction transaction = new WriterTransaction(this, state, config.clock().currentTimeMillis());
                List<Op> ops;
                int frameSize;
                try {
                    pending.run(transaction);
                    ops = transaction.finish();
                    frameSize = ops.isEmpty() ? 0 : RecordCodec.frameSize(ops);
                } catch (RuntimeException e) {
                    transaction.finish();
                    pending.fail(e);
                    continue;
                }
                if (writeFailure != null) {
                    throw writeFailure;
                }
                if (frameSize > 0) {
                    append(ops, frameSize, transaction.timestampMillis(), groupAckedLsn);
                    wrote = true;
                }
            }
            if (wrote) {
                flush();
                if (config.durability() != JournalDurability.NO_FSYNC) {
                    force();
                }
                ackedLsn = nextLsn - 1;
            }
        } catch (IOException | RuntimeException | Error e) {
            RuntimeException unknown = e instanceof IOException io
                    ? new UncheckedIOException("journal " + directory + " could not write; the outcome is unknown", io)
                    : new IllegalStateException("journal " + directory + " failed; the outcome is unknown", e);
            for (Pending<?> pending : group) {
                if (!pending.failed()) {
                    pending.fail(unknown);
                }
                pending.complete();
            }
            throw e;
        }
        state.publish();
        onPublish.run();
        for (Pending<?> pending : group) {
            pending.complete();
        }
    }

    private void append(List<Op> ops, int frameSize, long timestampMillis, long groupAckedLsn) throws IOException {
        long offset = written + buffer.position();
        if (offset + frameSize > config.segmentBytes() && offset > Segment.HEADER_BYTES) {
            flush();
            roll();
            offset = written;
        }
        if (buffer.remaining() < frameSize) {
            flush();
            offset = written;
            if (buffer.capacity() < frameSize) {
                buffer = ByteBuffer.allocateDirect(frameSize);
            }
        }
        boolean hasEvents = ops.stream().anyMatch(op -> op instanceof Op.Append);
        RecordHeader header = new RecordHeader(nextLsn, groupAckedLsn, timestampMillis,
                hasEvents ? state.lastPosition() + 1 : 0);
        RecordCodec.writeFrame(buffer, header, ops, frameSize);
        state.apply(active.number, offset, header, ops);
        RecordCodec.writeSummary(summaries, offset, header, ops);
        nextLsn++;
        records++;
        bytes += frameSize;
        if (buffer.position() >= FLUSH_BYTES) {
            flush();
        }
    }

    /** Reads an event a transaction asks for, writing out the buffer first if the event is still in it. */
    JournalEvent readUnforced(long position) {
        long address = state.addressOf(position);
        if (JournalState.segmentOf(address) == active.number && JournalState.offsetOf(address) >= written) {
            try {
                flush();
            } catch (IOException e) {
                writeFailure = e;
                throw new UncheckedIOException(e);
            }
        }
        return reader.read(position);
    }

    private void flush() throws IOException {
        if (buffer.position() == 0) {
            return;
        }
        buffer.flip();
        int length = buffer.remaining();
        Segment.writeFully(active.channel, buffer, written);
        written += length;
        buffer.clear();
    }

    private void force() throws IOException {
        active.channel.force(false);
        forces++;
    }

    private void roll() throws IOException {
        boolean durable = config.durability() != JournalDurability.NO_FSYNC;
        if (durable) {
            force();
        }
        writeCheckpoint();
        Segment next = Segment.create(directory, active.number + 1, nextLsn, durable);
        segments.add(next);
        LOG.debug("Journal {} sealed segment {} at {} bytes and started segment {}", directory, active.number, written,
                next.number);
        active = next;
        written = Segment.HEADER_BYTES;
        summaries = new GrowableBuffer(1 << 16);
    }

    private void writeCheckpoint() {
        try {
            SegmentCheckpoint.write(directory, active.number, written, nextLsn - 1, summaries.written());
        } catch (IOException e) {
            LOG.warn("Could not write the index checkpoint of segment {} of journal {}; the next open will scan it",
                    active.number, directory, e);
        }
    }

    private void failQueued(Throwable cause) {
        lock.lock();
        try {
            failure = cause;
            stopping = true;
            IllegalStateException failed = new IllegalStateException("journal " + directory + " failed and accepts no"
                    + " more writes; reopen it to recover", cause);
            Pending<?> pending;
            while ((pending = queue.poll()) != null) {
                pending.fail(failed);
                pending.complete();
            }
        } finally {
            lock.unlock();
        }
    }
}
