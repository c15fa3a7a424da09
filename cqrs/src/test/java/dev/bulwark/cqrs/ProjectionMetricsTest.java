package dev.bulwark.cqrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulwark.cqrs.Bank.Deposited;
import dev.bulwark.cqrs.Bank.Opened;
import dev.bulwark.eventstore.EventData;
import dev.bulwark.eventstore.EventStore;
import dev.bulwark.eventstore.ExpectedVersion;
import dev.bulwark.resilience.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** Lag, position, parked events and activity as Micrometer gauges. */
class ProjectionMetricsTest {

    private final ManualClock clock = new ManualClock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private double gauge(String name) {
        return registry.get(name).tag("name", "balances").gauge().value();
    }

    @Test
    void the_gauges_follow_the_runner_and_disappear_when_unbound() {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        Balances balances = new Balances();
        balances.failingStreams.add("account-2");
        try (EventStore store = Bank.store(clock)) {
            store.append("account-1", ExpectedVersion.ANY,
                    List.of(EventData.of(new Opened("alice")), EventData.of(new Deposited(1))));
            store.append("account-2", ExpectedVersion.ANY, List.of(EventData.of(new Opened("bob"))));
            clock.advance(Duration.ofSeconds(90));
            ProjectionRunner runner = ProjectionRunner.inMemory("balances", store, balances,
                    ProjectionConfig.builder(executor).clock(clock).scheduler(clock)
                            .retries(1, Duration.ofMillis(1), Duration.ofMillis(1)).build());
            ProjectionMetrics metrics = ProjectionMetrics.bind(runner, registry);

            assertThat(gauge("bulwark.projection.lag.events")).isEqualTo(3);
            assertThat(gauge("bulwark.projection.lag.seconds")).isEqualTo(90);
            assertThat(gauge("bulwark.projection.active")).isZero();
            runner.start();
            await().until(() -> runner.position() == 3);

            assertThat(gauge("bulwark.projection.lag.events")).isZero();
            assertThat(gauge("bulwark.projection.lag.seconds")).isZero();
            assertThat(gauge("bulwark.projection.position")).isEqualTo(3);
            assertThat(gauge("bulwark.projection.parked")).isEqualTo(1);
            assertThat(gauge("bulwark.projection.active")).isEqualTo(1);

            metrics.close();
            runner.close();
            assertThat(registry.getMeters()).isEmpty();
        } finally {
            executor.shutdownNow();
        }
    }
}
