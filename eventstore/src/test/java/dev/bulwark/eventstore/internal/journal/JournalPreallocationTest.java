package dev.bulwark.eventstore.internal.journal;

import static dev.bulwark.eventstore.internal.journal.JournalFiles.all;
import static dev.bulwark.eventstore.internal.journal.JournalFiles.append;
import static dev.bulwark.eventstore.internal.journal.JournalFiles.crashImage;
import static dev.bulwark.eventstore.internal.journal.JournalFiles.frameOffsets;
import static dev.bulwark.eventstore.internal.journal.JournalFiles.open;
import static dev.bulwark.eventstore.internal.journal.JournalFiles.segment;
import static dev.bulwark.eventstore.internal.journal.JournalFiles.size;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.eventstore.JournalCorruptedException;
import dev.bulwark.eventstore.JournalDurability;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The zeros the writer puts ahead of its records (so that a force writes data, not a new file size): they are
 * never taken for records or for damage, and they never hide damage.
 */
class JournalPreallocationTest {
    private static final long SEGMENT_BYTES = 16 << 20;

    @TempDir
    Path live;
    @TempDir
    Path crashed;

    /** The offset where the last frame of a segment ends. */
    private static long endOfRecords(Path segment) throws IOException {
        List<Long> offsets = frameOffsets(segment);
        long last = offsets.get(offsets.size() - 1);
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ)) {
            ByteBuffer length = ByteBuffer.allocate(4);
            channel.read(length, last);
            return last + RecordCodec.FRAME_HEADER_BYTES + length.getInt(0);
        }
    }

    @Test
    void theActiveSegmentGrowsAheadOfItsRecordsByAChunkOfZeros() throws IOException {
        try (Journal journal = open(live, JournalDurability.GROUP_COMMIT, SEGMENT_BYTES)) {
            append(journal, "note-1", 3, "first");

            Path file = segment(live, 1);
            assertThat(size(file)).isEqualTo(Segment.HEADER_BYTES + ActiveSegment.PREALLOCATION_BYTES);
            assertThat(endOfRecords(file)).isLessThan(size(file));
        }
    }

    @Test
    void closingCutsTheZerosOffSoTheFileEndsAtItsLastRecord() throws IOException {
        try (Journal journal = open(live, JournalDurability.GROUP_COMMIT, SEGMENT_BYTES)) {
            append(journal, "note-1", 3, "first");
        }

        Path file = segment(live, 1);
        assertThat(size(file)).isEqualTo(endOfRecords(file));
    }

    @Test
    void zerosAfterTheLastRecordAfterACrashAreNeitherATornTailNorLost() throws IOException {
        try (Journal journal = open(live, JournalDurability.FSYNC_EACH, SEGMENT_BYTES)) {
            for (int i = 1; i <= 5; i++) {
                append(journal, "note-1", 1, "record " + i);
            }
            crashImage(live, crashed);
        }
        long sizeAfterCrash = size(segment(crashed, 1));

        String log = LogCapture.during(() -> {
            try (Journal journal = open(crashed, JournalDurability.FSYNC_EACH, SEGMENT_BYTES)) {
                assertThat(journal.recovery().truncations()).isEmpty();
                assertThat(all(journal)).extracting(JournalFiles::text).hasSize(5).last().isEqualTo("record 5#5");
                assertThat(size(segment(crashed, 1))).as("the zeros stay to be written over").isEqualTo(sizeAfterCrash);

                append(journal, "note-1", 1, "after the crash");
            }
        });

        assertThat(log).doesNotContain("WARN");
        try (Journal journal = open(crashed, JournalDurability.FSYNC_EACH, SEGMENT_BYTES)) {
            assertThat(all(journal)).extracting(JournalFiles::text).hasSize(6).last().isEqualTo("after the crash#6");
        }
    }

    @Test
    void anAcknowledgedRecordTurnedToZerosIsDamageNotTheEndOfTheLog() throws IOException {
        try (Journal journal = open(live, JournalDurability.FSYNC_EACH, SEGMENT_BYTES)) {
            for (int i = 1; i <= 6; i++) {
                append(journal, "note-1", 1, "record " + i);
            }
            crashImage(live, crashed);
        }
        Path file = segment(crashed, 1);
        List<Long> offsets = frameOffsets(file);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate((int) (offsets.get(3) - offsets.get(2))), offsets.get(2));
        }

        assertThatThrownBy(() -> open(crashed, JournalDurability.FSYNC_EACH, SEGMENT_BYTES))
                .isInstanceOfSatisfying(JournalCorruptedException.class, e -> {
                    assertThat(e.file()).isEqualTo(file);
                    assertThat(e.offset()).isEqualTo(offsets.get(2));
                })
                .hasMessageContaining("implausible record length 0")
                .hasMessageContaining("the record at offset " + offsets.get(3) + " was written after this one was "
                        + "acknowledged");
    }

    @Test
    void aSealedSegmentIsCutToItsLastRecordAndZerosAfterItAreDamage() throws IOException {
        try (Journal journal = open(live, JournalDurability.GROUP_COMMIT, 8192)) {
            int i = 0;
            while (!Files.exists(segment(live, 2))) {
                append(journal, "note-1", 1, "record " + ++i);
            }
            assertThat(size(segment(live, 1))).as("sealed while open").isEqualTo(endOfRecords(segment(live, 1)));
        }
        Path sealed = segment(live, 1);
        long end = size(sealed);
        Files.delete(JournalFiles.checkpoint(live, 1));
        try (FileChannel channel = FileChannel.open(sealed, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate(4096), end);
        }

        assertThatThrownBy(() -> open(live, JournalDurability.GROUP_COMMIT, 8192))
                .isInstanceOfSatisfying(JournalCorruptedException.class, e -> {
                    assertThat(e.file()).isEqualTo(sealed);
                    assertThat(e.offset()).isEqualTo(end);
                })
                .hasMessageContaining("sealed segment");
    }
}
