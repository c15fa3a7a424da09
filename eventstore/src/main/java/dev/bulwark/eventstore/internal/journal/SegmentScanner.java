package dev.bulwark.eventstore.internal.journal;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Reads the frames of a segment in order, checking each: complete, checksum matching, decodable, and carrying the
 * next sequence number. The scan stops at the end of the file or at the first frame that fails a check, and says
 * which; what to make of a bad frame (a torn tail to truncate, or damage to report) is the caller's decision, helped
 * by {@link #findAcknowledgedAfter}.
 */
final class SegmentScanner {
    /** Sequence numbers further ahead than this from the expected one are not taken for a record when resyncing. */
    private static final long MAX_LSN_JUMP = 1L << 32;

    private SegmentScanner() {
    }

    /** Receives each good frame. May throw {@link IllegalStateException} if the record does not fit the journal. */
    interface FrameConsumer {
        void accept(long frameOffset, RecordCodec.Decoded record);
    }

    /**
     * Where a scan stopped.
     *
     * @param endOffset the end of the last good frame: where the next one starts, or the bad one
     * @param lastLsn the sequence number of the last good frame (the expected one minus one if there was none)
     * @param problem why the frame at {@code endOffset} is bad, or {@code null} if the scan reached the end
     */
    record Result(long endOffset, long lastLsn, String problem) {
    }

    private record Probe(RecordCodec.Decoded record, int frameLength, String problem) {
        static Probe bad(String problem) {
            return new Probe(null, 0, problem);
        }
    }

    static Result scan(Segment segment, long fromOffset, long expectedLsn, FrameConsumer consumer) throws IOException {
        ChannelWindow window = new ChannelWindow(segment);
        long offset = fromOffset;
        long lsn = expectedLsn;
        while (offset < window.size()) {
            Probe probe = probe(window, offset);
            if (probe.problem != null) {
                return new Result(offset, lsn - 1, probe.problem);
            }
            if (probe.record.header().lsn() != lsn) {
                return new Result(offset, lsn - 1, "record sequence number " + probe.record.header().lsn()
                        + " where " + lsn + " was expected");
            }
            consumer.accept(offset, probe.record);
            offset += probe.frameLength;
            lsn++;
        }
        return new Result(offset, lsn - 1, null);
    }

    /**
     * Looks past a bad frame for a good one proving that the bad one had been acknowledged: a frame with a later
     * sequence number whose {@code ackedLsn} reaches past {@code lastGoodLsn}. Such a frame was written after the
     * bad record's append returned, so the bad record is damage, not a write the crash interrupted. Frames of the
     * interrupted group itself all carry an older {@code ackedLsn}.
     *
     * @return the offset of such a frame, or -1 if there is none
     */
    static long findAcknowledgedAfter(Segment segment, long badOffset, long lastGoodLsn) throws IOException {
        ChannelWindow window = new ChannelWindow(segment);
        long minimum = RecordCodec.FRAME_HEADER_BYTES + RecordCodec.BODY_HEADER_BYTES;
        long offset = badOffset + 1;
        while (offset + minimum <= window.size()) {
            int length = window.getInt(offset);
            long lsn = length >= RecordCodec.BODY_HEADER_BYTES
                    && length <= window.size() - offset - RecordCodec.FRAME_HEADER_BYTES
                    ? window.getLong(offset + RecordCodec.FRAME_HEADER_BYTES) : -1;
            if (lsn > lastGoodLsn && lsn - lastGoodLsn < MAX_LSN_JUMP) {
                Probe probe = probe(window, offset);
                if (probe.problem == null) {
                    if (probe.record.header().ackedLsn() > lastGoodLsn) {
                        return offset;
                    }
                    offset += probe.frameLength;
                    continue;
                }
            }
            offset++;
        }
        return -1;
    }

    private static Probe probe(ChannelWindow window, long offset) throws IOException {
        long remaining = window.size() - offset;
        if (remaining < RecordCodec.FRAME_HEADER_BYTES) {
            return Probe.bad("the record header is cut off after " + remaining + " bytes");
        }
        int length = window.getInt(offset);
        if (length < RecordCodec.BODY_HEADER_BYTES || length > RecordCodec.MAX_BODY_BYTES) {
            return Probe.bad("implausible record length " + length);
        }
        if (length > remaining - RecordCodec.FRAME_HEADER_BYTES) {
            return Probe.bad("the record is cut off: it needs " + (RecordCodec.FRAME_HEADER_BYTES + (long) length)
                    + " bytes, " + remaining + " remain");
        }
        ByteBuffer frame = window.copy(offset, RecordCodec.FRAME_HEADER_BYTES + length);
        if (RecordCodec.checksum(frame, 0, length) != frame.getInt(4)) {
            return Probe.bad("checksum mismatch");
        }
        try {
            RecordCodec.Decoded record = RecordCodec.decodeBody(
                    frame.position(RecordCodec.FRAME_HEADER_BYTES).slice(), false);
            return new Probe(record, RecordCodec.FRAME_HEADER_BYTES + length, null);
        } catch (IllegalArgumentException e) {
            return Probe.bad("malformed record: " + e.getMessage());
        }
    }
}
