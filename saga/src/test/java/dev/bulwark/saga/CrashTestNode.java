package dev.bulwark.saga;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * One orchestrator process of {@link SagaCrashRecoveryTest}: starts its share of sagas, then keeps running
 * (and taking over other nodes' sagas) until no saga in the database is unfinished.
 *
 * <p>Arguments: jdbcUrl user password nodeId sagaCount.
 */
public final class CrashTestNode {
    static final String TABLES = """
            CREATE TABLE IF NOT EXISTS participant_call (id bigserial PRIMARY KEY, key text NOT NULL,
                saga_id text NOT NULL, step_id text NOT NULL, kind text NOT NULL, node text NOT NULL,
                applied boolean NOT NULL);
            CREATE TABLE IF NOT EXISTS participant_effect (key text PRIMARY KEY, saga_id text NOT NULL,
                step_id text NOT NULL);
            CREATE TABLE IF NOT EXISTS participant_tombstone (key text PRIMARY KEY);
            """;
    static final Duration LEASE = Duration.ofSeconds(3);

    private CrashTestNode() {}

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String user = args[1].isEmpty() ? null : args[1];
        String password = args[2].isEmpty() ? null : args[2];
        String nodeId = args[3];
        int count = Integer.parseInt(args[4]);
        try (TestPool pool = new TestPool(url, user, password)) {
            FakeParticipant participant = new FakeParticipant(pool, nodeId);
            SagaDefinition<Order> saga = definition(participant);
            SagaOrchestrator orchestrator = SagaOrchestrator.builder()
                    .store(PostgresSagaStore.builder(pool).build())
                    .register(saga)
                    .threads(4)
                    .nodeId(nodeId)
                    .leaseDuration(LEASE)
                    .pollInterval(Duration.ofMillis(200))
                    .start();
            for (int i = 0; i < count; i++) {
                orchestrator.start(saga, new Order(nodeId + "-" + i, i));
            }
            System.out.println(nodeId + " started " + count + " sagas");
            while (unfinished(pool) > 0) {
                TimeUnit.MILLISECONDS.sleep(200);
            }
            orchestrator.close();
            System.out.println(nodeId + " sees every saga finished");
        }
    }

    /**
     * Five steps: three compensatable, a pivot and a retriable one. The invoice's answer is lost for every fifth
     * order from the second (it took effect, and is compensated on failure); the check refuses every fifth order.
     */
    static SagaDefinition<Order> definition(FakeParticipant participant) {
        return Saga.define("crash-order", Order.class)
                .step("reserve").action(participant::apply).compensation(participant::undo)
                .step("invoice").action(ctx -> {
                    participant.apply(ctx);
                    if (ctx.data().quantity() % 5 == 2) {
                        throw new IllegalStateException("invoice " + ctx.idempotencyKey() + " sent, answer lost");
                    }
                }).compensation(participant::undo).compensateOnFailure()
                .step("check").action(ctx -> {
                    if (ctx.data().quantity() % 5 == 0) {
                        throw new IllegalStateException("order " + ctx.data().sku() + " is refused");
                    }
                    participant.apply(ctx);
                }).compensation(participant::undo)
                .pivot("ship").action(participant::apply)
                .retriable("notify").action(participant::apply)
                .build();
    }

    private static int unfinished(DataSource pool) throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM bulwark_saga WHERE state IN ('RUNNING', 'COMPENSATING')")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /**
     * An idempotent remote service in PostgreSQL: an effect per idempotency key, applied at most once; a
     * compensation removes it and leaves a tombstone, so an action that arrives after its compensation does nothing.
     * Every call is logged with the node that made it. Each call takes about 20 ms, like a remote call.
     */
    static final class FakeParticipant {
        private final DataSource pool;
        private final String node;

        FakeParticipant(DataSource pool, String node) {
            this.pool = pool;
            this.node = node;
        }

        void apply(StepContext<Order> ctx) throws Exception {
            TimeUnit.MILLISECONDS.sleep(10);
            try (Connection c = pool.getConnection()) {
                c.setAutoCommit(false);
                int applied;
                try (PreparedStatement s = c.prepareStatement("INSERT INTO participant_effect (key, saga_id, step_id) "
                        + "SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM participant_tombstone WHERE key = ?) "
                        + "ON CONFLICT (key) DO NOTHING")) {
                    s.setString(1, ctx.idempotencyKey());
                    s.setString(2, ctx.sagaId());
                    s.setString(3, ctx.stepId());
                    s.setString(4, ctx.idempotencyKey());
                    applied = s.executeUpdate();
                }
                log(c, ctx, "do", applied == 1);
                c.commit();
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }

        void undo(StepContext<Order> ctx) throws Exception {
            TimeUnit.MILLISECONDS.sleep(5);
            try (Connection c = pool.getConnection()) {
                c.setAutoCommit(false);
                try (PreparedStatement s = c.prepareStatement(
                        "INSERT INTO participant_tombstone (key) VALUES (?) ON CONFLICT (key) DO NOTHING")) {
                    s.setString(1, ctx.idempotencyKey());
                    s.executeUpdate();
                }
                try (PreparedStatement s = c.prepareStatement("DELETE FROM participant_effect WHERE key = ?")) {
                    s.setString(1, ctx.idempotencyKey());
                    s.executeUpdate();
                }
                log(c, ctx, "undo", false);
                c.commit();
            }
        }

        private void log(Connection c, StepContext<Order> ctx, String kind, boolean applied) throws SQLException {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO participant_call (key, saga_id, step_id, kind, "
                    + "node, applied) VALUES (?, ?, ?, ?, ?, ?)")) {
                s.setString(1, ctx.idempotencyKey());
                s.setString(2, ctx.sagaId());
                s.setString(3, ctx.stepId());
                s.setString(4, kind);
                s.setString(5, node);
                s.setBoolean(6, applied);
                s.executeUpdate();
            }
        }
    }
}
