package dev.bulwark.eventstore.internal.journal;

import dev.bulwark.eventstore.JournalCorruptedException;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;

/**
 * One file of the journal: a 32-byte header, then frames back to back, then (in the segment being written) zeros
 * that the writer put there ahead of its records.
 *
 * <pre>
 * header: "BULWARKJ" | int formatVersion | long segmentNumber | long baseLsn | int crc32c of the 28 bytes before
 * </pre>
 *
 * <p>Why zeros ahead: forcing data written past the end of a file also forces the new file size, which on a
 * journaling file system costs a journal commit (on ext4, about as much as the data itself); overwriting blocks
 * that already belong to the file forces only the data. So the writer extends the file with zeros a chunk at a time
 * ({@link #zeroFill}) and writes its records over them. A frame never has length 0, so zeros are never mistaken for
 * a record: recovery takes a tail of zeros for the unused end it is (see {@link #isZeroFrom}), and a sealed segment
 * is cut to its last record.
 *
 * {@code baseLsn} is the sequence number of the segment's first record, so that a missing or swapped segment is
 * noticed. Positional reads and writes are safe from several threads; only writers (under the journal's sequence
 * lock) write, and only at the end.
 *
 * <p>Interrupts: a {@link FileChannel} is closed, for every thread using it, when a thread blocked in one of its
 * operations is interrupted. So that one interrupted reader or appender cannot break the journal for everyone, each
 * operation that finds the channel closed while the segment is open reopens it and runs again (positional reads,
 * writes of the same bytes at the same offset, and forces are all safe to repeat), and the interrupted thread gets
 * its interrupt status back afterwards.
 */
final class Segment implements Closeable {
    static final int HEADER_BYTES = 32;
    private static final byte[] MAGIC = "BULWARKJ".getBytes(StandardCharsets.US_ASCII);
    private static final int FORMAT_VERSION = 1;
    /** Zeros to write from: shared, read through duplicates only. */
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(256 << 10).asReadOnlyBuffer();

    final long number;
    final Path path;
    final long baseLsn;
    private final ReentrantLock reopenLock = new ReentrantLock();
    private volatile FileChannel channel;
    private volatile boolean closed;

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

    /** Creates a new, empty segment and, if asked, forces its header and directory entry to disk. */
    static Segment create(Path directory, long number, long baseLsn, boolean force) throws IOException {
        Path path = directory.resolve(fileName(number));
        Segment segment = new Segment(number, path, FileChannel.open(path, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.READ, StandardOpenOption.WRITE), baseLsn);
        try {
            ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
            header.put(MAGIC).putInt(FORMAT_VERSION).putLong(number).putLong(baseLsn);
            CRC32C crc = new CRC32C();
            crc.update(header.array(), 0, HEADER_BYTES - 4);
            header.putInt((int) crc.getValue()).flip();
            segment.write(header, 0);
            if (force) {
                segment.force(true);
                DirectorySync.force(directory);
            }
            return segment;
        } catch (IOException | RuntimeException e) {
            segment.close();
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
        Segment segment = new Segment(number, path, FileChannel.open(path, StandardOpenOption.READ,
                StandardOpenOption.WRITE), -1);
        try {
            long size = segment.size();
            if (size < HEADER_BYTES) {
                throw new JournalCorruptedException(path, 0, "the segment header is incomplete (" + size + " of "
                        + HEADER_BYTES + " bytes)");
            }
            ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
            segment.read(header, 0);
            header.flip();
            CRC32C crc = new CRC32C();
            crc.update(header.array(), 0, HEADER_BYTES - 4);
            byte[] magic = new byte[MAGIC.length];
            header.get(magic);
            int version = header.getInt();
            long storedNumber = header.getLong();
            long baseLsn = header.getLong();
            if (header.getInt() != (int) crc.getValue() || !Arrays.equals(magic, MAGIC)) {
                throw new JournalCorruptedException(path, 0, "the segment header is damaged");
            }
            if (version != FORMAT_VERSION) {
                throw new JournalCorruptedException(path, 0, "format version " + version + " is not supported (this "
                        + "version of Bulwark reads " + FORMAT_VERSION + ")");
            }
            if (storedNumber != number) {
                throw new JournalCorruptedException(path, 0, "the header says segment " + storedNumber);
            }
            return new Segment(number, path, segment.channel, baseLsn);
        } catch (IOException | RuntimeException e) {
            segment.close();
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
            read(frameHeader, offset);
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
            read(frame, offset + RecordCodec.FRAME_HEADER_BYTES);
        } catch (EOFException e) {
            throw new JournalCorruptedException(path, offset, "the record runs past the end of the file", e);
        }
        if (RecordCodec.checksum(frame, 0, length) != frame.getInt(4)) {
            throw new JournalCorruptedException(path, offset, "checksum mismatch");
        }
        return frame.position(RecordCodec.FRAME_HEADER_BYTES).slice();
    }

    /** Fills the buffer from {@code offset} on. @throws EOFException if the file ends first */
    void read(ByteBuffer buffer, long offset) throws IOException {
        int start = buffer.position();
        int end = io(channel -> {
            ByteBuffer view = buffer.duplicate().position(start);
            long at = offset;
            while (view.hasRemaining()) {
                int read = channel.read(view, at);
                if (read < 0) {
                    throw new EOFException(path + " ends at " + at);
                }
                at += read;
            }
            return view.position();
        });
        buffer.position(end);
    }

    /** Writes the buffer's remaining bytes at {@code offset}. */
    void write(ByteBuffer buffer, long offset) throws IOException {
        int start = buffer.position();
        io(channel -> {
            ByteBuffer view = buffer.duplicate().position(start);
            long at = offset;
            while (view.hasRemaining()) {
                at += channel.write(view, at);
            }
            return null;
        });
        buffer.position(buffer.limit());
    }

    /** Writes zeros over {@code [from, to)}. */
    void zeroFill(long from, long to) throws IOException {
        for (long at = from; at < to; at += ZEROS.capacity()) {
            write(ZEROS.duplicate().limit((int) Math.min(ZEROS.capacity(), to - at)), at);
        }
    }

    /** Whether every byte from {@code offset} to the end of the file is zero (true if there is none). */
    boolean isZeroFrom(long offset) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(64 << 10);
        long size = size();
        for (long at = offset; at < size; at += chunk.limit()) {
            chunk.clear().limit((int) Math.min(chunk.capacity(), size - at));
            read(chunk, at);
            byte[] bytes = chunk.array();
            for (int i = 0; i < chunk.limit(); i++) {
                if (bytes[i] != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    void force(boolean metadata) throws IOException {
        io(channel -> {
            channel.force(metadata);
            return null;
        });
    }

    long size() throws IOException {
        return io(FileChannel::size);
    }

    void truncate(long size) throws IOException {
        io(channel -> channel.truncate(size));
    }

    private interface ChannelOperation<T> {
        T run(FileChannel channel) throws IOException;
    }

    /** Runs an operation, reopening the channel and running it again if an interrupt closed it (see above). */
    private <T> T io(ChannelOperation<T> operation) throws IOException {
        boolean interrupted = false;
        try {
            while (true) {
                FileChannel current = channel;
                try {
                    return operation.run(current);
                } catch (ClosedChannelException e) {
                    if (closed) {
                        throw e;
                    }
                    interrupted |= Thread.interrupted();
                    reopen(current);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void reopen(FileChannel broken) throws IOException {
        reopenLock.lock();
        try {
            if (channel == broken && !closed) {
                channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            }
        } finally {
            reopenLock.unlock();
        }
    }

    @Override
    public void close() throws IOException {
        reopenLock.lock();
        try {
            closed = true;
            channel.close();
        } finally {
            reopenLock.unlock();
        }
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
