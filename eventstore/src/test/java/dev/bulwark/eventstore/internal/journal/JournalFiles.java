package dev.bulwark.eventstore.internal.journal;

import dev.bulwark.eventstore.JournalDurability;
import dev.bulwark.resilience.ManualClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/** Test helpers: open journals, append simple events, and damage journal files on purpose. */
final class JournalFiles {

    private JournalFiles() {
    }

    static Journal open(Path directory, JournalDurability durability, long segmentBytes) {
        return Journal.open(directory, new JournalConfig(durability, segmentBytes, new ManualClock()));
    }

    /** Appends one record of {@code count} events to a stream, each with {@code payload} as data; returns the last position. */
    static long append(Journal journal, String streamId, int count, String payload) {
        return journal.execute(context -> {
            long version = context.stream(streamId).version();
            long position = 0;
            for (int i = 0; i < count; i++) {
                position = context.append(streamId, ++version, UUID.randomUUID(), "note", 1, new byte[0],
                        (payload + "#" + version).getBytes(StandardCharsets.UTF_8));
            }
            return position;
        });
    }

    static String text(JournalEvent event) {
        return new String(event.data(), StandardCharsets.UTF_8);
    }

    /** Every event of the global log, read back. */
    static List<JournalEvent> all(Journal journal) {
        List<JournalEvent> events = new ArrayList<>();
        long checkpoint = 0;
        Journal.Page page;
        do {
            page = journal.readAll(checkpoint, 1000, (stream, type) -> true);
            events.addAll(page.events());
            checkpoint = page.checkpoint();
        } while (!page.endOfLog());
        return events;
    }

    /**
     * Copies the files of an open journal, as a crash at this moment would leave them (the process's writes are in
     * the page cache, which survives the process): no lock, and no checkpoint written at close.
     */
    static void crashImage(Path from, Path to) {
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (!file.getFileName().toString().equals(DirectoryLock.FILE_NAME)) {
                    Files.copy(file, to.resolve(file.getFileName()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path segment(Path directory, long number) {
        return directory.resolve(Segment.fileName(number));
    }

    static Path checkpoint(Path directory, long number) {
        return SegmentCheckpoint.path(directory, number);
    }

    /**
     * The offsets of the frames in a segment file, in order, read from their length fields, up to the zeros the
     * writer puts ahead of its records.
     */
    static List<Long> frameOffsets(Path segment) {
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ)) {
            List<Long> offsets = new ArrayList<>();
            long offset = Segment.HEADER_BYTES;
            ByteBuffer length = ByteBuffer.allocate(4);
            while (offset + RecordCodec.FRAME_HEADER_BYTES <= channel.size()) {
                length.clear();
                channel.read(length, offset);
                if (length.getInt(0) == 0) {
                    break;
                }
                offsets.add(offset);
                offset += RecordCodec.FRAME_HEADER_BYTES + length.getInt(0);
            }
            return offsets;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Inverts the bits of one byte of a file. */
    static void flipByte(Path file, long offset) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, offset);
            one.put(0, (byte) ~one.get(0)).rewind();
            channel.write(one, offset);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void truncate(Path file, long size) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(size);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
