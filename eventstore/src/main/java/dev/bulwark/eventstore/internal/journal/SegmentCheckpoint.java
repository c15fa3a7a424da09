package dev.bulwark.eventstore.internal.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The index checkpoint of one segment: the summaries of its records from the start up to {@code coveredLength},
 * so that opening the journal reads a few bytes per event instead of the whole log. Written when a segment is
 * sealed and when the journal closes; the records after {@code coveredLength} are scanned.
 *
 * <pre>
 * "BULWARKI" | int formatVersion | long segmentNumber | long coveredLength | long lastLsn | int bodyLength
 *   | int bodyCrc32c | int headerCrc32c | body (summaries, see {@link RecordCodec})
 * </pre>
 *
 * A checkpoint is only an accelerator: one that is missing, damaged or does not fit its segment is ignored (and the
 * segment scanned), never trusted. It is written to a temporary file and renamed, so it is never half there.
 */
final class SegmentCheckpoint {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentCheckpoint.class);
    private static final byte[] MAGIC = "BULWARKI".getBytes(StandardCharsets.US_ASCII);
    private static final int FORMAT_VERSION = 1;
    private static final int HEADER_BYTES = 48;

    /** What a checkpoint holds: the summaries of the segment's records up to {@code coveredLength}. */
    record Loaded(long coveredLength, long lastLsn, ByteBuffer summaries) {
    }

    private SegmentCheckpoint() {
    }

    static Path path(Path directory, long segmentNumber) {
        return directory.resolve(String.format("%020d.idx", segmentNumber));
    }

    static void write(Path directory, long segmentNumber, long coveredLength, long lastLsn, ByteBuffer[] summaries)
            throws IOException {
        CRC32C bodyCrc = new CRC32C();
        long bodyLength = 0;
        for (ByteBuffer part : summaries) {
            bodyLength += part.remaining();
            bodyCrc.update(part.duplicate());
        }
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
        header.put(MAGIC).putInt(FORMAT_VERSION).putLong(segmentNumber).putLong(coveredLength).putLong(lastLsn)
                .putInt((int) bodyLength).putInt((int) bodyCrc.getValue());
        CRC32C headerCrc = new CRC32C();
        headerCrc.update(header.array(), 0, HEADER_BYTES - 4);
        header.putInt((int) headerCrc.getValue()).flip();
        long fileLength = HEADER_BYTES + bodyLength;
        Path target = path(directory, segmentNumber);
        Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
        Uninterruptible.run(() -> {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer[] parts = new ByteBuffer[summaries.length + 1];
                parts[0] = header.duplicate();
                for (int i = 0; i < summaries.length; i++) {
                    parts[i + 1] = summaries[i].duplicate();
                }
                for (long done = 0; done < fileLength; ) {
                    done += channel.write(parts);
                }
            }
            return null;
        });
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The checkpoint of a segment, or {@code null} if there is none or it cannot be trusted. */
    static Loaded load(Path directory, long segmentNumber) {
        Path path = path(directory, segmentNumber);
        try {
            return Uninterruptible.run(() -> read(path, segmentNumber));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return ignore(path, e.toString());
        }
    }

    private static Loaded read(Path path, long segmentNumber) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < HEADER_BYTES || size > Integer.MAX_VALUE) {
                return ignore(path, "its size " + size + " is implausible");
            }
            ByteBuffer all = ByteBuffer.allocate((int) size);
            while (all.hasRemaining()) {
                if (channel.read(all) < 0) {
                    return ignore(path, "it ends before its size");
                }
            }
            all.flip();
            CRC32C headerCrc = new CRC32C();
            headerCrc.update(all.array(), 0, HEADER_BYTES - 4);
            byte[] magic = new byte[MAGIC.length];
            all.get(magic);
            int version = all.getInt();
            long storedNumber = all.getLong();
            long coveredLength = all.getLong();
            long lastLsn = all.getLong();
            int bodyLength = all.getInt();
            int bodyCrc = all.getInt();
            if (all.getInt() != (int) headerCrc.getValue() || !Arrays.equals(magic, MAGIC)) {
                return ignore(path, "its header is damaged");
            }
            if (version != FORMAT_VERSION || storedNumber != segmentNumber || bodyLength != size - HEADER_BYTES) {
                return ignore(path, "it does not describe this segment");
            }
            ByteBuffer body = all.slice();
            CRC32C crc = new CRC32C();
            crc.update(body.duplicate());
            if ((int) crc.getValue() != bodyCrc) {
                return ignore(path, "its body is damaged");
            }
            return new Loaded(coveredLength, lastLsn, body);
        }
    }

    private static Loaded ignore(Path path, String reason) {
        LOG.info("Ignoring index checkpoint {} ({}); its segment will be scanned instead", path, reason);
        return null;
    }
}
