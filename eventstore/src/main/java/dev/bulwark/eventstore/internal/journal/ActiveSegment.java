package dev.bulwark.eventstore.internal.journal;

import dev.bulwark.eventstore.JournalDurability;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the writer's records go: a buffer of encoded records, the segment it is written to, the zeros ahead of the
 * records in that segment, and rolling to the next segment when it is full. Not thread-safe: only the writer uses
 * it, under its sequence lock.
 *
 * <p>Zeros ahead: the segment's file is extended a chunk of zeros at a time ({@link #PREALLOCATION_BYTES}), so that
 * the forces that make records durable write data only, not a new file size (see {@link Segment}).
 *
 * <p>Checkpoints of sealed segments: a roll only notes the checkpoint of the segment it sealed
 * ({@link SealedCheckpoint}), and the writer writes it after letting go of its sequence lock
 * ({@link #takeSealed}). Writing one means megabytes of summaries (tens of milliseconds), during which every
 * appender would otherwise wait. A sealed segment's summaries no longer change, and a checkpoint is only an
 * accelerator, so one written late, or lost to a crash before it was written, costs the next open a scan at most.
 */
final class ActiveSegment {
    private static final Logger LOG = LoggerFactory.getLogger(ActiveSegment.class);
    /** The buffer is written out once it holds this much, so that a huge burst does not sit in memory. */
    private static final int FLUSH_BYTES = 4 << 20;
    /**
     * How far ahead of its records the segment is extended with zeros, at most: one force in about a megabyte of
     * records pays for the new file size, the others force data only.
     */
    static final long PREALLOCATION_BYTES = 1 << 20;

    private final Path directory;
    private final long segmentBytes;
    private final boolean durable;
    private final SegmentList segments;
    private final AtomicLong forces;

    private Segment segment;
    /** The end of the records written to the file; the buffer's records follow. */
    private long written;
    /** The size of the file: records up to {@code written}, then zeros. */
    private long allocated;
    private ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
    private GrowableBuffer summaries;
    /** Checkpoints of segments sealed by {@link #roll}, for the writer to write outside its sequence lock. */
    private final List<SealedCheckpoint> sealed = new ArrayList<>();

    ActiveSegment(Path directory, JournalConfig config, SegmentList segments, Recovery.Result recovered,
            AtomicLong forces) {
        this.directory = directory;
        this.segmentBytes = config.segmentBytes();
        this.durable = config.durability() != JournalDurability.NO_FSYNC;
        this.segments = segments;
        this.forces = forces;
        this.segment = segments.last();
        this.written = recovered.written();
        this.allocated = recovered.allocated();
        this.summaries = recovered.summaries();
    }

    Segment segment() {
        return segment;
    }

    /**
     * Makes room for a frame of {@code frameSize} bytes (rolling to the next segment first if it would not fit,
     * where {@code nextLsn} is its sequence number) and returns the buffer to encode it into, at its position.
     */
    ByteBuffer reserve(int frameSize, long nextLsn) throws IOException {
        long offset = written + buffer.position();
        if (offset + frameSize > segmentBytes && offset > Segment.HEADER_BYTES) {
            flush();
            roll(nextLsn);
        }
        if (buffer.remaining() < frameSize) {
            flush();
            if (buffer.capacity() < frameSize) {
                buffer = ByteBuffer.allocateDirect(frameSize);
            }
        }
        return buffer;
    }

    /** Where the frame being encoded at the buffer's position will be in the segment. */
    long nextOffset() {
        return written + buffer.position();
    }

    /** Notes a frame encoded at {@code offset} (see {@link #reserve}). */
    void appended(long offset, RecordHeader header, List<Op> ops) throws IOException {
        RecordCodec.writeSummary(summaries, offset, header, ops);
        if (buffer.position() >= FLUSH_BYTES) {
            flush();
        }
    }

    /** Whether the record at this address is still in the buffer, not yet in the file. */
    boolean isBuffered(long address) {
        return JournalState.segmentOf(address) == segment.number && JournalState.offsetOf(address) >= written;
    }

    /** Writes the buffer's records to the file (not forced). */
    void flush() throws IOException {
        if (buffer.position() == 0) {
            return;
        }
        buffer.flip();
        int length = buffer.remaining();
        allocate(written + length);
        segment.write(buffer, written);
        written += length;
        buffer.clear();
    }

    /** Extends the file with zeros, if needed, so that it holds bytes up to {@code end}. */
    private void allocate(long end) throws IOException {
        if (end <= allocated) {
            return;
        }
        long target = Math.max(end, Math.min(allocated + PREALLOCATION_BYTES, segmentBytes));
        segment.zeroFill(end, target);
        allocated = target;
    }

    /**
     * Seals the full segment (cut to its last record and, unless forces are off, forced with its new size before
     * the next one can get a record: so only the last segment can have a torn tail or zeros), notes its checkpoint
     * for the writer to write (see the class comment) and starts the next, whose first record will be
     * {@code nextLsn}.
     */
    private void roll(long nextLsn) throws IOException {
        segment.truncate(written);
        if (durable) {
            segment.force(true);
            forces.incrementAndGet();
        }
        sealed.add(new SealedCheckpoint(directory, segment.number, written, nextLsn - 1, summaries));
        Segment next = Segment.create(directory, segment.number + 1, nextLsn, durable);
        segments.add(next);
        LOG.debug("Journal {} sealed segment {} at {} bytes and started segment {}", directory, segment.number, written,
                next.number);
        segment = next;
        written = Segment.HEADER_BYTES;
        allocated = Segment.HEADER_BYTES;
        summaries = new GrowableBuffer(1 << 16);
    }

    /**
     * At close, once everything is written and forced: cuts the zeros off (a crash before that is harmless, recovery
     * knows them) and writes the checkpoint.
     */
    void seal(long lastLsn) throws IOException {
        segment.truncate(written);
        SealedCheckpoint.writeAll(takeSealed());
        new SealedCheckpoint(directory, segment.number, written, lastLsn, summaries).write();
    }

    /** Takes the checkpoints that rolls noted and that are not written yet (usually none). */
    List<SealedCheckpoint> takeSealed() {
        if (sealed.isEmpty()) {
            return List.of();
        }
        List<SealedCheckpoint> taken = List.copyOf(sealed);
        sealed.clear();
        return taken;
    }

    /** The checkpoint of a sealed segment: its summaries no longer change, so any thread may write it. */
    record SealedCheckpoint(Path directory, long segmentNumber, long coveredLength, long lastLsn,
            GrowableBuffer summaries) {

        static void writeAll(List<SealedCheckpoint> checkpoints) {
            for (SealedCheckpoint checkpoint : checkpoints) {
                checkpoint.write();
            }
        }

        void write() {
            try {
                SegmentCheckpoint.write(directory, segmentNumber, coveredLength, lastLsn, summaries.written());
            } catch (IOException e) {
                LOG.warn("Could not write the index checkpoint of segment {} of journal {}; the next open will scan "
                        + "it", segmentNumber, directory, e);
            }
        }
    }
}
