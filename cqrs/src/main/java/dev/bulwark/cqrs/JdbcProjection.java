package dev.bulwark.cqrs;

import dev.bulwark.eventstore.RecordedEvent;
import java.sql.Connection;
import java.util.List;

/**
 * Keeps a read model in SQL tables up to date from the global log, with exactly-once effect: the
 * {@link ProjectionRunner} calls {@link #apply} inside a transaction on {@code connection} and writes the
 * projection's checkpoint in that same transaction before committing, so a crash either keeps both or neither.
 *
 * <p>Use only the given connection and do not commit, roll back or change its auto-commit mode: the runner does.
 * Several events may share one transaction.
 *
 * <pre>{@code
 * final class OrderTotals implements JdbcProjection {
 *     public void apply(RecordedEvent event, Connection connection) throws SQLException {
 *         if (event.data() instanceof OrderPlaced placed) {
 *             try (PreparedStatement insert = connection.prepareStatement(
 *                     "INSERT INTO order_totals (order_id, total) VALUES (?, ?)")) {
 *                 insert.setString(1, placed.orderId());
 *                 insert.setLong(2, placed.total());
 *                 insert.executeUpdate();
 *             }
 *         }
 *     }
 *
 *     public void reset(Connection connection) throws SQLException {
 *         try (Statement statement = connection.createStatement()) {
 *             statement.execute("TRUNCATE order_totals");
 *         }
 *     }
 * }
 * }</pre>
 */
public interface JdbcProjection {

    /** Applies one event to the read model, inside the runner's transaction. */
    void apply(RecordedEvent event, Connection connection) throws Exception;

    /** Empties the read model, inside the transaction that also resets the checkpoint, before a rebuild. */
    void reset(Connection connection) throws Exception;

    /**
     * Called after the transaction that applied {@code events} committed: the place to tell others that the read
     * model changed, such as {@link QueryBus#emit} for subscription queries (doing it in {@link #apply} would
     * announce changes that may still roll back). What it throws is logged and otherwise ignored.
     */
    default void committed(List<RecordedEvent> events) {}
}
