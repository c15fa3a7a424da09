package dev.bulwark.eventstore;

import dev.bulwark.testsupport.TestConnectionPool;
import dev.bulwark.testsupport.TestPostgres;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The PostgreSQL backend passes the conformance suite; each test gets tables of its own (a fresh prefix). */
class PostgresEventStoreTest extends EventStoreConformanceTest {
    private static final AtomicInteger TESTS = new AtomicInteger();
    private static TestConnectionPool pool;

    private final String prefix = "t" + TESTS.incrementAndGet() + "_";
    private boolean created;

    @BeforeAll
    static void startPool() {
        pool = TestConnectionPool.of(TestPostgres.freshDatabase(), 16);
    }

    @AfterAll
    static void closePool() {
        pool.close();
    }

    @Override
    protected EventStore open(EventStoreSettings settings) {
        PostgresEventStore store = PostgresEventStore.builder(pool, settings).tablePrefix(prefix).build();
        if (!created) {
            store.createSchema();
            created = true;
        }
        return store;
    }
}
