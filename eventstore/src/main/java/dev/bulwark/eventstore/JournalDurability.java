package dev.bulwark.eventstore;

/**
 * When an append to the embedded journal is acknowledged, relative to the moment its bytes reach the disk.
 *
 * <p>In every mode an append returns only after its record is written; the modes differ in whether the journal
 * also forces it to stable storage ({@code fsync}) first, and how many appends share one force.
 *
 * <pre>{@code
 * JournalOptions options = JournalOptions.builder(settings).durability(JournalDurability.FSYNC_EACH).build();
 * }</pre>
 */
public enum JournalDurability {
    /**
     * Each append is forced to disk on its own before it returns: the lowest throughput, the simplest to reason
     * about.
     */
    FSYNC_EACH,
    /**
     * The default. Appends that arrive while the disk is busy forcing earlier ones are written together and share
     * the next force; none returns before its data is forced. As durable as {@link #FSYNC_EACH}, with far fewer
     * forces when many threads append. A caller waiting for its force yields the processor in a loop for up to
     * about two force times (at most a millisecond) before it parks, so that it returns soon after the force; that
     * costs some processor time while appends wait.
     */
    GROUP_COMMIT,
    /**
     * Appends return once written to the operating system, never forced: they survive the death of the process but
     * not of the machine. For tests and throwaway data only.
     */
    NO_FSYNC
}
