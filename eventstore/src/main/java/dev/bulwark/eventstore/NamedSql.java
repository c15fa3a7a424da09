package dev.bulwark.eventstore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A statement written with {@code :name} parameters, turned into JDBC {@code ?} placeholders, so that statements
 * that use a value several times stay readable. Every value is a bind parameter; {@code ::type} casts are left
 * alone.
 *
 * @param sql the statement with {@code ?} placeholders
 * @param names the parameter name of each placeholder, in order
 */
record NamedSql(String sql, List<String> names) {
    private static final Pattern PARAMETER = Pattern.compile("(?<!:):([a-z][A-Za-z0-9]*)");

    static NamedSql parse(String text) {
        List<String> names = new ArrayList<>();
        Matcher matcher = PARAMETER.matcher(text);
        StringBuilder sql = new StringBuilder();
        while (matcher.find()) {
            names.add(matcher.group(1));
            matcher.appendReplacement(sql, "?");
        }
        matcher.appendTail(sql);
        return new NamedSql(sql.toString(), List.copyOf(names));
    }

    /** Prepares the statement and binds every parameter from {@code values}. */
    PreparedStatement prepare(Connection connection, Map<String, ?> values) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        try {
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                if (!values.containsKey(name)) {
                    throw new IllegalStateException("no value for :" + name + " in " + sql);
                }
                statement.setObject(i + 1, values.get(name));
            }
            return statement;
        } catch (SQLException | RuntimeException e) {
            statement.close();
            throw e;
        }
    }
}
