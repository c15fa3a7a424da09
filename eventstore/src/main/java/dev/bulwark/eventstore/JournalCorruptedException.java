package dev.bulwark.eventstore;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The embedded journal found a record it cannot trust: its checksum does not match, or it does not follow the
 * records before it. The message names the file and the byte offset of the bad record.
 *
 * <p>A torn record at the very end of the journal, left by a crash while it was being written, is not an error: it
 * was never acknowledged, so the journal truncates it on open and logs a warning. This exception means damage where
 * acknowledged data lies (a record in the middle of a segment, with acknowledged records after it), and the journal
 * refuses to go on rather than silently lose events: restore the directory from a backup.
 */
public class JournalCorruptedException extends EventStoreException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long offset;

    /**
     * @param file the damaged file
     * @param offset the byte offset of the damaged record in {@code file}
     * @param reason what is wrong with it
     */
    public JournalCorruptedException(Path file, long offset, String reason) {
        this(file, offset, reason, null);
    }

    /** As {@link #JournalCorruptedException(Path, long, String)}, with the failure that revealed the damage. */
    public JournalCorruptedException(Path file, long offset, String reason, Throwable cause) {
        super("journal file " + file + " is corrupt at offset " + offset + ": " + reason, cause);
        this.file = Objects.requireNonNull(file, "file");
        this.offset = offset;
    }

    /** The damaged file. */
    public Path file() {
        return file;
    }

    /** The byte offset of the damaged record in {@link #file()}. */
    public long offset() {
        return offset;
    }
}
