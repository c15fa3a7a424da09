package dev.bulwark.eventstore;

import static dev.bulwark.eventstore.StoreFixture.events;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.eventstore.TestEvents.ItemAdded;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Hostile input reaches SQL only as data, and stored data never chooses a class to load. */
class PostgresSecurityTest {
    private static PostgresFixture fixture;
    private PostgresEventStore store;

    @BeforeAll
    static void start() {
        fixture = PostgresFixture.start(4);
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @BeforeEach
    void openStore() {
        store = fixture.store(PostgresFixture.settings().build());
        GadgetProbe.LOADED.set(false);
    }

    @ParameterizedTest
    @ValueSource(strings = {"cart-1'; DROP TABLE bulwark_events; --", "cart-\" OR 1=1 --", "cart-$1", "cart-?",
            "cart-:streamId", "cart-' || pg_sleep(5) || '", "cart-ünïcødé-✓"})
    void aHostileStreamIdIsStoredAndReadBackAsPlainData(String streamId) throws Exception {
        AppendResult result = store.append(streamId, ExpectedVersion.NO_STREAM, events(new ItemAdded("a", 1)));

        assertThat(store.readStream(streamId).events()).extracting(RecordedEvent::streamId).containsExactly(streamId);
        assertThat(store.readAll(EventStore.START, 10, EventFilter.categories(EventFilter.categoryOf(streamId)))
                .events()).extracting(RecordedEvent::streamId).containsExactly(streamId);
        assertThat(result.version()).isEqualTo(1);
        try (Connection connection = fixture.pool().getConnection(); Statement statement = connection.createStatement();
                ResultSet tables = statement.executeQuery("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")) {
            tables.next();
            assertThat(tables.getInt(1)).as("no table dropped").isGreaterThanOrEqualTo(3);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"events; DROP TABLE x; --", "Events", "a\"b", "1abc", "a b", "a-b", ""})
    void aHostileTableNameOrSchemaNeverReachesAStatement(String name) {
        PostgresEventStore.Builder builder = PostgresEventStore.builder(fixture.pool(),
                PostgresFixture.settings().build());

        assertThatThrownBy(() -> builder.tablePrefix(name))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tablePrefix must be a plain identifier (lower-case letters, digits and _, not starting "
                        + "with a digit, at most 40), was \"" + name + "\"");
        assertThatThrownBy(() -> builder.schema(name))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("schema must be a plain identifier (lower-case letters, digits and _, not starting with a "
                        + "digit, at most 63), was \"" + name + "\"");
    }

    @Test
    void aStoredPayloadNamingAGadgetClassIsRejectedWithoutLoadingIt() throws Exception {
        store.append("cart-1", ExpectedVersion.NO_STREAM, events(new ItemAdded("a", 1)));
        String events = eventsTable();
        try (Connection connection = fixture.pool().getConnection();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO " + events + " (position, "
                        + "stream_id, stream_no, version, event_id, event_type, schema_version, data, metadata, "
                        + "created_at) SELECT max(position) + 1, 'cart-1', min(stream_no), 2, ?, ?, 1, ?::json, '{}', "
                        + "now() FROM " + events)) {
            insert.setObject(1, UUID.randomUUID());
            insert.setString(2, GadgetProbe.GADGET_CLASS);
            insert.setString(3, "{\"@class\":\"" + GadgetProbe.GADGET_CLASS + "\",\"command\":\"touch /tmp/pwned\"}");
            insert.executeUpdate();
        }

        assertThatThrownBy(() -> store.readAll(EventStore.START, 10, EventFilter.ALL))
                .isInstanceOf(UnreadableEventException.class)
                .hasMessageContaining("cannot read event cart-1@2")
                .hasMessageEndingWith("of type '" + GadgetProbe.GADGET_CLASS + "' (schema version 1): no type of this "
                        + "name is registered in the EventTypeRegistry");
        assertThat(GadgetProbe.LOADED).as("the gadget class was never initialized").isFalse();
    }

    private String eventsTable() {
        return store.toString().replaceAll("^PostgresEventStore\\[(.*)]$", "$1");
    }

    @Test
    void theBundledSqlFileIsExactlyWhatCreateSchemaRunsByDefault() throws Exception {
        String file;
        try (InputStream in = PostgresEventStore.class.getResourceAsStream("postgres-schema.sql")) {
            file = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }

        PostgresEventStore defaults = PostgresEventStore.builder(fixture.pool(), PostgresFixture.settings().build())
                .build();

        assertThat(defaults.schemaSql()).isEqualTo(file);
        assertThat(file).contains("CREATE TABLE IF NOT EXISTS bulwark_events (");
    }

    @Test
    void aConfiguredSchemaIsCreatedAndUsedAndCreatingItAgainIsHarmless() {
        PostgresEventStore inSchema = PostgresEventStore.builder(fixture.pool(), PostgresFixture.settings().build())
                .schema("es_tenant_a").tablePrefix("shop_").build();
        assertThat(inSchema.schemaSql()).startsWith("CREATE SCHEMA IF NOT EXISTS es_tenant_a;")
                .contains("CREATE TABLE IF NOT EXISTS es_tenant_a.shop_events (");

        inSchema.createSchema();
        inSchema.createSchema();
        inSchema.append("cart-1", ExpectedVersion.NO_STREAM, events(new ItemAdded("a", 1)));

        assertThat(inSchema.readStream("cart-1").events()).hasSize(1);
        assertThat(inSchema).hasToString("PostgresEventStore[es_tenant_a.shop_events]");
        assertThat(List.of(store.readStream("cart-1").exists())).containsExactly(false);
        inSchema.close();
    }
}
