package dev.bulwark.eventstore.internal.journal;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * The byte layout of journal records, and of their summaries in checkpoint files.
 *
 * <pre>
 * frame:   int bodyLength | int crc32c | body
 * body:    long lsn | long ackedLsn | long timestampMillis | long firstPosition | int opCount | op...
 * op:      byte kind | string streamId | fields of the kind
 *   APPEND    long version | long idMsb | long idLsb | string type | int schemaVersion | bytes metadata | bytes data
 *   DELETE    (none)
 *   TRUNCATE  long beforeVersion
 *   SNAPSHOT  long version | string type | int schemaVersion | bytes data
 * string:  unsigned short length | UTF-8;  bytes: int length | bytes
 * </pre>
 *
 * The checksum covers the length field and the body, so a damaged length is caught like damaged content. A summary
 * is a body without payloads: {@code long frameOffset | long lsn | long firstPosition | int opCount | op...}, where
 * an APPEND keeps only version and id, a SNAPSHOT only its version.
 */
final class RecordCodec {
    static final int FRAME_HEADER_BYTES = 8;
    static final int BODY_HEADER_BYTES = 36;
    /** The largest body a frame may have; anything claiming more is damage, not data. */
    static final int MAX_BODY_BYTES = 1 << 30;

    private static final byte APPEND = 1;
    private static final byte DELETE = 2;
    private static final byte TRUNCATE = 3;
    private static final byte SNAPSHOT = 4;
    private static final int MAX_STRING_BYTES = 0xFFFF;

    private RecordCodec() {
    }

    /** A decoded record: its header and its ops. */
    record Decoded(RecordHeader header, List<Op> ops) {
    }

    /**
     * The size of the frame these ops make.
     *
     * @throws IllegalArgumentException if a string is too long to store or the record would exceed the limit
     */
    static int frameSize(List<Op> ops) {
        long size = FRAME_HEADER_BYTES + BODY_HEADER_BYTES;
        Utf8 utf8 = new Utf8();
        for (Op op : ops) {
            size += 1 + utf8.size(op.streamId(), "streamId");
            if (op instanceof Op.Append append) {
                size += 24 + utf8.size(append.type(), "event type") + 4 + 4 + append.metadata().length + 4
                        + append.data().length;
            } else if (op instanceof Op.Truncate) {
                size += 8;
            } else if (op instanceof Op.Snapshot snapshot) {
                size += 8 + utf8.size(snapshot.type(), "snapshot type") + 4 + 4 + snapshot.data().length;
            }
        }
        if (size - FRAME_HEADER_BYTES > MAX_BODY_BYTES) {
            throw new IllegalArgumentException("a journal record holds at most " + MAX_BODY_BYTES
                    + " bytes, this transaction needs " + (size - FRAME_HEADER_BYTES));
        }
        return (int) size;
    }

    /** Writes a whole frame at the buffer's position, which then stands after it. {@code frameSize} as computed. */
    static void writeFrame(ByteBuffer buffer, RecordHeader header, List<Op> ops, int frameSize) {
        int start = buffer.position();
        buffer.putInt(frameSize - FRAME_HEADER_BYTES).putInt(0);
        buffer.putLong(header.lsn()).putLong(header.ackedLsn()).putLong(header.timestampMillis())
                .putLong(header.firstPosition()).putInt(ops.size());
        Utf8 utf8 = new Utf8();
        for (Op op : ops) {
            writeOp(buffer, op, true, utf8);
        }
        if (buffer.position() - start != frameSize) {
            throw new IllegalStateException("frame size " + frameSize + " != written " + (buffer.position() - start));
        }
        buffer.putInt(start + 4, checksum(buffer, start, frameSize - FRAME_HEADER_BYTES));
    }

    /** The CRC32C of the frame starting at {@code frameStart} in {@code buffer}: its length field and body. */
    static int checksum(ByteBuffer buffer, int frameStart, int bodyLength) {
        CRC32C crc = new CRC32C();
        ByteBuffer view = buffer.duplicate();
        view.limit(frameStart + 4).position(frameStart);
        crc.update(view);
        view.limit(frameStart + FRAME_HEADER_BYTES + bodyLength).position(frameStart + FRAME_HEADER_BYTES);
        crc.update(view);
        return (int) crc.getValue();
    }

    /**
     * Decodes a body (the buffer from its position to its limit).
     *
     * @throws IllegalArgumentException if it is malformed
     */
    static Decoded decodeBody(ByteBuffer body, boolean withPayload) {
        try {
            RecordHeader header = new RecordHeader(body.getLong(), body.getLong(), body.getLong(), body.getLong());
            List<Op> ops = readOps(body, withPayload, true);
            if (body.hasRemaining()) {
                throw new IllegalArgumentException(body.remaining() + " unexpected bytes after the last op");
            }
            return new Decoded(header, ops);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("the record ends in the middle of a field", e);
        }
    }

    /** Appends the summary of a record to {@code sink}. */
    static void writeSummary(GrowableBuffer sink, long frameOffset, RecordHeader header, List<Op> ops) {
        int size = 28;
        Utf8 utf8 = new Utf8();
        for (Op op : ops) {
            size += 1 + utf8.size(op.streamId(), "streamId") + 24;
        }
        ByteBuffer buffer = sink.reserve(size);
        buffer.putLong(frameOffset).putLong(header.lsn()).putLong(header.firstPosition()).putInt(ops.size());
        for (Op op : ops) {
            writeOp(buffer, op, false, utf8);
        }
    }

    /** A summary read back: where its frame is, and the record without payloads. */
    record Summary(long frameOffset, RecordHeader header, List<Op> ops) {
    }

    /**
     * Reads one summary at the buffer's position.
     *
     * @throws IllegalArgumentException if it is malformed
     */
    static Summary readSummary(ByteBuffer buffer) {
        try {
            long frameOffset = buffer.getLong();
            RecordHeader header = new RecordHeader(buffer.getLong(), 0, 0, buffer.getLong());
            return new Summary(frameOffset, header, readOps(buffer, false, false));
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("the summary ends in the middle of a field", e);
        }
    }

    private static void writeOp(ByteBuffer buffer, Op op, boolean full, Utf8 utf8) {
        if (op instanceof Op.Append append) {
            buffer.put(APPEND);
            putString(buffer, utf8.bytes(append.streamId()));
            buffer.putLong(append.version()).putLong(append.eventId().getMostSignificantBits())
                    .putLong(append.eventId().getLeastSignificantBits());
            if (full) {
                putString(buffer, utf8.bytes(append.type()));
                buffer.putInt(append.schemaVersion());
                putBytes(buffer, append.metadata());
                putBytes(buffer, append.data());
            }
        } else if (op instanceof Op.Delete delete) {
            buffer.put(DELETE);
            putString(buffer, utf8.bytes(delete.streamId()));
        } else if (op instanceof Op.Truncate truncate) {
            buffer.put(TRUNCATE);
            putString(buffer, utf8.bytes(truncate.streamId()));
            buffer.putLong(truncate.beforeVersion());
        } else if (op instanceof Op.Snapshot snapshot) {
            buffer.put(SNAPSHOT);
            putString(buffer, utf8.bytes(snapshot.streamId()));
            buffer.putLong(snapshot.version());
            if (full) {
                putString(buffer, utf8.bytes(snapshot.type()));
                buffer.putInt(snapshot.schemaVersion());
                putBytes(buffer, snapshot.data());
            }
        }
    }

    private static List<Op> readOps(ByteBuffer buffer, boolean withPayload, boolean full) {
        int count = buffer.getInt();
        if (count < 0 || count > buffer.remaining()) {
            throw new IllegalArgumentException("implausible op count " + count);
        }
        List<Op> ops = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte kind = buffer.get();
            String streamId = getString(buffer);
            switch (kind) {
                case APPEND -> {
                    long version = buffer.getLong();
                    UUID id = new UUID(buffer.getLong(), buffer.getLong());
                    if (!full) {
                        ops.add(new Op.Append(streamId, version, id, null, 0, null, null));
                    } else if (withPayload) {
                        ops.add(new Op.Append(streamId, version, id, getString(buffer), buffer.getInt(),
                                getBytes(buffer), getBytes(buffer)));
                    } else {
                        skipString(buffer);
                        buffer.getInt();
                        skipBytes(buffer);
                        skipBytes(buffer);
                        ops.add(new Op.Append(streamId, version, id, null, 0, null, null));
                    }
                }
                case DELETE -> ops.add(new Op.Delete(streamId));
                case TRUNCATE -> ops.add(new Op.Truncate(streamId, buffer.getLong()));
                case SNAPSHOT -> {
                    long version = buffer.getLong();
                    if (full && withPayload) {
                        ops.add(new Op.Snapshot(streamId, version, getString(buffer), buffer.getInt(),
                                getBytes(buffer)));
                    } else {
                        if (full) {
                            skipString(buffer);
                            buffer.getInt();
                            skipBytes(buffer);
                        }
                        ops.add(new Op.Snapshot(streamId, version, null, 0, null));
                    }
                }
                default -> throw new IllegalArgumentException("unknown op kind " + kind + " (op " + i + ")");
            }
        }
        return ops;
    }

    /**
     * The UTF-8 forms of the strings of one record, each encoded once per run: the ops of a batch repeat the same
     * stream id (and usually type) object, which would otherwise be measured and encoded again for every event.
     */
    private static final class Utf8 {
        private String first;
        private byte[] firstBytes;
        private String second;
        private byte[] secondBytes;

        byte[] bytes(String value) {
            if (value == first) {
                return firstBytes;
            }
            if (value == second) {
                return secondBytes;
            }
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            second = first;
            secondBytes = firstBytes;
            first = value;
            firstBytes = bytes;
            return bytes;
        }

        /** The stored size of a string (length prefix included), checked against the limit. */
        int size(String value, String name) {
            int length = bytes(value).length;
            if (length > MAX_STRING_BYTES) {
                throw new IllegalArgumentException(name + " must be at most " + MAX_STRING_BYTES
                        + " bytes in UTF-8, was " + length);
            }
            return 2 + length;
        }
    }

    private static void putString(ByteBuffer buffer, byte[] utf8) {
        buffer.putShort((short) utf8.length).put(utf8);
    }

    private static String getString(ByteBuffer buffer) {
        byte[] bytes = new byte[Short.toUnsignedInt(buffer.getShort())];
        buffer.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void skipString(ByteBuffer buffer) {
        int length = Short.toUnsignedInt(buffer.getShort());
        skip(buffer, length);
    }

    private static void putBytes(ByteBuffer buffer, byte[] bytes) {
        buffer.putInt(bytes.length).put(bytes);
    }

    private static byte[] getBytes(ByteBuffer buffer) {
        int length = buffer.getInt();
        if (length < 0 || length > buffer.remaining()) {
            throw new IllegalArgumentException("implausible byte array length " + length);
        }
        byte[] bytes = new byte[length];
        buffer.get(bytes);
        return bytes;
    }

    private static void skipBytes(ByteBuffer buffer) {
        skip(buffer, buffer.getInt());
    }

    private static void skip(ByteBuffer buffer, int length) {
        if (length < 0 || length > buffer.remaining()) {
            throw new BufferUnderflowException();
        }
        buffer.position(buffer.position() + length);
    }
}
