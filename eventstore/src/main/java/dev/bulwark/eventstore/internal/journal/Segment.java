package dev.bulwark.eventstore.internal.journal;

import dev.bulwark.eventstore.JournalCorruptedException;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * One file of the journal: a 32-byte header, then frames back to back.
 *
 * <pre>
 * header: "BULWARKJ" | int formatVersion | long segmentNumber | long baseLsn | int crc32c of the 28 bytes before
 * </pre>
 *
 * {@code baseLsn} is the sequence number of the segment's first record, so that a missing or swapped segment is
 * noticed. Positional reads and writes on the channel are safe from several threads; only the journal's writer
 * writes, and only at the end.
 */
final class Segment implements Closeable {
    static final int HEADER_BYTES = 32;
    private static final byte[] MAGIC = "BULWARKJ".getBytes(StandardCharsets.US_ASCII);
    private static final int FORMAT_VERSION = 1;

    final long number;
    final Path path;
    final FileChannel channel;
    final long baseLsn;

    private Segment(long number, Path path, FileChannel channel, long baseLsn) {
        this.number = number;
        this.path = path;
        this.channel = channel;
        this.baseLsn = baseLsn;
    }

    static String fileName(long number) {
        return String.format("%020d.log", number);
    }

    /** Parses the number out of a segment file name, or returns -1 if it is not one. */
    static long parseNumber(String fileName) {
        if (!fileName.matches("\\d{20}\\.log")) {
            return -1;
        }
        return Long.parseLong(fileName.substring(0, 20));
    }

    /** Creates a new, empty segment and forces its header and directory entry to disk. */
    static Segment create(Path directory, long number, long baseLsn, boolean force) throws IOException {
        Path path = directory.resolve(fileName(number));
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
            header.put(MAGIC).putInt(FORMAT_VERSION).putLong(number).putLong(baseLsn);
            CRC32C crc = new CRC32C();
            crc.update(header.array(), 0, HEADER_BYTES - 4);
            header.putInt((int) crc.getValue()).flip();
            writeFully(channel, header, 0);
            if (force) {
                channel.force(true);
                DirectorySync.force(directory);
            }
            return new Segment(number, path, channel, baseLsn);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Opens an existing segment and checks its header.
     *
     * @throws JournalCorruptedException if the header is missing, damaged or names another segment
     */
    static Segment open(Path directory, long number) throws IOException {
        Path path = directory.resolve(fileName(number));
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
            if (channel.size() < HEADER_BYTES) {
                throw new JournalCorruptedException(path, 0, "the segment header is incomplete ("
                        + channel.size() + " of " + HEADER_BYTES + " bytes)");
            }
            readFully(channel, header, 0);
            header.flip();
            CRC32C crc = new CRC32C();
            crc.update(header.array(), 0, HEADER_BYTES - 4);
            byte[] magic = new byte[MAGIC.length];
            header.get(magic);
            int version = header.getInt();
            long storedNumber = header.getLong();
            long baseLsn = header.getLong();
            int storedCrc = header.getInt();
            if (storedCrc != (int) crc.getValue() || !Arrays.equals(magic, MAGIC)) {
                throw new JournalCorruptedException(path, 0, "the segment header is damaged");
            }
            if (version != FORMAT_VERSION) {
                throw new JournalCorruptedException(path, 0, "format version " + version + " is not supported (this "
                        + "version of Bulwark reads " + FORMAT_VERSION + ")");
            }
            if (storedNumber != number) {
                throw new JournalCorruptedException(path, 0, "the header says segment " + storedNumber);
            }
            return new Segment(number, path, channel, baseLsn);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Reads and checks the frame at {@code offset}, returning its body.
     *
     * @throws JournalCorruptedException if the frame is incomplete or its checksum does not match
     */
    ByteBuffer readBody(long offset) throws IOException {
        ByteBuffer frameHeader = ByteBuffer.allocate(RecordCodec.FRAME_HEADER_BYTES);
        try {
            readFully(channel, frameHeader, offset);
        } catch (EOFException e) {
            throw new JournalCorruptedException(path, offset, "the record header lies past the end of the file", e);
        }
        int length = frameHeader.getInt(0);
        if (length < RecordCodec.BODY_HEADER_BYTES || length > RecordCodec.MAX_BODY_BYTES) {
            throw new JournalCorruptedException(path, offset, "implausible record length " + length);
        }
        ByteBuffer frame = ByteBuffer.allocate(RecordCodec.FRAME_HEADER_BYTES + length);
        frame.put(frameHeader.flip());
        try {
            readFully(channel, frame, offset + RecordCodec.FRAME_HEADER_BYTES);
        } catch (EOFException e) {
            throw new JournalCorruptedException(path, offset, "the record runs past the end of the file", e);
        }
        if (RecordCodec.checksum(frame, 0, length) != frame.getInt(4)) {
            throw new JournalCorruptedException(path, offset, "checksum mismatch");
        }
        return frame.position(RecordCodec.FRAME_HEADER_BYTES).slice();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public String toString() {
        return path.toString();
    }

    static void readFully(FileChannel channel, ByteBuffer buffer, long offset) throws IOException {
        long at = offset;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, at);
            if (read < 0) {
                throw new EOFException("end of file at " + at);
            }
            at += read;
        }
    }

    static void writeFully(FileChannel channel, ByteBuffer buffer, long offset) throws IOException {
        long at = offset;
        while (buffer.hasRemaining()) {
            at += channel.write(buffer, at);
        }
    }
}
