package dev.bulwark.cqrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.atLeast;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.verify;

import dev.bulwark.cqrs.Bank.Deposited;
import dev.bulwark.cqrs.Bank.Opened;
import dev.bulwark.cqrs.Bank.Withdrawn;
import dev.bulwark.eventstore.AppendResult;
import dev.bulwark.eventstore.EventFilter;
import dev.bulwark.eventstore.EventStore;
import dev.bulwark.eventstore.TransientEventStoreException;
import dev.bulwark.resilience.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An in-memory projection followed by a runner: order, filters, progress, failures, rebuild, lifecycle. */
class ProjectionRunnerTest {

    private final ManualClock clock = new ManualClock();
    private final EventStore store = Bank.store(clock);
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Balances balances = new Balances();
    private final List<ProjectionRunner> runners = new ArrayList<>();

    @AfterEach
    void tearDown() {
        runners.forEach(ProjectionRunner::close);
        store.close();
        executor.shutdownNow();
    }

    private ProjectionConfig.Builder config() {
        return ProjectionConfig.builder(executor).clock(clock).scheduler(clock)
                .retries(3, Duration.ofMillis(100), Duration.ofSeconds(1));
    }

    private ProjectionRunner runner(ProjectionConfig config) {
        ProjectionRunner runner = ProjectionRunner.inMemory("balances", store, balances, config);
        runners.add(runner);
        return runner;
    }

    private AppendResult append(String stream, Object... events) {
        return Bank.append(store, stream, events);
    }

    /** A started runner that parked account-2's two events (positions 1 and 2) because its projection failed. */
    private ProjectionRunner runnerWithAccount2Parked() {
        balances.failingStreams.add("account-2");
        append("account-2", new Opened("bob"), new Deposited(10));
        ProjectionRunner runner = runner(config().build());
        runner.start();
        awaitPosition(runner, 2);
        return runner;
    }

    private void awaitPosition(ProjectionRunner runner, long position) {
        await().until(() -> runner.position() >= position);
    }

    @Test
    void existing_events_are_applied_in_order_and_new_ones_as_they_are_appended() {
        append("account-1", new Opened("alice"), new Deposited(100));
        append("account-2", new Opened("bob"));
        ProjectionRunner runner = runner(config().batchSize(2).build());

        runner.start();
        awaitPosition(runner, 3);
        await().until(() -> runner.status() == ProjectionRunner.Status.LIVE);
        AppendResult later = append("account-1", new Withdrawn(30));
        awaitPosition(runner, later.position());

        assertThat(balances.applied).containsExactly(1L, 2L, 3L, 4L);
        assertThat(balances.balances).containsExactlyInAnyOrderEntriesOf(Map.of("account-1", 70L, "account-2", 0L));
    }

    @Test
    void the_filter_decides_which_events_the_projection_sees() {
        append("account-1", new Opened("alice"), new Deposited(100));
        append("audit-1", new Opened("auditor"));
        ProjectionRunner runner = runner(config().filter(EventFilter.categories("account")).build());

        runner.start();
        awaitPosition(runner, 3);

        assertThat(balances.applied).containsExactly(1L, 2L);
        assertThat(balances.balances).containsOnlyKeys("account-1");
    }

    @Test
    void a_wait_for_a_position_completes_once_the_event_is_applied() {
        ProjectionRunner runner = runner(config().build());
        runner.start();
        await().until(() -> runner.status() == ProjectionRunner.Status.LIVE);

        AppendResult written = append("account-1", new Opened("alice"), new Deposited(5));
        runner.awaitPosition(written.position(), Duration.ofSeconds(30)).toCompletableFuture().join();

        assertThat(balances.balances).containsEntry("account-1", 5L);
    }

    @Test
    void a_query_with_consistency_reads_its_own_write() {
        QueryBus queries = QueryBus.create();
        queries.register(String.class, Long.class, stream -> balances.balances.get(stream));
        ProjectionRunner runner = runner(config().build());
        runner.start();

        AppendResult written = append("account-1", new Opened("alice"), new Deposited(42));
        Long balance = queries.query("account-1", Long.class,
                Consistency.reached(runner, written.position(), Duration.ofSeconds(30))).toCompletableFuture().join();

        assertThat(balance).isEqualTo(42L);
    }

    @Test
    void a_wait_for_a_position_the_filter_skips_completes_once_the_log_shows_nothing_is_left_before_it() {
        append("account-1", new Opened("alice"));
        ProjectionRunner runner = runner(config().filter(EventFilter.categories("account")).build());
        runner.start();
        awaitPosition(runner, 1);

        AppendResult audit = append("audit-1", new Opened("auditor"));
        CompletableFuture<Void> wait = runner.awaitPosition(audit.position(), Duration.ofSeconds(30)).toCompletableFuture();

        assertThat(wait).isCompleted();
    }

    @Test
    void a_wait_that_is_not_reached_in_time_fails_with_the_position_it_is_at() {
        append("account-1", new Opened("alice"));
        ProjectionRunner runner = runner(config().build());

        CompletableFuture<Void> wait = runner.awaitPosition(1, Duration.ofSeconds(2)).toCompletableFuture();
        clock.advance(Duration.ofSeconds(2));

        assertThatThrownBy(wait::join).cause().isInstanceOf(WaitTimeoutException.class)
                .hasMessage("projection 'balances' did not reach position 1 within PT2S (it is at 0)");
        assertThat(runner.awaitPosition(0, Duration.ofSeconds(1)).toCompletableFuture()).isCompleted();
    }

    @Test
    void a_failing_event_is_retried_with_backoff_then_parked_while_other_keys_proceed() {
        balances.failingStreams.add("account-2");
        append("account-1", new Opened("alice"));
        append("account-2", new Opened("bob"));
        append("account-2", new Deposited(10));
        AppendResult last = append("account-1", new Deposited(7));
        long start = clock.nanoTime();
        ProjectionRunner runner = runner(config().build());

        runner.start();
        awaitPosition(runner, last.position());

        assertThat(balances.balances).containsExactly(Map.entry("account-1", 7L));
        assertThat(balances.failures).containsEntry("account-2", 1 + 3);
        assertThat(clock.nanoTime() - start).as("backoffs of 100 and 200 ms")
                .isGreaterThanOrEqualTo(Duration.ofMillis(300).toNanos());
        List<ParkedEvent> parked = runner.parkedEvents();
        assertThat(parked).extracting(ParkedEvent::position).containsExactly(2L, 3L);
        assertThat(parked.get(0).attempts()).isEqualTo(3);
        assertThat(parked.get(0).error()).isEqualTo("java.lang.IllegalStateException: cannot project account-2");
        assertThat(parked.get(1).attempts()).isZero();
        assertThat(parked.get(1).error()).isEqualTo("an earlier event with key 'account-2' is parked");
        assertThat(parked.get(1).key()).isEqualTo("account-2");
    }

    @Test
    void later_events_of_a_parked_key_are_parked_behind_it_without_being_tried() {
        balances.failingStreams.add("account-2");
        append("account-2", new Opened("bob"));
        ProjectionRunner runner = runner(config().build());
        runner.start();
        awaitPosition(runner, 1);
        balances.failingStreams.clear();

        AppendResult deposit = append("account-2", new Deposited(10));
        awaitPosition(runner, deposit.position());

        assertThat(balances.balances).isEmpty();
        assertThat(runner.parkedEvents()).extracting(ParkedEvent::position).containsExactly(1L, 2L);
    }

    @Test
    void retrying_a_parked_key_after_the_fix_applies_its_events_in_order_and_unparks_them() {
        ProjectionRunner runner = runnerWithAccount2Parked();

        balances.failingStreams.clear();
        int retried = runner.retryParked("account-2").toCompletableFuture().join();
        AppendResult later = append("account-2", new Withdrawn(4));
        awaitPosition(runner, later.position());

        assertThat(retried).isEqualTo(2);
        assertThat(runner.parkedEvents()).isEmpty();
        assertThat(balances.applied).containsExactly(1L, 2L, 3L);
        assertThat(balances.balances).containsEntry("account-2", 6L);
    }

    @Test
    void retrying_a_key_that_still_fails_keeps_it_parked_and_reports_the_error() {
        balances.failingStreams.add("account-2");
        append("account-2", new Opened("bob"));
        ProjectionRunner runner = runner(config().build());
        runner.start();
        awaitPosition(runner, 1);

        CompletableFuture<Integer> retry = runner.retryParked("account-2").toCompletableFuture();

        assertThatThrownBy(retry::join).cause().hasMessage("cannot project account-2");
        assertThat(runner.parkedEvents()).hasSize(1);
    }

    @Test
    void discarding_a_parked_key_drops_its_events_and_lets_new_ones_through() {
        ProjectionRunner runner = runnerWithAccount2Parked();
        balances.failingStreams.clear();

        int discarded = runner.discardParked("account-2").toCompletableFuture().join();
        AppendResult later = append("account-2", new Deposited(3));
        awaitPosition(runner, later.position());

        assertThat(discarded).isEqualTo(2);
        assertThat(runner.parkedEvents()).isEmpty();
        assertThat(balances.balances).containsEntry("account-2", 3L);
    }

    @Test
    void a_rebuild_resets_the_read_model_and_replays_the_log_from_the_start() {
        append("account-1", new Opened("alice"), new Deposited(100));
        ProjectionRunner runner = runner(config().build());
        runner.start();
        awaitPosition(runner, 2);
        balances.balances.put("account-1", -1L);

        runner.rebuild().toCompletableFuture().join();
        awaitPosition(runner, 2);

        assertThat(balances.applied).containsExactly(1L, 2L);
        assertThat(balances.balances).containsExactly(Map.entry("account-1", 100L));
    }

    @Test
    void lag_counts_the_events_still_to_process_and_the_age_of_the_oldest() {
        append("account-1", new Opened("alice"));
        clock.advance(Duration.ofSeconds(40));
        append("account-1", new Deposited(1));
        clock.advance(Duration.ofSeconds(2));
        ProjectionRunner runner = runner(config().build());

        assertThat(runner.lag()).isEqualTo(new ProjectionLag(2, Duration.ofSeconds(42)));
        runner.start();
        awaitPosition(runner, 2);
        assertThat(runner.lag()).isEqualTo(ProjectionLag.NONE);
    }

    @Test
    void a_transient_store_failure_makes_the_runner_start_again_from_its_checkpoint() {
        EventStore flaky = spy(store);
        doThrow(new TransientEventStoreException("connection reset", false, null)).doCallRealMethod()
                .when(flaky).readAll(anyLong(), anyInt(), any());
        append("account-1", new Opened("alice"), new Deposited(3));
        ProjectionRunner runner = ProjectionRunner.inMemory("balances", flaky, balances, config().build());
        runners.add(runner);

        runner.start();
        awaitPosition(runner, 2);

        assertThat(balances.applied).containsExactly(1L, 2L);
        verify(flaky, atLeast(2)).readAll(anyLong(), anyInt(), any());
    }

    @Test
    void the_lifecycle_is_checked() {
        ProjectionRunner runner = runner(config().build());
        assertThat(runner.status()).isEqualTo(ProjectionRunner.Status.NEW);
        assertThatThrownBy(() -> runner.rebuild().toCompletableFuture().join())
                .cause().isInstanceOf(IllegalStateException.class)
                .hasMessage("projection 'balances' is not running (NEW)");

        runner.start();
        assertThatThrownBy(runner::start).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("projection 'balances' was already started");
        await().until(() -> runner.status() == ProjectionRunner.Status.LIVE);
        runner.close();
        runner.close();

        assertThat(runner.status()).isEqualTo(ProjectionRunner.Status.STOPPED);
        append("account-1", new Opened("alice"));
        assertThat(balances.applied).isEmpty();
    }

    @Test
    void closing_a_runner_that_never_started_is_immediate() {
        ProjectionRunner runner = runner(config().build());
        runner.close();
        assertThat(runner.status()).isEqualTo(ProjectionRunner.Status.STOPPED);
    }

    @Test
    void settings_are_checked_with_their_name_and_value() {
        assertThatThrownBy(() -> config().batchSize(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("batchSize must be at least 1, was 0");
        assertThatThrownBy(() -> config().retries(0, Duration.ofMillis(1), Duration.ofMillis(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxAttempts must be at least 1, was 0");
        assertThatThrownBy(() -> config().retries(2, Duration.ofSeconds(2), Duration.ofSeconds(1)).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("maxBackoff (PT1S) must not be shorter than initialBackoff (PT2S)");
        assertThatThrownBy(() -> config().lockPollInterval(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("lockPollInterval must be positive, was PT0S");
        assertThatThrownBy(() -> ProjectionRunner.inMemory(" ", store, balances, config().build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("name must not be blank, was \" \"");
    }
}
