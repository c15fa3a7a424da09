package dev.bulwark.eventstore;

/**
 * A subscription source over {@link MemoryStorage}: reads through a function, waits on the storage's append
 * signal. It notes the change count before each read, so an append that lands during the read makes the next
 * {@link #await()} return at once.
 */
final class MemorySource implements SubscriptionSource {

    private final MemoryStorage storage;
    private final PageReader reader;
    private volatile boolean woken;
    /** Only the subscription's thread reads and writes it. */
    private long seen;

    MemorySource(MemoryStorage storage, PageReader reader) {
        this.storage = storage;
        this.reader = reader;
    }

    @Override
    public Page read(long checkpoint, int maxCount) {
        seen = storage.changes();
        return reader.read(checkpoint, maxCount);
    }

    @Override
    public void await() throws InterruptedException {
        storage.awaitChange(seen, () -> woken);
    }

    @Override
    public void wakeUp() {
        woken = true;
        storage.wakeAll();
    }

    @Override
    public void close() {
        // Nothing held: the storage belongs to the store.
    }
}
