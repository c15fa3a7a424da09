package dev.bulwark.saga;

import dev.bulwark.testsupport.TestDatabase;
import dev.bulwark.testsupport.TestPostgres;
import java.util.List;

/** The two stores the behaviours are specified against: one test body, run on each. */
enum StoreKind {
    MEMORY,
    POSTGRES;

    /** A fresh, empty store; resources to close afterwards are added to {@code toClose}. */
    SagaStore open(List<AutoCloseable> toClose) {
        if (this == MEMORY) {
            return new InMemorySagaStore();
        }
        TestDatabase db = TestPostgres.freshDatabase();
        TestPool pool = new TestPool(db.jdbcUrl(), db.user(), db.password());
        toClose.add(pool);
        PostgresSagaStore store = PostgresSagaStore.builder(pool).build();
        store.createTables();
        return store;
    }
}
