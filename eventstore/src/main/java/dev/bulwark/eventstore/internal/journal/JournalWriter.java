package dev.bulwark.eventstore.internal.journal;

import dev.bulwark.eventstore.JournalDurability;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the journal: runs each transaction on its caller's thread, in log order, and returns only once its record
 * is durable. It starts no thread.
 *
 * <p>How (group commit, leader/follower). A caller takes {@code sequenceLock}, runs its transaction against the
 * state (which includes every earlier record, forced or not), encodes the record into the shared buffer and applies
 * it to the state, then lets go. To make its record durable it tries {@code forceLock}: the caller that gets it is
 * the leader, which (under {@code sequenceLock}, briefly) writes out the buffer and notes what it covers, then
 * forces the file outside {@code sequenceLock}, publishes and wakes the others; the rest are followers and wait
 * for the leader's signal, returning if their record is now durable and competing for the next round otherwise.
 * While a leader forces, new callers keep sequencing into the buffer, so each force covers everything that arrived
 * during the one before, and a lone caller forces its own record with no hand-off at all. When the last force
 * covered several records (so several threads are appending), a new leader first yields the processor once: the
 * callers just woken by the last force are then likely to sequence their next record in time for this force,
 * instead of the groups splitting into halves that alternate.
 * {@link JournalDurability#FSYNC_EACH} and {@link JournalDurability#NO_FSYNC} skip the leader: the caller writes
 * (and forces) its record under {@code sequenceLock}.
 *
 * <p>Why it is correct:
 * <ul>
 *   <li>Records are encoded and applied under {@code sequenceLock}, so log order is check order and every
 *       transaction checks against all earlier ones.</li>
 *   <li>A caller returns only when {@code durableLsn} reaches its record (or, for a transaction that staged nothing,
 *       the last record it could have seen), and {@code durableLsn} moves only after a force that began after the
 *       record was written.</li>
 *   <li>Readers see only what a {@link JournalState.Publication} exposes; the leader prepares it under
 *       {@code sequenceLock} together with the write it forces, and publishes it after the force. Leaders are
 *       serialized by {@code forceLock}, so publications land in order.</li>
 *   <li>Each record carries the {@code durableLsn} of its sequencing ({@code ackedLsn}), which lets recovery prove
 *       that a damaged record had been acknowledged (see {@link SegmentScanner}).</li>
 *   <li>A full segment is cut to its last record and forced (with its new size) before the next one gets a record,
 *       so only the last segment can have a torn tail or zeros after its records.</li>
 *   <li>A failed write or force leaves the file in an unknown state: every caller still waiting gets "outcome
 *       unknown", and the journal refuses further writes. Reopening it recovers.</li>
 * </ul>
 * Lock order: {@code forceLock} before {@code sequenceLock} before {@code ackLock}; nothing is taken while holding
 * {@code ackLock}.
 */
final class JournalWriter {
    private static final Logger LOG = LoggerFactory.getLogger(JournalWriter.class);
    private static final int FLUSH_BYTES = 4 << 20;
    /**
     * How far ahead of its records the active segment is extended with zeros, at most (see {@link Segment}): one
     * force in about a megabyte of records pays for the new file size, the others force data only.
     */
    static final long PREALLOCATION_BYTES = 1 << 20;

    private final Path directory;
    private final JournalConfig config;
    private final JournalState state;
    private final SegmentList segments;
    private final JournalReader reader;
    private final Runnable onPublish;

    private final ReentrantLock sequenceLock = new ReentrantLock();
    private final ReentrantLock forceLock = new ReentrantLock();
    private final ReentrantLock ackLock = new ReentrantLock();
    private final Condition acked = ackLock.newCondition();

    /** Guarded by {@code sequenceLock}. */
    private Segment active;
    private long written;
    /** The size of the active segment's file: records up to {@code written}, then zeros. */
    private long allocated;
    private ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
    private long nextLsn;
    private GrowableBuffer summaries;
    private boolean closed;

    /** How many records the last group commit forced. Guarded by {@code forceLock}. */
    private long lastGroupRecords;
    /** The last record forced (or, without fsync, written) and published. */
    private volatile long durableLsn;
    /** Why the journal stopped accepting writes, if it failed. */
    private volatile Throwable failure;

    private volatile long records;
    private volatile long bytes;
    private final AtomicLong forces = new AtomicLong();

    JournalWriter(Path directory, JournalConfig config, JournalState state, SegmentList segments,
            JournalReader reader, long written, long allocated, long nextLsn, GrowableBuffer summaries,
            Runnable onPublish) {
        this.directory = directory;
        this.config = config;
        this.state = state;
        this.segments = segments;
        this.reader = reader;
        this.onPublish = onPublish;
        this.active = segments.last();
        this.written = written;
        this.allocated = allocated;
        this.nextLsn = nextLsn;
        this.durableLsn = nextLsn - 1;
        this.summaries = summaries;
    }

    JournalStats stats() {
        return new JournalStats(records, forces.get(), bytes);
    }

    /** Runs a transaction and waits until its record is durable (see the class comment). */
    <R> R execute(JournalTransaction<R> transaction) {
        if (sequenceLock.isHeldByCurrentThread()) {
            throw new IllegalStateException("a journal transaction cannot run another one");
        }
        R result;
        long lsn;
        sequenceLock.lock();
        try {
            checkUsable();
            WriterTransaction context = new WriterTransaction(this, state, config.clock().currentTimeMillis());
            List<Op> ops;
            int frameSize;
            try {
                result = transaction.execute(context);
                ops = context.finish();
                frameSize = ops.isEmpty() ? 0 : RecordCodec.frameSize(ops);
            } finally {
                context.finish();
            }
            if (frameSize == 0) {
                lsn = nextLsn - 1;
            } else {
                lsn = append(ops, frameSize, context.timestampMillis());
                if (config.durability() != JournalDurability.GROUP_COMMIT) {
                    flush();
                    if (config.durability() == JournalDurability.FSYNC_EACH) {
                        force(active);
                    }
                    publish(state.prepare(), lsn);
                }
            }
        } catch (IOException e) {
            throw failed(e);
        } finally {
            sequenceLock.unlock();
        }
        awaitDurable(lsn);
        return result;
    }

    private void awaitDurable(long lsn) {
        while (durableLsn < lsn) {
            if (failure != null) {
                throw outcomeUnknown();
            }
            if (forceLock.tryLock()) {
                try {
                    if (durableLsn < lsn) {
                        lead();
                    }
                } finally {
                    forceLock.unlock();
                }
                signalAcked();
            } else {
                ackLock.lock();
                try {
                    while (durableLsn < lsn && failure == null && forceLock.isLocked()) {
                        acked.awaitUninterruptibly();
                    }
                } finally {
                    ackLock.unlock();
                }
            }
        }
    }

    /** One round of group commit, under {@code forceLock}: write out what is sequenced, force it, publish it. */
    private void lead() {
        if (lastGroupRecords > 1) {
            Thread.yield();
        }
        Segment segment;
        JournalState.Publication publication;
        long target;
        sequenceLock.lock();
        try {
            if (failure != null || closed) {
                return;
            }
            flush();
            segment = active;
            target = nextLsn - 1;
            publication = state.prepare();
        } catch (IOException e) {
            failed(e);
            return;
        } finally {
            sequenceLock.unlock();
        }
        try {
            force(segment);
        } catch (IOException e) {
            failed(e);
            return;
        }
        lastGroupRecords = target - durableLsn;
        publish(publication, target);
    }

    private void publish(JournalState.Publication publication, long lsn) {
        state.publish(publication);
        durableLsn = lsn;
        onPublish.run();
    }

    /** Under {@code sequenceLock}: encodes a record into the buffer and applies it; returns its sequence number. */
    private long append(List<Op> ops, int frameSize, long timestampMillis) throws IOException {
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
        boolean hasEvents = false;
        for (Op op : ops) {
            hasEvents |= op instanceof Op.Append;
        }
        long lsn = nextLsn;
        RecordHeader header = new RecordHeader(lsn, durableLsn, timestampMillis,
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
        return lsn;
    }

    /** Under {@code sequenceLock}: reads an event for a transaction, writing out the buffer first if it is there. */
    JournalEvent readUnforced(long position) {
        long address = state.addressOf(position);
        if (JournalState.segmentOf(address) == active.number && JournalState.offsetOf(address) >= written) {
            try {
                flush();
            } catch (IOException e) {
                throw failed(e);
            }
        }
        return reader.read(position);
    }

    /** Under {@code sequenceLock}. */
    private void flush() throws IOException {
        if (buffer.position() == 0) {
            return;
        }
        buffer.flip();
        int length = buffer.remaining();
        allocate(written + length);
        active.write(buffer, written);
        written += length;
        buffer.clear();
    }

    /** Under {@code sequenceLock}: extends the active segment with zeros, if needed, to hold bytes up to {@code end}. */
    private void allocate(long end) throws IOException {
        if (end <= allocated) {
            return;
        }
        long target = Math.max(end, Math.min(allocated + PREALLOCATION_BYTES, config.segmentBytes()));
        active.zeroFill(end, target);
        allocated = target;
    }

    private void force(Segment segment) throws IOException {
        segment.force(false);
        forces.incrementAndGet();
    }

    /**
     * Under {@code sequenceLock}: seals the full segment (cut to its last record and forced first, see the class
     * comment) and starts the next.
     */
    private void roll() throws IOException {
        boolean durable = config.durability() != JournalDurability.NO_FSYNC;
        active.truncate(written);
        if (durable) {
            active.force(true);
            forces.incrementAndGet();
        }
        writeCheckpoint();
        Segment next = Segment.create(directory, active.number + 1, nextLsn, durable);
        segments.add(next);
        LOG.debug("Journal {} sealed segment {} at {} bytes and started segment {}", directory, active.number, written,
                next.number);
        active = next;
        written = Segment.HEADER_BYTES;
        allocated = Segment.HEADER_BYTES;
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

    /**
     * Makes everything durable, cuts the zeros off the active segment (a crash before that is harmless: recovery
     * knows them), writes its checkpoint and refuses further writes. Callers still waiting return (their records
     * are durable) or fail if the journal had failed.
     */
    void close() {
        forceLock.lock();
        try {
            sequenceLock.lock();
            try {
                if (closed) {
                    return;
                }
                closed = true;
                if (failure == null) {
                    flush();
                    force(active);
                    publish(state.prepare(), nextLsn - 1);
                    active.truncate(written);
                    writeCheckpoint();
                }
            } catch (IOException e) {
                failed(e);
            } finally {
                sequenceLock.unlock();
            }
        } finally {
            forceLock.unlock();
        }
        signalAcked();
    }

    private void checkUsable() {
        if (failure != null) {
            throw new IllegalStateException("journal " + directory + " failed and accepts no more writes; reopen it "
                    + "to recover", failure);
        }
        if (closed) {
            throw new IllegalStateException("journal " + directory + " is closed");
        }
    }

    /** Records a write or force failure, wakes the waiting callers, and returns the exception for this caller. */
    private RuntimeException failed(IOException cause) {
        if (failure == null) {
            failure = cause;
            LOG.error("Journal {} could not write; it accepts no more writes until it is reopened", directory, cause);
        }
        signalAcked();
        return outcomeUnknown();
    }

    private RuntimeException outcomeUnknown() {
        Throwable cause = failure;
        return cause instanceof IOException io
                ? new UncheckedIOException("journal " + directory + " could not write; the outcome is unknown", io)
                : new IllegalStateException("journal " + directory + " failed; the outcome is unknown", cause);
    }

    private void signalAcked() {
        ackLock.lock();
        try {
            acked.signalAll();
        } finally {
            ackLock.unlock();
        }
    }
}
