package dev.bulwark.eventstore;

import dev.bulwark.testsupport.TestConnectionPool;
import dev.bulwark.testsupport.TestDatabase;
import dev.bulwark.testsupport.TestPostgres;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/** A database and pool for one PostgreSQL test class; each store it opens gets tables of its own. */
final class PostgresFixture implements AutoCloseable {
    private static final AtomicInteger PREFIXES = new AtomicInteger();

    private final TestDatabase database;
    private final TestConnectionPool pool;
    private final List<EventStore> stores = new ArrayList<>();

    private PostgresFixture(TestDatabase database, int poolSize) {
        this.database = database;
        this.pool = TestConnectionPool.of(database, poolSize);
    }

    static PostgresFixture start(int poolSize) {
        return new PostgresFixture(TestPostgres.freshDatabase(), poolSize);
    }

    TestDatabase database() {
        return database;
    }

    TestConnectionPool pool() {
        return pool;
    }

    static EventStoreSettings.Builder settings() {
        return EventStoreSettings.builder(EventSerializer.create(TestEvents.registry()));
    }

    /** A store with fresh tables, on the pool. */
    PostgresEventStore store(EventStoreSettings settings) {
        return store(pool, settings);
    }

    /** A store with fresh tables, on the given data source (which must reach this fixture's database). */
    PostgresEventStore store(DataSource dataSource, EventStoreSettings settings) {
        PostgresEventStore store = PostgresEventStore.builder(dataSource, settings)
                .tablePrefix("p" + PREFIXES.incrementAndGet() + "_").build();
        store.createSchema();
        stores.add(store);
        return store;
    }

    @Override
    public void close() {
        stores.forEach(EventStore::close);
        pool.close();
    }
}
