package dev.bulwark.eventstore.internal.journal;

import static dev.bulwark.eventstore.internal.journal.JournalFiles.all;
import static dev.bulwark.eventstore.internal.journal.JournalFiles.append;
import static dev.bulwark.eventstore.internal.journal.JournalFiles.checkpoint;
import static dev.bulwark.eventstore.internal.journal.JournalFiles.crashImage;
import static dev.bulwark.eventstore.internal.journal.JournalFiles.flipByte;
import static dev.bulwark.eventstore.internal.journal.JournalFiles.frameOffsets;
import static dev.bulwark.eventstore.internal.journal.JournalFiles.open;
import static dev.bulwark.eventstore.internal.journal.JournalFiles.segment;
import static dev.bulwark.eventstore.internal.journal.JournalFiles.size;
import static dev.bulwark.eventstore.internal.journal.JournalFiles.text;
import static dev.bulwark.eventstore.internal.journal.JournalFiles.truncate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.eventstore.JournalCorruptedException;
import dev.bulwark.eventstore.JournalDurability;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damage to the files: a torn or corrupt tail is cut off and reported; damage where acknowledged records lie is an
 * error naming the file and offset; no damaged record is ever returned.
 */
class JournalCorruptionTest {
    private static final long SEGMENT_BYTES = 8192;

    @TempDir
    Path live;
    @TempDir
    Path crashed;

    /** Ten records of one event each in the first (active) segment, one record per force; then a crash image. */
    private List<Long> tenRecordsThenCrash() {
        try (Journal journal = open(live, JournalDurability.FSYNC_EACH, 1 << 20)) {
            for (int i = 1; i <= 10; i++) {
                append(journal, "note-1", 1, "record " + i);
            }
            crashImage(live, crashed);
        }
        List<Long> offsets = frameOffsets(segment(crashed, 1));
        assertThat(offsets).hasSize(10);
        return offsets;
    }

    @Test
    void aRecordCutShortAtTheEndIsATornWriteCutOffWithAWarningNamingFileAndOffset() {
        List<Long> offsets = tenRecordsThenCrash();
        Path file = segment(crashed, 1);
        truncate(file, offsets.get(9) + 20);

        String log = LogCapture.during(() -> {
            try (Journal journal = open(crashed, JournalDurability.FSYNC_EACH, 1 << 20)) {
                assertThat(all(journal)).extracting(JournalFiles::text).hasSize(9).last().isEqualTo("record 9#9");
                assertThat(journal.recovery().truncations()).singleElement().satisfies(truncation -> {
                    assertThat(truncation.file()).isEqualTo(file);
                    assertThat(truncation.offset()).isEqualTo(offsets.get(9));
                    assertThat(truncation.bytesRemoved()).isEqualTo(20);
                });
            }
        });

        assertThat(log).contains("WARN").contains(file.toString()).contains("offset " + offsets.get(9));
        assertThat(size(file)).as("the file ends where the torn record began").isEqualTo(offsets.get(9));
    }

    @Test
    void aJournalWhoseTornTailWasCutOffTakesNewAppendsAndKeepsThem() {
        List<Long> offsets = tenRecordsThenCrash();
        truncate(segment(crashed, 1), offsets.get(9) + 3);
        try (Journal journal = open(crashed, JournalDurability.FSYNC_EACH, 1 << 20)) {
            append(journal, "note-1", 1, "after the crash");
        }

        try (Journal journal = open(crashed, JournalDurability.FSYNC_EACH, 1 << 20)) {
            assertThat(all(journal)).extracting(JournalFiles::text).hasSize(10).last().isEqualTo("after the crash#10");
            assertThat(journal.recovery().truncations()).isEmpty();
        }
    }

    @Test
    void aFlippedByteInTheLastRecordIsATornTailNeverReturned() {
        List<Long> offsets = tenRecordsThenCrash();
        flipByte(segment(crashed, 1), offsets.get(9) + 40);

        try (Journal journal = open(crashed, JournalDurability.FSYNC_EACH, 1 << 20)) {
            assertThat(all(journal)).extracting(JournalFiles::text).hasSize(9).doesNotContain("record 10#10");
            assertThat(journal.recovery().truncations()).singleElement()
                    .satisfies(truncation -> assertThat(truncation.reason()).isEqualTo("checksum mismatch"));
        }
    }

    @Test
    void aFlippedByteInTheMiddleOfASegmentIsAnErrorNamingFileAndOffset() {
        List<Long> offsets = tenRecordsThenCrash();
        Path file = segment(crashed, 1);
        flipByte(file, offsets.get(3) + 40);
        long size = size(file);

        assertThatThrownBy(() -> open(crashed, JournalDurability.FSYNC_EACH, 1 << 20))
                .isInstanceOfSatisfying(JournalCorruptedException.class, e -> {
                    assertThat(e.file()).isEqualTo(file);
                    assertThat(e.offset()).isEqualTo(offsets.get(3));
                })
                .hasMessageStartingWith("journal file " + file + " is corrupt at offset " + offsets.get(3)
                        + ": checksum mismatch; the record at offset " + offsets.get(4)
                        + " was written after this one was acknowledged");
        assertThat(size(file)).as("nothing is truncated").isEqualTo(size);
    }

    @Test
    void aDamagedLengthInTheMiddleOfASegmentIsAlsoFoundByLookingPastIt() {
        List<Long> offsets = tenRecordsThenCrash();
        flipByte(segment(crashed, 1), offsets.get(5) + 1);

        assertThatThrownBy(() -> open(crashed, JournalDurability.FSYNC_EACH, 1 << 20))
                .isInstanceOfSatisfying(JournalCorruptedException.class,
                        e -> assertThat(e.offset()).isEqualTo(offsets.get(5)));
    }

    /** Segment 1 sealed (with its checkpoint), segment 2 active; the journal closed cleanly. */
    private void twoSegments() {
        try (Journal journal = open(live, JournalDurability.NO_FSYNC, SEGMENT_BYTES)) {
            int i = 0;
            while (!Files.exists(segment(live, 2))) {
                append(journal, "note-1", 1, "record " + ++i);
            }
            append(journal, "note-1", 1, "record " + ++i);
        }
        assertThat(Files.exists(checkpoint(live, 1))).isTrue();
    }

    @Test
    void aSealedSegmentCutShortIsAnErrorNotATornTail() {
        twoSegments();
        Path file = segment(live, 1);
        List<Long> offsets = frameOffsets(file);
        truncate(file, offsets.get(offsets.size() - 1) + 10);

        assertThatThrownBy(() -> open(live, JournalDurability.NO_FSYNC, SEGMENT_BYTES))
                .isInstanceOfSatisfying(JournalCorruptedException.class, e -> {
                    assertThat(e.file()).isEqualTo(file);
                    assertThat(e.offset()).isEqualTo(offsets.get(offsets.size() - 1));
                })
                .hasMessageContaining("the record is cut off").hasMessageContaining("sealed segment");
    }

    @Test
    void aFlippedByteInASealedSegmentWithoutCheckpointFailsTheOpen() throws Exception {
        twoSegments();
        Path file = segment(live, 1);
        List<Long> offsets = frameOffsets(file);
        flipByte(file, offsets.get(2) + 30);
        Files.delete(checkpoint(live, 1));

        assertThatThrownBy(() -> open(live, JournalDurability.NO_FSYNC, SEGMENT_BYTES))
                .isInstanceOfSatisfying(JournalCorruptedException.class, e -> {
                    assertThat(e.file()).isEqualTo(file);
                    assertThat(e.offset()).isEqualTo(offsets.get(2));
                });
    }

    @Test
    void aFlippedByteUnderACheckpointIsFoundWhenTheRecordIsReadAndNeverReturned() {
        twoSegments();
        Path file = segment(live, 1);
        List<Long> offsets = frameOffsets(file);
        flipByte(file, offsets.get(2) + 30);

        try (Journal journal = open(live, JournalDurability.NO_FSYNC, SEGMENT_BYTES)) {
            assertThat(journal.read(2)).satisfies(event -> assertThat(text(event)).isEqualTo("record 2#2"));
            assertThatThrownBy(() -> journal.read(3))
                    .isInstanceOfSatisfying(JournalCorruptedException.class, e -> {
                        assertThat(e.file()).isEqualTo(file);
                        assertThat(e.offset()).isEqualTo(offsets.get(2));
                    })
                    .hasMessageEndingWith("checksum mismatch");
            assertThatThrownBy(() -> all(journal)).isInstanceOf(JournalCorruptedException.class);
        }
    }

    @Test
    void aLastSegmentWhoseHeaderACrashCutShortIsCreatedAgain() throws Exception {
        twoSegments();
        long events;
        try (Journal journal = open(live, JournalDurability.NO_FSYNC, SEGMENT_BYTES)) {
            events = journal.head();
        }
        Path third = segment(live, 3);
        Files.writeString(third, "BULWARK");

        try (Journal journal = open(live, JournalDurability.NO_FSYNC, SEGMENT_BYTES)) {
            assertThat(journal.head()).isEqualTo(events);
            assertThat(journal.recovery().truncations()).singleElement()
                    .satisfies(truncation -> assertThat(truncation.file()).isEqualTo(third));
            append(journal, "note-1", 1, "after");
            assertThat(text(journal.read(journal.head()))).startsWith("after");
        }
        try (Journal journal = open(live, JournalDurability.NO_FSYNC, SEGMENT_BYTES)) {
            assertThat(text(journal.read(journal.head()))).startsWith("after");
        }
    }

    @Test
    void aMissingSegmentIsAnErrorNamingIt() throws Exception {
        twoSegments();
        try (Journal journal = open(live, JournalDurability.NO_FSYNC, SEGMENT_BYTES)) {
            while (!Files.exists(segment(live, 3))) {
                append(journal, "note-1", 1, "more");
            }
        }
        Files.delete(segment(live, 2));

        assertThatThrownBy(() -> open(live, JournalDurability.NO_FSYNC, SEGMENT_BYTES))
                .isInstanceOf(JournalCorruptedException.class)
                .hasMessageContaining(segment(live, 2).toString())
                .hasMessageContaining("the segment is missing");
    }
}
