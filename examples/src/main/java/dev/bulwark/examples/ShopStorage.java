package dev.bulwark.examples;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.bulwark.eventstore.EventSerializer;
import dev.bulwark.eventstore.EventStore;
import dev.bulwark.eventstore.EventStoreSettings;
import dev.bulwark.eventstore.JournalEventStore;
import dev.bulwark.eventstore.JournalOptions;
import dev.bulwark.eventstore.PostgresEventStore;
import dev.bulwark.saga.InMemorySagaStore;
import dev.bulwark.saga.PostgresSagaStore;
import dev.bulwark.saga.SagaStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Where the shop keeps its events and sagas: embedded (the journal in a directory, sagas in memory: nothing to
 * install) or PostgreSQL (both, shared by every instance of the shop that points at the same database).
 *
 * <pre>{@code
 * try (ShopStorage storage = ShopStorage.embedded(null)) {   // a temporary directory, deleted on close
 *     EventStore events = storage.events();
 * }
 * }</pre>
 */
public final class ShopStorage implements AutoCloseable {
    /** The PostgreSQL schema of the shop's event tables; the saga tables are on the connection's search path. */
    static final String POSTGRES_SCHEMA = "bulwark_shop";
    static final String SAGA_TABLE = "bulwark_shop_saga";

    private final EventStore events;
    private final SagaStore sagas;
    private final String description;
    private final AutoCloseable resources;

    private ShopStorage(EventStore events, SagaStore sagas, String description, AutoCloseable resources) {
        this.events = events;
        this.sagas = sagas;
        this.description = description;
        this.resources = resources;
    }

    /** The serializer of the order events, shared by every backend. */
    static EventStoreSettings settings() {
        return EventStoreSettings.defaults(EventSerializer.create(OrderEvent.registry()));
    }

    /**
     * Events in the embedded journal in {@code directory}, sagas in memory.
     *
     * @param directory the journal's directory (kept on close), or {@code null} for a temporary one that is
     *     deleted on close
     */
    public static ShopStorage embedded(Path directory) {
        Path dir = directory;
        boolean temporary = dir == null;
        try {
            dir = temporary ? Files.createTempDirectory("bulwark-shop-journal-") : Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the journal directory " + directory, e);
        }
        JournalEventStore journal = JournalEventStore.open(dir, JournalOptions.defaults(settings()));
        Path opened = dir;
        String where = temporary ? "a temporary directory, deleted at exit" : opened.toString();
        return new ShopStorage(journal, new InMemorySagaStore(),
                "events in the embedded journal (" + where + "), sagas in memory",
                () -> {
                    if (temporary) {
                        deleteTree(opened);
                    }
                });
    }

    /**
     * Events and sagas in the PostgreSQL database at {@code jdbcUrl}: the tables are created if missing (events in
     * schema {@value #POSTGRES_SCHEMA}, sagas in table {@value #SAGA_TABLE}).
     *
     * @param user the user, or {@code null} to let the URL or the server decide
     * @param password the password, or {@code null}
     */
    public static ShopStorage postgres(String jdbcUrl, String user, String password) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setPoolName("bulwark-shop");
        // Two subscriptions hold a connection each while they run; the rest serve appends, reads and saga writes.
        config.setMaximumPoolSize(16);
        HikariDataSource dataSource = new HikariDataSource(config);
        try {
            PostgresEventStore events = PostgresEventStore.builder(dataSource, settings()).schema(POSTGRES_SCHEMA).build();
            events.createSchema();
            PostgresSagaStore sagas = PostgresSagaStore.builder(dataSource).table(SAGA_TABLE).build();
            sagas.createTables();
            return new ShopStorage(events, sagas, "events and sagas in PostgreSQL at " + jdbcUrl, dataSource);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
    }

    /** The event store. */
    public EventStore events() {
        return events;
    }

    /** The saga store. */
    public SagaStore sagas() {
        return sagas;
    }

    /** Says where things are, for people. */
    public String description() {
        return description;
    }

    /** Closes the event store, then the connection pool or the temporary directory. */
    @Override
    public void close() {
        try (AutoCloseable last = resources) {
            events.close();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("closing " + description + " failed", e);
        }
    }

    @Override
    public String toString() {
        return description;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
