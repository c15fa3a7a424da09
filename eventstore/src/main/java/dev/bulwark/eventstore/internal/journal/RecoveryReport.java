package dev.bulwark.eventstore.internal.journal;

import java.nio.file.Path;
import java.util.List;

/**
 * What opening the journal found and did.
 *
 * @param segments how many segment files the journal has
 * @param checkpointsUsed how many segments were indexed from their checkpoint instead of being read
 * @param scannedBytes how many bytes of records were read and checked
 * @param events the events in the log
 * @param truncations the torn tails cut off (normally none, or one after a crash)
 * @param openMillis how long opening took
 */
public record RecoveryReport(int segments, int checkpointsUsed, long scannedBytes, long events,
        List<Truncation> truncations, long openMillis) {

    public RecoveryReport {
        truncations = List.copyOf(truncations);
    }

    /**
     * A torn tail that was cut off.
     *
     * @param file the segment
     * @param offset where the first bad record started; the file now ends there
     * @param bytesRemoved how many bytes were cut off
     * @param reason what was wrong with the record at {@code offset}
     */
    public record Truncation(Path file, long offset, long bytesRemoved, String reason) {
    }
}
