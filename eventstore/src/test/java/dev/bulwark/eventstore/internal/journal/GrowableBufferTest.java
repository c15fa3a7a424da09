package dev.bulwark.eventstore.internal.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bytes appended across many chunks come back whole and in order, and a checkpoint stores them as one body. */
class GrowableBufferTest {

    /** 3 MB of 7-byte pieces: far past the first chunk and past the largest chunk size, never split. */
    private static GrowableBuffer filled() {
        GrowableBuffer buffer = new GrowableBuffer(64);
        for (int i = 0; i < 3 * GrowableBuffer.MAX_CHUNK_BYTES / 7; i++) {
            buffer.reserve(7).put((byte) 0x5A).putInt(i).putShort((short) i);
        }
        return buffer;
    }

    private static void assertPieces(ByteBuffer bytes, long size) {
        assertThat(bytes.remaining()).isEqualTo(size);
        for (int i = 0; bytes.hasRemaining(); i++) {
            assertThat(bytes.get()).isEqualTo((byte) 0x5A);
            assertThat(bytes.getInt()).isEqualTo(i);
            assertThat(bytes.getShort()).isEqualTo((short) i);
        }
    }

    private static ByteBuffer concatenated(ByteBuffer[] parts, long size) {
        ByteBuffer all = ByteBuffer.allocate((int) size);
        for (ByteBuffer part : parts) {
            all.put(part);
        }
        return all.flip();
    }

    @Test
    void givenPiecesAcrossManyChunks_whenRead_thenTheyComeBackInOrderAndNoChunkExceedsTheLimit() {
        GrowableBuffer buffer = filled();

        ByteBuffer[] parts = buffer.written();

        assertThat(parts.length).isGreaterThan(3);
        for (ByteBuffer part : parts) {
            assertThat(part.capacity()).isLessThanOrEqualTo(GrowableBuffer.MAX_CHUNK_BYTES);
            assertThat(part.isReadOnly()).isTrue();
        }
        assertThat(buffer.size()).isEqualTo(3 * GrowableBuffer.MAX_CHUNK_BYTES / 7 * 7L);
        assertPieces(concatenated(parts, buffer.size()), buffer.size());
    }

    @Test
    void givenAReservationLargerThanAChunk_thenItGetsAChunkOfItsOwn() {
        GrowableBuffer buffer = new GrowableBuffer(16);
        buffer.reserve(4).putInt(1);

        ByteBuffer large = buffer.reserve(2 * GrowableBuffer.MAX_CHUNK_BYTES);

        assertThat(large.remaining()).isGreaterThanOrEqualTo(2 * GrowableBuffer.MAX_CHUNK_BYTES);
        assertThat(buffer.size()).isEqualTo(4);
    }

    @Test
    void givenSummariesInManyChunks_whenCheckpointed_thenTheCheckpointLoadsThemAsOneBody(@TempDir Path directory)
            throws Exception {
        GrowableBuffer buffer = filled();

        SegmentCheckpoint.write(directory, 3, 12_345, 678, buffer.written());
        SegmentCheckpoint.Loaded loaded = SegmentCheckpoint.load(directory, 3);

        assertThat(loaded).isNotNull();
        assertThat(loaded.coveredLength()).isEqualTo(12_345);
        assertThat(loaded.lastLsn()).isEqualTo(678);
        assertPieces(loaded.summaries().duplicate(), buffer.size());
    }
}
