package dev.bulwark.eventstore;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names PostgresEventStore puts into SQL text: tables, the schema, the notification channel. They are the only
 * parts of any statement that are not bind parameters, so they are checked to be plain lower-case identifiers
 * (which PostgreSQL never needs quoted) and nothing else can reach the statement text.
 *
 * @param schema the schema, or {@code null} for the connection's search path
 * @param tablePrefix the prefix of the three table names
 */
record PostgresNames(String schema, String tablePrefix) {
    static final String DEFAULT_PREFIX = "bulwark_";
    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final Pattern PREFIX = Pattern.compile("[a-z_][a-z0-9_]{0,39}");
    private static final Pattern DEFAULT_TABLE = Pattern.compile("\\bbulwark_(streams|events|snapshots)\\b");
    private static final int MAX_IDENTIFIER_BYTES = 63;

    PostgresNames {
        if (schema != null && !SCHEMA.matcher(schema).matches()) {
            throw new IllegalArgumentException("schema must be a plain identifier (lower-case letters, digits and _, "
                    + "not starting with a digit, at most 63), was \"" + schema + "\"");
        }
        if (tablePrefix == null || !PREFIX.matcher(tablePrefix).matches()) {
            throw new IllegalArgumentException("tablePrefix must be a plain identifier (lower-case letters, digits "
                    + "and _, not starting with a digit, at most 40), was "
                    + (tablePrefix == null ? "null" : "\"" + tablePrefix + "\""));
        }
        String channel = (schema == null ? "" : schema + "_") + tablePrefix + "events";
        if (channel.length() > MAX_IDENTIFIER_BYTES) {
            throw new IllegalArgumentException("schema and tablePrefix together must be at most "
                    + (MAX_IDENTIFIER_BYTES - "events".length() - 1) + " characters (they name the notification "
                    + "channel " + channel + "), were " + (channel.length() - "events".length()));
        }
    }

    String streams() {
        return table("streams");
    }

    String events() {
        return table("events");
    }

    String snapshots() {
        return table("snapshots");
    }

    /** The LISTEN/NOTIFY channel of this store's tables. */
    String channel() {
        return (schema == null ? "" : schema + "_") + tablePrefix + "events";
    }

    private String table(String name) {
        return (schema == null ? "" : schema + ".") + tablePrefix + name;
    }

    /** The schema DDL: the bundled SQL file with these names in place of the defaults. */
    String schemaSql() {
        String template;
        try (InputStream in = PostgresNames.class.getResourceAsStream("postgres-schema.sql")) {
            if (in == null) {
                throw new IllegalStateException("postgres-schema.sql is missing from the bulwark-eventstore jar");
            }
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read postgres-schema.sql", e);
        }
        String sql = DEFAULT_TABLE.matcher(template).replaceAll(match -> Matcher.quoteReplacement(table(match.group(1))));
        return schema == null ? sql : "CREATE SCHEMA IF NOT EXISTS " + schema + ";\n\n" + sql;
    }
}
