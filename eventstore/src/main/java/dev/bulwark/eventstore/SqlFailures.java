package dev.bulwark.eventstore;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;

/**
 * Sorts JDBC failures into those worth retrying ({@link TransientEventStoreException}) and the rest
 * ({@link EventStoreException}), by SQLSTATE.
 */
final class SqlFailures {
    /** Serialization failure, deadlock, lock not available, shutdowns and restarts, no connection slots. */
    private static final Set<String> TRANSIENT_STATES = Set.of("40001", "40P01", "55P03", "57P01", "57P02", "57P03",
            "53000", "53100", "53200", "53300", "57014");
    /** States after which a write that was sent may or may not have committed. */
    private static final Set<String> CONNECTION_LOST_STATES = Set.of("57P01", "57P02");

    private SqlFailures() {}

    static boolean isTransient(SQLException e) {
        String state = e.getSQLState();
        return e instanceof SQLTransientException || e instanceof SQLRecoverableException
                || (state != null && (state.startsWith("08") || TRANSIENT_STATES.contains(state)));
    }

    /**
     * The exception to throw for a failed operation.
     *
     * @param what the operation, such as "append to stream order-1"
     * @param writeSent whether a write that commits (an auto-committed statement, or a COMMIT) had been sent when
     *     the failure came, so that a lost connection leaves its outcome unknown
     */
    static EventStoreException translate(String what, SQLException e, boolean writeSent) {
        String state = e.getSQLState();
        String message = what + " failed: " + e.getMessage() + (state == null ? "" : " (SQLSTATE " + state + ")");
        if (!isTransient(e)) {
            return new EventStoreException(message, e);
        }
        boolean connectionLost = state == null || state.startsWith("08") || CONNECTION_LOST_STATES.contains(state)
                || e instanceof SQLRecoverableException;
        boolean unknown = writeSent && connectionLost;
        return new TransientEventStoreException(message + (unknown ? "; it may have committed: retrying with the "
                + "same event ids is safe" : ""), unknown, e);
    }
}
