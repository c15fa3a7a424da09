package dev.bulwark.eventstore.internal.journal;

import dev.bulwark.eventstore.JournalDurability;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the journal: runs each transaction on its caller's thread, in log order, and returns only once its record
 * is durable. It starts no thread.
 *
 * <p>How (group commit, leader/follower). A caller takes {@code sequenceLock}, runs its transaction against the
 * state (which includes every earlier record, forced or not), encodes the record into the shared buffer and applies
 * it to the state. Still under the lock, it becomes the leader if there is none, and otherwise joins the
 * {@link CommitQueue} and parks. A leader runs rounds: under {@code sequenceLock}, briefly, it takes the queue as it
 * stands and writes out the buffer; then it forces the file outside {@code sequenceLock} (while new callers keep
 * sequencing and queueing), publishes, and wakes the callers it covered. Then, if callers are queued, it leads
 * another round, or after {@link CommitQueue#MAX_ROUNDS} rounds hands the role to the first of them, so that no
 * caller leads for long. A lone caller forces its own record with no hand-off at all.
 * Before a round, a leader may wait a little for the group to fill ({@link CommitQueue#fillTimeNanos}): the callers
 * the last round released are usually about to append again, and waiting a fraction of a force for them makes one
 * force of what would otherwise be two half groups. For the same reason the leader wakes every caller of a round
 * itself, and a queued caller spins (yielding) for up to two force times before it parks: both shorten the time from a
 * force's end to its callers appending again, which is when the disk stands idle ({@link CommitQueue}).
 * {@link JournalDurability#FSYNC_EACH} and {@link JournalDurability#NO_FSYNC} have no leader: the caller writes
 * (and forces) its record under {@code sequenceLock}.
 *
 * <p>Why it is correct:
 * <ul>
 *   <li>Records are encoded and applied under {@code sequenceLock}, so log order is check order and every
 *       transaction checks against all earlier ones.</li>
 *   <li>A caller returns only when {@code durableLsn} reaches its record (or, for a transaction that staged nothing,
 *       the last record it could have seen), and {@code durableLsn} moves only after a force that began after the
 *       record was written.</li>
 *   <li>No caller is stranded: queueing and giving up the leader role both happen under {@code sequenceLock}, and
 *       a leader stops only when the queue is empty, so while anyone is queued a leader exists that will cover it or
 *       hand it the role. The ways a queued caller is woken are in {@link CommitQueue}.</li>
 *   <li>Readers see only what a {@link JournalState.Publication} exposes; the leader prepares it under
 *       {@code sequenceLock} together with the write it forces, and publishes it after the force. Rounds (and
 *       close) are serialized by {@code forceLock}, so publications land in order.</li>
 *   <li>Each record carries the {@code durableLsn} of its sequencing ({@code ackedLsn}), which lets recovery prove
 *       that a damaged record had been acknowledged (see {@link SegmentScanner}).</li>
 *   <li>A full segment is cut to its last record and forced before the next one gets a record (see
 *       {@link ActiveSegment}), so only the last segment can have a torn tail or zeros after its records.</li>
 *   <li>A failed write or force leaves the file in an unknown state: every caller still waiting gets "outcome
 *       unknown", and the journal refuses further writes. Reopening it recovers.</li>
 * </ul>
 * Lock order: {@code forceLock} before {@code sequenceLock}.
 */
final class JournalWriter {
    private static final Logger LOG = LoggerFactory.getLogger(JournalWriter.class);
    /** How many times a leader tries for {@code sequenceLock} before queueing for it (a few microseconds). */
    private static final int LEADER_SPINS = 200;
    /** How many times a caller tries for {@code sequenceLock}, yielding in between, before queueing for it. */
    private static final int CALLER_TRIES = 10;
    /** A bound on a leader's yields while its group fills, in case the clock does not move. */
    private static final int MAX_FILL_YIELDS = 10_000;

    private final Path directory;
    private final JournalConfig config;
    private final JournalState state;
    private final JournalReader reader;
    private final Runnable onPublish;

    private final ReentrantLock sequenceLock = new ReentrantLock();
    private final ReentrantLock forceLock = new ReentrantLock();

    /** Guarded by {@code sequenceLock}. */
    private final ActiveSegment out;
    private final CommitQueue queue;
    private long nextLsn;
    private boolean closed;

    /** The last record forced (or, without fsync, written) and published. */
    private volatile long durableLsn;
    /** Why the journal stopped accepting writes, if it failed. */
    private volatile Throwable failure;

    private volatile long records;
    private volatile long bytes;
    private final AtomicLong forces = new AtomicLong();

    JournalWriter(Path directory, JournalConfig config, JournalState state, SegmentList segments,
            JournalReader reader, Recovery.Result recovered, Runnable onPublish) {
        this.directory = directory;
        this.config = config;
        this.state = state;
        this.reader = reader;
        this.onPublish = onPublish;
        this.out = new ActiveSegment(directory, config, segments, recovered, forces);
        this.queue = new CommitQueue(config.clock());
        this.nextLsn = recovered.nextLsn();
        this.durableLsn = nextLsn - 1;
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
        CommitQueue.Waiter waiter = null;
        boolean lead = false;
        List<ActiveSegment.SealedCheckpoint> sealed = List.of();
        lockAsCaller();
        try {
            checkUsable();
            WriterTransaction context = new WriterTransaction(this, state, config.clock().currentTimeMillis());
            List<Op> ops;
            try {
                result = transaction.execute(context);
            } finally {
                // Ends the transaction's view even when it threw, so a callback kept past it fails loudly.
                ops = context.finish();
            }
            int frameSize = ops.isEmpty() ? 0 : RecordCodec.frameSize(ops);
            if (frameSize == 0) {
                lsn = nextLsn - 1;
            } else {
                lsn = append(ops, frameSize, context.timestampMillis());
                if (config.durability() != JournalDurability.GROUP_COMMIT) {
                    out.flush();
                    if (config.durability() == JournalDurability.FSYNC_EACH) {
                        force(out.segment());
                    }
                    publish(state.prepare(), lsn);
                }
            }
            if (durableLsn < lsn) {
                if (queue.tryLead()) {
                    lead = true;
                } else {
                    waiter = new CommitQueue.Waiter(lsn);
                    queue.add(waiter);
                }
            }
            sealed = out.takeSealed();
        } catch (IOException e) {
            throw failed(e);
        } finally {
            sequenceLock.unlock();
        }
        try {
            if (waiter != null) {
                lead = CommitQueue.await(waiter, () -> durableLsn, config.clock(), queue.spinNanos());
            }
            if (lead) {
                lead();
            }
            if (durableLsn < lsn) {
                throw outcomeUnknown();
            }
            return result;
        } finally {
            // A segment this append sealed: its checkpoint is written now, when this caller holds no lock and no
            // role, rather than under the sequence lock (see ActiveSegment).
            ActiveSegment.SealedCheckpoint.writeAll(sealed);
        }
    }

    /** Leads rounds of group commit until no one is queued, or hands the role over (see the class comment). */
    private void lead() {
        CommitQueue.Waiter next;
        forceLock.lock();
        try {
            next = leadRounds();
        } finally {
            forceLock.unlock();
        }
        if (next != null) {
            CommitQueue.handOver(next);
        }
    }

    /**
     * The rounds, under {@code forceLock}. Between two rounds of the same leader, ending one and starting the next
     * take {@code sequenceLock} once (unless the leader waits for the group to fill), since every acquisition
     * may queue behind appenders while the disk stands idle.
     *
     * @return the waiter to hand the role to, or {@code null}
     */
    private CommitQueue.Waiter leadRounds() {
        Round round;
        lockAsLeader();
        try {
            round = takeUnlessFilling();
        } finally {
            sequenceLock.unlock();
        }
        for (int rounds = 1; ; rounds++) {
            if (round == null) {
                round = fillThenTake();
            }
            CommitQueue.Waiter covered = round.force();
            CommitQueue.Waiter next;
            round = null;
            lockAsLeader();
            try {
                next = queue.afterRound(covered, rounds, failure != null || closed);
                if (next == CommitQueue.CONTINUE) {
                    round = takeUnlessFilling();
                }
            } finally {
                sequenceLock.unlock();
            }
            if (failure != null) {
                CommitQueue.release(covered);
            } else {
                CommitQueue.wake(covered);
            }
            if (next != CommitQueue.CONTINUE) {
                return next;
            }
        }
    }

    /**
     * Under {@code sequenceLock}: takes the next round, or returns {@code null} if the leader should first wait for
     * its group to fill (see {@link CommitQueue}), which {@link #fillThenTake} does.
     */
    private Round takeUnlessFilling() {
        return queue.fillTimeNanos() > 0 && queue.startFilling() ? null : take();
    }

    /** Waits until the group is full (or for the fill time at most), then takes the round. */
    private Round fillThenTake() {
        long deadline = config.clock().nanoTime() + queue.fillTimeNanos();
        for (int spin = 0; spin < MAX_FILL_YIELDS && queue.isFilling()
                && config.clock().nanoTime() - deadline < 0; spin++) {
            Thread.yield();
        }
        lockAsLeader();
        try {
            queue.stopFilling();
            return take();
        } finally {
            sequenceLock.unlock();
        }
    }

    /**
     * Takes {@code sequenceLock} for a leader. A leader holds up every queued caller while it waits, so it spins a
     * little on {@code tryLock} first: the lock is then likely to be its own as soon as the current holder lets go,
     * rather than after every appender parked in the lock's queue has had its turn.
     */
    private void lockAsLeader() {
        for (int spin = 0; spin < LEADER_SPINS; spin++) {
            if (!sequenceLock.isLocked() && sequenceLock.tryLock()) {
                return;
            }
            Thread.onSpinWait();
        }
        sequenceLock.lock();
    }

    /**
     * Takes {@code sequenceLock} for a caller. Callers that a round released come back together, and each holds the
     * lock for a few microseconds; one that parks in the lock's queue is woken only after the holder lets go, at the
     * cost of a wake-up (tens of microseconds on a busy machine) while the leader waits for the group. So it first
     * tries a few times, yielding the processor in between, which also lets a holder that lost its processor run.
     */
    private void lockAsCaller() {
        for (int spin = 0; spin < CALLER_TRIES; spin++) {
            if (sequenceLock.tryLock()) {
                return;
            }
            Thread.yield();
        }
        sequenceLock.lock();
    }

    /** Under {@code sequenceLock}: takes the queue and writes out what is sequenced, for a round to force. */
    private Round take() {
        CommitQueue.Waiter covered = queue.takeAll();
        if (failure != null || closed) {
            return new Round(covered, null, null, 0);
        }
        try {
            out.flush();
        } catch (IOException e) {
            failed(e);
            return new Round(covered, null, null, 0);
        }
        return new Round(covered, out.segment(), state.prepare(), nextLsn - 1);
    }

    /** What one round forces: the callers it covers (a chain), and the publication of records up to {@code target}. */
    private final class Round {
        private final CommitQueue.Waiter covered;
        private final Segment segment;
        private final JournalState.Publication publication;
        private final long target;

        Round(CommitQueue.Waiter covered, Segment segment, JournalState.Publication publication, long target) {
            this.covered = covered;
            this.segment = segment;
            this.publication = publication;
            this.target = target;
        }

        /** Forces and publishes (under {@code forceLock}); returns the callers covered, durable unless it failed. */
        CommitQueue.Waiter force() {
            if (segment != null) {
                try {
                    long start = config.clock().nanoTime();
                    JournalWriter.this.force(segment);
                    queue.forced(config.clock().nanoTime() - start);
                    publish(publication, target);
                } catch (IOException e) {
                    failed(e);
                }
            }
            return covered;
        }
    }

    private void publish(JournalState.Publication publication, long lsn) {
        state.publish(publication);
        durableLsn = lsn;
        onPublish.run();
    }

    /** Under {@code sequenceLock}: encodes a record into the buffer and applies it; returns its sequence number. */
    private long append(List<Op> ops, int frameSize, long timestampMillis) throws IOException {
        ByteBuffer buffer = out.reserve(frameSize, nextLsn);
        long offset = out.nextOffset();
        boolean hasEvents = false;
        for (Op op : ops) {
            hasEvents |= op instanceof Op.Append;
        }
        long lsn = nextLsn;
        RecordHeader header = new RecordHeader(lsn, durableLsn, timestampMillis,
                hasEvents ? state.lastPosition() + 1 : 0);
        RecordCodec.writeFrame(buffer, header, ops, frameSize);
        state.apply(out.segment().number, offset, header, ops);
        out.appended(offset, header, ops);
        nextLsn++;
        records++;
        bytes += frameSize;
        return lsn;
    }

    /** Under {@code sequenceLock}: reads an event for a transaction, writing out the buffer first if it is there. */
    JournalEvent readUnforced(long position) {
        if (out.isBuffered(state.addressOf(position))) {
            try {
                out.flush();
            } catch (IOException e) {
                throw failed(e);
            }
        }
        return reader.read(position);
    }

    private void force(Segment segment) throws IOException {
        segment.force(false);
        forces.incrementAndGet();
    }

    /**
     * Makes everything durable, cuts the zeros off the active segment, writes its checkpoint and refuses further
     * writes. Callers still waiting return (their records are durable) or fail if the journal had failed.
     */
    void close() {
        CommitQueue.Waiter waiting = null;
        forceLock.lock();
        try {
            sequenceLock.lock();
            try {
                if (!closed) {
                    closed = true;
                    waiting = queue.takeAll();
                    if (failure == null) {
                        out.flush();
                        force(out.segment());
                        publish(state.prepare(), nextLsn - 1);
                        out.seal(nextLsn - 1);
                    }
                }
            } catch (IOException e) {
                failed(e);
            } finally {
                sequenceLock.unlock();
            }
        } finally {
            forceLock.unlock();
        }
        CommitQueue.release(waiting);
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

    /** Records a write or force failure, wakes the queued callers, and returns the exception for this caller. */
    private RuntimeException failed(IOException cause) {
        CommitQueue.Waiter waiting;
        sequenceLock.lock();
        try {
            if (failure == null) {
                failure = cause;
                LOG.error("Journal {} could not write; it accepts no more writes until it is reopened", directory,
                        cause);
            }
            waiting = queue.takeAll();
        } finally {
            sequenceLock.unlock();
        }
        CommitQueue.release(waiting);
        return outcomeUnknown();
    }

    private RuntimeException outcomeUnknown() {
        Throwable cause = failure;
        return cause instanceof IOException io
                ? new UncheckedIOException("journal " + directory + " could not write; the outcome is unknown", io)
                : new IllegalStateException("journal " + directory + " failed; the outcome is unknown", cause);
    }
}
