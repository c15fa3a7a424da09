package dev.bulwark.eventstore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads for {@link PostgresEventStore}. Each read is one statement, so what it returns is one consistent snapshot.
 *
 * <p>Global reads stop below a bound: {@code pg_snapshot_xmin(pg_current_snapshot()) << 16}, the position range of
 * the oldest transaction still running when the statement's snapshot was taken. Every transaction with a lower id
 * has ended by then, so each of its events is either visible in that very snapshot (committed) or never will be
 * (rolled back); and every transaction still to commit has a higher id, so all its events get higher positions.
 * Below the bound the log is therefore final, and a checkpoint up to {@code bound - 1} can never be overtaken.
 */
final class PostgresReader {
    private static final String EVENT_COLUMNS = "e.position, e.stream_id, e.version, e.event_id, e.event_type, "
            + "e.schema_version, e.data, e.metadata, e.created_at";
    private static final byte[] EMPTY_METADATA = {'{', '}'};
    static final String BOUND = "(pg_snapshot_xmin(pg_current_snapshot())::text::bigint << 16)";

    /** A page of the global log, and whether committed events wait above its bound. */
    record LogPage(GlobalSlice slice, boolean heldBack) {}

    private final PostgresNames names;
    private final Codec codec;
    private final NamedSql forward;
    private final NamedSql backward;
    private final NamedSql head;
    private final NamedSql snapshot;
    private final Map<String, NamedSql> logReads = new HashMap<>();

    PostgresReader(PostgresNames names, Codec codec) {
        this.names = names;
        this.codec = codec;
        forward = NamedSql.parse(streamRead("e.version >= greatest(:fromVersion, s.truncate_before)", "ASC"));
        backward = NamedSql.parse(streamRead("e.version <= :fromVersion AND e.version >= s.truncate_before", "DESC"));
        head = NamedSql.parse("SELECT coalesce(max(position), 0) FROM " + names.events() + " WHERE position < "
                + BOUND);
        snapshot = NamedSql.parse("SELECT n.version, n.snapshot_type, n.schema_version, n.data, n.created_at FROM "
                + names.snapshots() + " n JOIN " + names.streams() + " s ON s.stream_id = n.stream_id "
                + "WHERE n.stream_id = :streamId AND NOT s.deleted");
        for (boolean byCategory : new boolean[] {false, true}) {
            for (boolean byType : new boolean[] {false, true}) {
                logReads.put(key(byCategory, byType), NamedSql.parse(logRead(byCategory, byType)));
            }
        }
    }

    private String streamRead(String range, String order) {
        return "SELECT s.version AS stream_version, s.deleted, s.truncate_before, " + EVENT_COLUMNS + " FROM "
                + names.streams() + " s LEFT JOIN LATERAL (SELECT * FROM " + names.events() + " e WHERE "
                + "e.stream_no = s.stream_no AND " + range + " ORDER BY e.version " + order + " LIMIT :maxCount) e "
                + "ON NOT s.deleted WHERE s.stream_id = :streamId";
    }

    /**
     * Reads in position order up to the limit first and cuts at the bound afterwards: the rows come ordered, so
     * every row below the bound precedes every row at or above it, and the cut keeps exactly the final prefix. (With
     * the bound inside the scan's condition, whose value the planner cannot know, it tends to sort the whole rest of
     * the log for each page.)
     */
    private String logRead(boolean byCategory, boolean byType) {
        return "WITH b AS (SELECT " + BOUND + " AS bound, (SELECT max(position) FROM " + names.events() + ") AS head) "
                + "SELECT b.bound, coalesce(b.head >= b.bound, false) AS held_back, " + EVENT_COLUMNS + " FROM b "
                + "LEFT JOIN LATERAL (SELECT * FROM (SELECT * FROM " + names.events() + " WHERE position > :after"
                + (byCategory ? " AND split_part(stream_id, '-', 1) = ANY(:categories::text[])" : "")
                + (byType ? " AND event_type = ANY(:types::text[])" : "")
                + " ORDER BY position LIMIT :maxCount) page WHERE page.position < b.bound) e ON true "
                + "ORDER BY e.position";
    }

    private static String key(boolean byCategory, boolean byType) {
        return byCategory + "/" + byType;
    }

    StreamSlice readStream(Connection connection, String streamId, ReadDirection direction, long fromVersion,
            int maxCount) throws SQLException {
        NamedSql sql = direction == ReadDirection.FORWARD ? forward : backward;
        Map<String, Object> values = Map.of("streamId", streamId, "fromVersion", fromVersion, "maxCount", maxCount);
        List<RecordedEvent> events = new ArrayList<>();
        try (PreparedStatement statement = sql.prepare(connection, values); ResultSet rows = statement.executeQuery()) {
            if (!rows.next()) {
                return new StreamSlice(streamId, direction, List.of(), 0, false, true);
            }
            long version = rows.getLong("stream_version");
            boolean deleted = rows.getBoolean("deleted");
            long truncateBefore = rows.getLong("truncate_before");
            do {
                if (rows.getObject("position") != null) {
                    events.add(event(rows, streamId));
                }
            } while (rows.next());
            long last = events.isEmpty() ? -1 : events.get(events.size() - 1).version();
            boolean end = events.size() < maxCount
                    || (direction == ReadDirection.FORWARD ? last >= version : last <= truncateBefore);
            return new StreamSlice(streamId, direction, events, version, deleted, end);
        }
    }

    LogPage readAll(Connection connection, long after, int maxCount, EventFilter filter) throws SQLException {
        boolean byCategory = !filter.categories().isEmpty();
        boolean byType = !filter.eventTypes().isEmpty();
        Map<String, Object> values = new HashMap<>();
        values.put("after", after);
        values.put("maxCount", maxCount);
        if (byCategory) {
            values.put("categories", connection.createArrayOf("text", filter.categories().toArray()));
        }
        if (byType) {
            values.put("types", connection.createArrayOf("text", filter.eventTypes().toArray()));
        }
        List<RecordedEvent> events = new ArrayList<>();
        long bound = 0;
        boolean heldBack = false;
        try (PreparedStatement statement = logReads.get(key(byCategory, byType)).prepare(connection, values);
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                bound = rows.getLong("bound");
                heldBack = rows.getBoolean("held_back");
                if (rows.getObject("position") != null) {
                    events.add(event(rows, null));
                }
            }
        }
        boolean full = events.size() == maxCount;
        long checkpoint = full ? events.get(events.size() - 1).position() : Math.max(after, bound - 1);
        return new LogPage(new GlobalSlice(events, checkpoint, !full), heldBack);
    }

    long headPosition(Connection connection) throws SQLException {
        try (PreparedStatement statement = head.prepare(connection, Map.of()); ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    Optional<Snapshot> loadSnapshot(Connection connection, String streamId) throws SQLException {
        try (PreparedStatement statement = snapshot.prepare(connection, Map.of("streamId", streamId));
                ResultSet rows = statement.executeQuery()) {
            if (!rows.next()) {
                return Optional.empty();
            }
            return Optional.of(codec.decodeSnapshot(streamId, rows.getLong(1), rows.getString(2), rows.getInt(3),
                    rows.getBytes(4), rows.getObject(5, OffsetDateTime.class).toInstant()));
        }
    }

    /** Empty metadata is stored as NULL (see the appender). */
    private static byte[] metadata(byte[] stored) {
        return stored == null ? EMPTY_METADATA : stored;
    }

    private RecordedEvent event(ResultSet rows, String streamId) throws SQLException {
        return codec.decode(streamId != null ? streamId : rows.getString("stream_id"), rows.getLong("version"),
                rows.getLong("position"), rows.getObject("event_id", UUID.class), rows.getString("event_type"),
                rows.getInt("schema_version"), rows.getBytes("data"), metadata(rows.getBytes("metadata")),
                rows.getObject("created_at", OffsetDateTime.class).toInstant());
    }
}
