package dev.bulwark.eventstore.internal.journal;

import dev.bulwark.eventstore.JournalCorruptedException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the segments of a journal directory and rebuilds the indexes: from each segment's checkpoint where one
 * fits, by scanning the records after it. Then it deals with damage:
 * <ul>
 *   <li>A bad record at the end of the last segment, with nothing acknowledged after it, is a torn write left by a
 *       crash: it was never acknowledged, so it is cut off, with a warning naming the file and offset.</li>
 *   <li>A bad record anywhere else (in a sealed segment, or followed by a record that proves it was acknowledged)
 *       is damage: opening fails with {@link JournalCorruptedException} naming the file and offset, rather than
 *       silently dropping acknowledged events.</li>
 * </ul>
 * Zeros after the last record of the last segment are not damage: the writer puts them there ahead of its records
 * (see {@link Segment}), and they stay for it to write over.
 */
final class Recovery {
    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    /** The recovered journal, ready for its writer. */
    record Result(SegmentList segments, long written, long allocated, long nextLsn, GrowableBuffer summaries,
            RecoveryReport report) {
    }

    private final Path directory;
    private final JournalState state;
    private final boolean durable;
    private final SegmentList segments = new SegmentList();
    private final List<RecoveryReport.Truncation> truncations = new ArrayList<>();
    private int checkpointsUsed;
    private long scannedBytes;

    private Recovery(Path directory, JournalState state, boolean durable) {
        this.directory = directory;
        this.state = state;
        this.durable = durable;
    }

    static Result run(Path directory, JournalState state, boolean durable) throws IOException {
        Recovery recovery = new Recovery(directory, state, durable);
        try {
            return recovery.recover(System.nanoTime());
        } catch (IOException | RuntimeException | Error e) {
            try {
                recovery.segments.closeAll();
            } catch (IOException | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private Result recover(long startNanos) throws IOException {
        List<Long> numbers = segmentNumbers();
        if (numbers.isEmpty()) {
            segments.add(Segment.create(directory, 1, 1, true));
            return result(Segment.HEADER_BYTES, 1, new GrowableBuffer(1 << 16), startNanos);
        }
        long nextLsn = -1;
        long written = 0;
        GrowableBuffer summaries = null;
        for (int i = 0; i < numbers.size(); i++) {
            long number = numbers.get(i);
            if (number != numbers.get(0) + i) {
                throw new JournalCorruptedException(directory.resolve(Segment.fileName(numbers.get(0) + i)), 0,
                        "the segment is missing (segments " + numbers.get(0) + " to " + numbers.get(numbers.size() - 1)
                                + " should all be there)");
            }
            boolean last = i == numbers.size() - 1;
            Segment segment = openSegment(number, last, nextLsn);
            segments.add(segment);
            if (nextLsn == -1) {
                nextLsn = segment.baseLsn;
            } else if (segment.baseLsn != nextLsn) {
                throw new JournalCorruptedException(segment.path, 0, "the segment starts at record " + segment.baseLsn
                        + " where record " + nextLsn + " was expected");
            }
            summaries = new GrowableBuffer(1 << 16);
            SegmentScanner.Result scan = load(segment, nextLsn, summaries, last);
            nextLsn = scan.lastLsn() + 1;
            written = scan.endOffset();
        }
        return result(written, nextLsn, summaries, startNanos);
    }

    private Result result(long written, long nextLsn, GrowableBuffer summaries, long startNanos) throws IOException {
        state.publish();
        RecoveryReport report = new RecoveryReport(segments.size(), checkpointsUsed, scannedBytes,
                state.lastPosition(), truncations, (System.nanoTime() - startNanos) / 1_000_000);
        LOG.debug("Opened journal {}: {}", directory, report);
        return new Result(segments, written, Math.max(written, segments.last().size()), nextLsn, summaries, report);
    }

    private List<Long> segmentNumbers() throws IOException {
        List<Long> numbers = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.log")) {
            for (Path file : files) {
                long number = Segment.parseNumber(file.getFileName().toString());
                if (number > 0) {
                    numbers.add(number);
                }
            }
        }
        numbers.sort(null);
        return numbers;
    }

    /** Opens a segment; a last segment whose header a crash cut short is created again (it can hold nothing). */
    private Segment openSegment(long number, boolean last, long nextLsn) throws IOException {
        try {
            return Segment.open(directory, number);
        } catch (JournalCorruptedException e) {
            long size = Files.size(e.file());
            if (!last || size > Segment.HEADER_BYTES) {
                throw e;
            }
            LOG.warn("Journal segment {} has an incomplete header ({} bytes), left by a crash while it was created; "
                    + "creating it again", e.file(), size);
            truncations.add(new RecoveryReport.Truncation(e.file(), 0, size, e.getMessage()));
            Files.delete(e.file());
            Files.deleteIfExists(SegmentCheckpoint.path(directory, number));
            return Segment.create(directory, number, nextLsn == -1 ? 1 : nextLsn, durable);
        }
    }

    private SegmentScanner.Result load(Segment segment, long firstLsn, GrowableBuffer summaries, boolean last)
            throws IOException {
        long size = segment.size();
        long offset = Segment.HEADER_BYTES;
        long nextLsn = firstLsn;
        SegmentCheckpoint.Loaded checkpoint = SegmentCheckpoint.load(directory, segment.number);
        List<RecordCodec.Summary> checked = checkpoint == null ? null : check(checkpoint, segment, size, firstLsn, last);
        if (checked != null) {
            for (RecordCodec.Summary summary : checked) {
                apply(segment, summary.frameOffset(), summary.header(), summary.ops());
            }
            if (last) {
                summaries.reserve(checkpoint.summaries().remaining()).put(checkpoint.summaries().duplicate());
            }
            offset = checkpoint.coveredLength();
            nextLsn = checkpoint.lastLsn() + 1;
            checkpointsUsed++;
        }
        SegmentScanner.Result scan = SegmentScanner.scan(segment, offset, nextLsn, (frameOffset, record) -> {
            apply(segment, frameOffset, record.header(), record.ops());
            RecordCodec.writeSummary(summaries, frameOffset, record.header(), record.ops());
        });
        scannedBytes += scan.endOffset() - offset;
        if (scan.problem() != null && last && segment.isZeroFrom(scan.endOffset())) {
            LOG.debug("Journal segment {} ends at offset {}, before {} bytes of zeros written ahead of records",
                    segment.path, scan.endOffset(), size - scan.endOffset());
        } else if (scan.problem() != null) {
            if (!last) {
                throw new JournalCorruptedException(segment.path, scan.endOffset(), scan.problem() + " (in a sealed "
                        + "segment, which no crash can tear)");
            }
            long proof = SegmentScanner.findAcknowledgedAfter(segment, scan.endOffset(), scan.lastLsn());
            if (proof >= 0) {
                throw new JournalCorruptedException(segment.path, scan.endOffset(), scan.problem() + "; the record at "
                        + "offset " + proof + " was written after this one was acknowledged, so this is damage, not a"
                        + " torn write");
            }
            truncateTail(segment, scan, size);
        } else if (!last && checked == null) {
            SegmentCheckpoint.write(directory, segment.number, scan.endOffset(), scan.lastLsn(), summaries.written());
        }
        return scan;
    }

    /** The checkpoint's summaries if it fits the segment, else {@code null}. */
    private static List<RecordCodec.Summary> check(SegmentCheckpoint.Loaded checkpoint, Segment segment, long size,
            long firstLsn, boolean last) {
        long covered = checkpoint.coveredLength();
        if (covered < Segment.HEADER_BYTES || covered > size || (!last && covered != size)) {
            return null;
        }
        List<RecordCodec.Summary> summaries = new ArrayList<>();
        ByteBuffer buffer = checkpoint.summaries().duplicate();
        long lsn = firstLsn;
        try {
            while (buffer.hasRemaining()) {
                RecordCodec.Summary summary = RecordCodec.readSummary(buffer);
                if (summary.header().lsn() != lsn++ || summary.frameOffset() >= covered) {
                    return null;
                }
                summaries.add(summary);
            }
        } catch (IllegalArgumentException e) {
            return null;
        }
        return lsn - 1 == checkpoint.lastLsn() ? summaries : null;
    }

    private void apply(Segment segment, long frameOffset, RecordHeader header, List<Op> ops) {
        try {
            state.apply(segment.number, frameOffset, header, ops);
        } catch (IllegalStateException e) {
            throw new JournalCorruptedException(segment.path, frameOffset, e.getMessage(), e);
        }
    }

    private void truncateTail(Segment segment, SegmentScanner.Result scan, long size) throws IOException {
        long removed = size - scan.endOffset();
        LOG.warn("Journal segment {} has a torn or corrupt tail at offset {} ({}), left by an interrupted write: "
                + "truncating {} bytes; no acknowledged record is lost", segment.path, scan.endOffset(), scan.problem(),
                removed);
        segment.truncate(scan.endOffset());
        segment.force(true);
        truncations.add(new RecoveryReport.Truncation(segment.path, scan.endOffset(), removed, scan.problem()));
    }
}
