package dev.bulwark.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class TestPostgresTest {

    @Test
    void freshDatabaseRunsRealQueriesOnARealServer() throws SQLException {
        TestDatabase db = TestPostgres.freshDatabase();
        System.out.println("TestPostgresTest: using " + db.server() + ", isolated as " + db.name());

        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE greeting (id int PRIMARY KEY, text varchar(20) NOT NULL)");
            s.execute("INSERT INTO greeting VALUES (1, 'hello'), (2, 'world')");
            try (ResultSet rs = s.executeQuery(
                    "SELECT string_agg(text, ' ' ORDER BY id), current_setting('server_version_num')::int"
                            + " FROM greeting")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("hello world");
                if (db.server().startsWith("embedded")) {
                    assertThat(rs.getInt(2)).as("embedded server is PostgreSQL 17").isBetween(170000, 179999);
                }
            }
        }
    }

    @Test
    void theUrlReachesTheSameDatabaseAsTheDataSource() throws SQLException {
        TestDatabase db = TestPostgres.freshDatabase();
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE marker (id int)");
        }
        try (Connection c = java.sql.DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT to_regclass('marker') IS NOT NULL")) {
            rs.next();
            assertThat(rs.getBoolean(1)).isTrue();
        }
    }

    @Test
    void aDurableViewCommitsSynchronouslyThroughItsDataSourceAndItsUrl() throws SQLException {
        TestDatabase db = TestPostgres.freshDatabase().durable();
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW synchronous_commit")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("on");
        }
        try (Connection c = java.sql.DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW synchronous_commit")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("on");
        }
    }

    @Test
    void eachFreshDatabaseIsIsolatedFromTheOthers() throws SQLException {
        TestDatabase first = TestPostgres.freshDatabase();
        TestDatabase second = TestPostgres.freshDatabase();
        assertThat(first.name()).isNotEqualTo(second.name());

        try (Connection c = first.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE only_in_first (id int)");
        }
        try (Connection c = second.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT to_regclass('only_in_first') IS NULL")) {
            rs.next();
            assertThat(rs.getBoolean(1)).as("table of the first database invisible from the second").isTrue();
        }
    }
}
