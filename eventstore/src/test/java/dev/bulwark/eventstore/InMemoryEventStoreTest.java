package dev.bulwark.eventstore;

/** The in-memory backend passes the conformance suite. */
class InMemoryEventStoreTest extends EventStoreConformanceTest {

    /** One storage per test (JUnit makes a new instance for each); every store opened in the test shares it. */
    private final MemoryStorage storage = new MemoryStorage();

    @Override
    protected EventStore open(EventStoreSettings settings) {
        return new InMemoryEventStore(storage, settings);
    }
}
