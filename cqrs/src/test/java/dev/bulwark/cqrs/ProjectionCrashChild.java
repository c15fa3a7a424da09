package dev.bulwark.cqrs;

import dev.bulwark.cqrs.Bank.Deposited;
import dev.bulwark.cqrs.Bank.Opened;
import dev.bulwark.cqrs.Bank.Withdrawn;
import dev.bulwark.eventstore.EventData;
import dev.bulwark.eventstore.EventStore;
import dev.bulwark.eventstore.ExpectedVersion;
import dev.bulwark.eventstore.PostgresEventStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.sql.DataSource;

/**
 * The projection process of {@link ProjectionCrashTest}: runs the JDBC balances projection until it has processed
 * the whole log, then exits with 0. The test kills it (SIGKILL) on the way and starts it again.
 *
 * <p>It reads the log from the {@link PostgresEventStore} in the same database, which the test wrote beforehand.
 *
 * <p>Arguments: JDBC URL, user, password (empty for none), milliseconds to sleep per event.
 */
public final class ProjectionCrashChild {

    private ProjectionCrashChild() {}

    /**
     * The same log every time: {@code count} events over 20 accounts, from a fixed seed, appended in runs of 1 to 10
     * events of one account (fewer commits make a PostgreSQL log quicker to write).
     */
    static void writeLog(EventStore store, int count) {
        Random random = new Random(7);
        Set<String> opened = new HashSet<>();
        int written = 0;
        while (written < count) {
            String account = "account-" + random.nextInt(20);
            int run = Math.min(count - written, 1 + random.nextInt(10));
            List<EventData> events = new ArrayList<>(run);
            for (int i = 0; i < run; i++) {
                Object event;
                if (opened.add(account)) {
                    event = new Opened("owner of " + account);
                } else if (random.nextBoolean()) {
                    event = new Deposited(1 + random.nextInt(100));
                } else {
                    event = new Withdrawn(1 + random.nextInt(50));
                }
                events.add(EventData.of(event));
            }
            store.append(account, ExpectedVersion.ANY, events);
            written += run;
        }
    }

    public static void main(String[] args) throws Exception {
        System.err.println("child started");
        DataSource dataSource = new UrlDataSource(args[0], args[1], args[2]);
        long sleepMillis = Long.parseLong(args[3]);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try (EventStore store = PostgresEventStore.builder(dataSource, Bank.settings().build()).build()) {
            ProjectionRunner runner = ProjectionRunner.jdbc("crash-balances", store, dataSource,
                    new JdbcBalances(sleepMillis), ProjectionConfig.builder(executor).batchSize(10).build());
            runner.start();
            runner.awaitPosition(store.headPosition(), Duration.ofMinutes(5)).toCompletableFuture().join();
            runner.close();
        }
        executor.shutdown();
        System.exit(0);
    }
}
