package dev.bulwark.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.testsupport.TestDatabase;
import dev.bulwark.testsupport.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scenario with events and sagas in PostgreSQL, as {@code --postgres=<url>} (or BULWARK_PG_URL) asks. */
class ScenarioPostgresTest {
    private static final int ORDERS = 24;

    @TempDir
    Path dir;

    @Test
    void every_order_ends_consistently_with_events_and_sagas_in_postgres() throws Exception {
        TestDatabase db = TestPostgres.freshDatabase();
        ShopOptions options = new ShopOptions(ORDERS, 12, 3, db.jdbcUrl(), db.user(), db.password(), null,
                dir.resolve("report.html"), Progress.Mode.OFF);

        ScenarioReport report = Scenario.run(options, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8));

        assertThat(report.audit().violations()).isEmpty();
        assertThat(report.passed()).isTrue();
        assertThat(report.storage()).startsWith("events and sagas in PostgreSQL at jdbc:postgresql:");
        assertThat(report.completed() + report.compensated()).isEqualTo(ORDERS);
        try (Connection connection = db.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            assertThat(count(statement, "SELECT count(*) FROM " + ShopStorage.SAGA_TABLE
                    + " WHERE state IN ('COMPLETED', 'COMPENSATED')")).isEqualTo(ORDERS);
            // Each order: placed, accepted, then confirmed or cancelled.
            assertThat(count(statement, "SELECT count(*) FROM " + ShopStorage.POSTGRES_SCHEMA + ".bulwark_events"))
                    .isEqualTo(3L * ORDERS);
        }
    }

    private static long count(Statement statement, String sql) throws Exception {
        try (ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
