package dev.bulwark.saga;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.testsupport.TestDatabase;
import dev.bulwark.testsupport.TestPostgres;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The durability claim, proven by killing a process: three orchestrator JVMs share a PostgreSQL store and run
 * 300 sagas whose steps call an idempotent participant (in the same database) that logs every call. One JVM
 * is killed with SIGKILL while it holds unfinished sagas. The other two take them over once their leases
 * expire, and in the end every saga is COMPLETED or COMPENSATED, every step's effect exists at most once under
 * its stable key, completed sagas have all their effects and compensated ones none, including the effects of
 * steps that failed after taking effect (an invoice whose answer was lost, compensated on failure).
 */
class SagaCrashRecoveryTest {
    private static final int NODES = 3;
    private static final int SAGAS_PER_NODE = 100;
    private static final String VICTIM = "node-1";

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    void sagasOfAKilledNodeEndCompletedOrCompensatedWithEveryEffectAppliedOnce() throws Exception {
        TestDatabase db = TestPostgres.freshDatabase();
        try (TestPool pool = new TestPool(db.jdbcUrl(), db.user(), db.password())) {
            PostgresSagaStore.builder(pool).build().createTables();
            execute(pool, CrashTestNode.TABLES);
            Path logs = Files.createDirectories(Path.of("target", "crash-test"));
            for (int i = 0; i < NODES; i++) {
                processes.add(launch(db, "node-" + i, logs));
            }

            // given: the victim holds unfinished sagas while about a third of all sagas have ended
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (count(pool, "SELECT count(*) FROM bulwark_saga WHERE state IN ('COMPLETED', 'COMPENSATED')")
                    < NODES * SAGAS_PER_NODE / 3) {
                assertThat(System.nanoTime()).as("the sagas did not progress; see %s", logs).isLessThan(deadline);
                assertThat(processes).allMatch(Process::isAlive);
                TimeUnit.MILLISECONDS.sleep(20);
            }
            // when: it is killed with SIGKILL mid-run
            processes.get(1).destroyForcibly().waitFor();
            Set<String> orphans = strings(pool, "SELECT saga_id FROM bulwark_saga WHERE owner = '" + VICTIM
                    + "' AND state IN ('RUNNING', 'COMPENSATING')");
            assertThat(orphans).as("the victim should die holding unfinished sagas").isNotEmpty();

            // then: the survivors finish everything and exit
            for (int i : new int[] {0, 2}) {
                assertThat(processes.get(i).waitFor(120, TimeUnit.SECONDS)).as("node-%d finished; see %s", i, logs).isTrue();
                assertThat(processes.get(i).exitValue()).isZero();
            }
            assertOutcome(pool, orphans);
        }
    }

    private void assertOutcome(TestPool pool, Set<String> orphans) throws SQLException {
        int sagas = count(pool, "SELECT count(*) FROM bulwark_saga");
        int completed = count(pool, "SELECT count(*) FROM bulwark_saga WHERE state = 'COMPLETED'");
        int compensated = count(pool, "SELECT count(*) FROM bulwark_saga WHERE state = 'COMPENSATED'");
        assertThat(sagas).isGreaterThanOrEqualTo(2 * SAGAS_PER_NODE);
        assertThat(completed + compensated).as("every saga ended COMPLETED or COMPENSATED").isEqualTo(sagas);
        assertThat(compensated).as("every fifth order is refused").isGreaterThan(0);

        // every step used one stable key, sagaId/stepId, however often it ran and on whichever node
        assertThat(count(pool, "SELECT count(*) FROM (SELECT saga_id, step_id FROM participant_call "
                + "GROUP BY saga_id, step_id HAVING count(DISTINCT key) > 1) unstable")).isZero();
        assertThat(count(pool, "SELECT count(*) FROM participant_call WHERE key <> saga_id || '/' || step_id")).isZero();
        // every effect was applied once: one applying call per key, one effect row per completed step
        assertThat(count(pool, "SELECT count(*) FROM (SELECT key FROM participant_call WHERE applied "
                + "GROUP BY key HAVING count(*) > 1) twice")).isZero();
        assertThat(count(pool, "SELECT count(*) FROM participant_effect e JOIN bulwark_saga s ON s.saga_id = e.saga_id "
                + "WHERE s.state = 'COMPLETED'")).isEqualTo(5 * completed);
        // every compensated saga left no effect behind, and none of its refused steps applied
        assertThat(count(pool, "SELECT count(*) FROM participant_effect e JOIN bulwark_saga s ON s.saga_id = e.saga_id "
                + "WHERE s.state = 'COMPENSATED'")).isZero();
        assertThat(count(pool, "SELECT count(*) FROM participant_call c JOIN bulwark_saga s ON s.saga_id = c.saga_id "
                + "WHERE s.state = 'COMPENSATED' AND c.step_id IN ('ship', 'notify')")).isZero();
        // invoices whose answer was lost had taken effect: they were compensated all the same (no effect is left)
        assertThat(count(pool, "SELECT count(*) FROM participant_call c JOIN bulwark_saga s ON s.saga_id = c.saga_id "
                + "WHERE s.state = 'COMPENSATED' AND c.step_id = 'invoice' AND c.applied")).isPositive();
        assertThat(count(pool, "SELECT count(*) FROM bulwark_saga_step WHERE step_id = 'invoice' "
                + "AND outcome = 'UNCERTAIN'")).isPositive();

        // the victim's unfinished sagas were taken over, and only they ran a step more than once
        assertThat(strings(pool, "SELECT DISTINCT saga_id FROM participant_call WHERE node <> '" + VICTIM + "' AND saga_id IN "
                + "(SELECT saga_id FROM participant_call WHERE node = '" + VICTIM + "')")).isNotEmpty();
        Set<String> rerun = strings(pool, "SELECT DISTINCT saga_id FROM participant_call WHERE kind = 'do' "
                + "GROUP BY saga_id, step_id HAVING count(*) > 1");
        assertThat(orphans).containsAll(rerun);
        System.out.printf("crash test: %d sagas (%d completed, %d compensated), %d orphaned by SIGKILL, %d re-ran a step%n",
                sagas, completed, compensated, orphans.size(), rerun.size());
    }

    private Process launch(TestDatabase db, String nodeId, Path logs) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "-Xmx256m",
                "-XX:TieredStopAtLevel=1", CrashTestNode.class.getName(), db.jdbcUrl(),
                db.user() == null ? "" : db.user(), db.password() == null ? "" : db.password(), nodeId,
                String.valueOf(SAGAS_PER_NODE));
        File log = logs.resolve(nodeId + ".log").toFile();
        builder.redirectErrorStream(true).redirectOutput(log);
        return builder.start();
    }

    private static void execute(TestPool pool, String sql) throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static int count(TestPool pool, String sql) throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static Set<String> strings(TestPool pool, String sql) throws SQLException {
        Set<String> values = new HashSet<>();
        try (Connection c = pool.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }
}
