package dev.bulwark.eventstore;

import dev.bulwark.eventstore.internal.journal.Journal;

/**
 * A subscription source over a {@link Journal}: reads through a function, waits for the journal's head to move.
 * It notes the head before each read, so an append forced during the read makes the next {@link #await()} return
 * at once; the journal signals every forced group, so live delivery needs no polling.
 */
final class JournalSource implements SubscriptionSource {

    private final Journal journal;
    private final PageReader reader;
    private volatile boolean woken;
    /** Only the subscription's thread reads and writes it. */
    private long seenHead;

    JournalSource(Journal journal, PageReader reader) {
        this.journal = journal;
        this.reader = reader;
    }

    @Override
    public Page read(long checkpoint, int maxCount) {
        seenHead = journal.head();
        return reader.read(checkpoint, maxCount);
    }

    @Override
    public void await() throws InterruptedException {
        journal.awaitHeadAfter(seenHead, () -> woken);
    }

    @Override
    public void wakeUp() {
        woken = true;
        journal.wakeWaiters();
    }

    @Override
    public void close() {
        // Nothing held: the journal belongs to the store.
    }
}
