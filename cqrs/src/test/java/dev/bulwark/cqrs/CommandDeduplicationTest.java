package dev.bulwark.cqrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.cqrs.CommandBusTest.ManualExecutor;
import dev.bulwark.cqrs.CommandBusTest.Ping;
import dev.bulwark.resilience.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Sending a command with an id twice is harmless. */
class CommandDeduplicationTest {

    private final ManualClock clock = new ManualClock();
    private final AtomicInteger handled = new AtomicInteger();

    private DefaultCommandBus bus(int capacity, ManualExecutor executor) {
        CommandBusConfig.Builder config = CommandBusConfig.builder()
                .deduplication(Duration.ofMinutes(5), capacity).clock(clock).scheduler(clock);
        if (executor != null) {
            config.executor(executor);
        }
        DefaultCommandBus bus = (DefaultCommandBus) CommandBus.create(config.build());
        bus.register(Ping.class, message -> "result " + handled.incrementAndGet());
        return bus;
    }

    private static Object send(CommandBus bus, String id, int n) {
        return bus.sendAndWait(CommandMessage.withId(id, new Ping(n)), Duration.ofSeconds(1));
    }

    @Test
    void a_resend_within_the_window_gets_the_first_result_without_running_again() {
        DefaultCommandBus bus = bus(100, null);

        Object first = send(bus, "c-1", 1);
        clock.advance(Duration.ofMinutes(4));
        Object second = send(bus, "c-1", 1);

        assertThat(first).isEqualTo("result 1");
        assertThat(second).isEqualTo("result 1");
        assertThat(handled).hasValue(1);
    }

    @Test
    void after_the_window_the_id_is_forgotten_and_the_command_runs_again() {
        DefaultCommandBus bus = bus(100, null);
        send(bus, "c-1", 1);

        clock.advance(Duration.ofMinutes(5));

        assertThat(send(bus, "c-1", 1)).isEqualTo("result 2");
        assertThat(bus.rememberedCommandIds()).isEqualTo(1);
    }

    @Test
    void commands_without_an_id_are_never_deduplicated_nor_remembered() {
        DefaultCommandBus bus = bus(100, null);

        bus.sendAndWait(new Ping(1), Duration.ofSeconds(1));
        bus.sendAndWait(new Ping(1), Duration.ofSeconds(1));

        assertThat(handled).hasValue(2);
        assertThat(bus.rememberedCommandIds()).isZero();
    }

    @Test
    void a_resend_while_the_first_still_runs_joins_it() {
        ManualExecutor executor = new ManualExecutor();
        DefaultCommandBus bus = bus(100, executor);

        CompletableFuture<Object> first = bus.send(CommandMessage.withId("c-1", new Ping(1))).toCompletableFuture();
        CompletableFuture<Object> second = bus.send(CommandMessage.withId("c-1", new Ping(1))).toCompletableFuture();
        assertThat(executor.tasks).hasSize(1);
        executor.runAll();

        assertThat(first).isCompletedWithValue("result 1");
        assertThat(second).isCompletedWithValue("result 1");
        assertThat(handled).hasValue(1);
    }

    @Test
    void a_failed_command_is_forgotten_so_that_it_may_be_sent_again() {
        CommandBus bus = CommandBus.create(CommandBusConfig.builder().clock(clock).build());
        AtomicInteger attempts = new AtomicInteger();
        bus.register(Ping.class, message -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("database down");
            }
            return "ok";
        });

        assertThatThrownBy(() -> send(bus, "c-1", 1)).hasMessage("database down");
        assertThat(send(bus, "c-1", 1)).isEqualTo("ok");
        assertThat(send(bus, "c-1", 1)).isEqualTo("ok");
        assertThat(attempts).hasValue(2);
    }

    @Test
    void reusing_an_id_for_another_command_is_refused() {
        DefaultCommandBus bus = bus(100, null);
        send(bus, "c-1", 1);

        assertThatThrownBy(() -> send(bus, "c-1", 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("commandId 'c-1' was already used for another command: Ping[n=1], now Ping[n=2]");
        assertThat(handled).hasValue(1);
    }

    @Test
    void memory_is_bounded_by_forgetting_the_oldest_id_early() {
        DefaultCommandBus bus = bus(2, null);

        send(bus, "c-1", 1);
        send(bus, "c-2", 2);
        send(bus, "c-3", 3);

        assertThat(bus.rememberedCommandIds()).isEqualTo(2);
        assertThat(send(bus, "c-3", 3)).as("still remembered").isEqualTo("result 3");
        assertThat(send(bus, "c-1", 1)).as("forgotten early, runs again").isEqualTo("result 4");
    }

    @Test
    void the_returned_stages_are_independent_copies() {
        DefaultCommandBus bus = bus(100, null);
        CompletableFuture<Object> first = bus.send(CommandMessage.withId("c-1", new Ping(1))).toCompletableFuture();

        first.obtrudeValue("tampered");

        assertThat(send(bus, "c-1", 1)).isEqualTo("result 1");
    }

    @Test
    void many_threads_resending_the_same_ids_concurrently_run_each_command_exactly_once() throws Exception {
        CommandBus bus = CommandBus.create();
        ConcurrentHashMap<Integer, AtomicInteger> runs = new ConcurrentHashMap<>();
        bus.register(Ping.class, message -> {
            int n = message.command().n();
            runs.computeIfAbsent(n, key -> new AtomicInteger()).incrementAndGet();
            Thread.yield();
            return "result of " + n + " from " + Thread.currentThread().getName();
        });
        int threads = 8;
        int ids = 50;
        ConcurrentHashMap<Integer, Set<Object>> results = new ConcurrentHashMap<>();
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> senders = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int seed = t;
                senders.add(pool.submit(() -> {
                    List<Integer> order = new ArrayList<>();
                    for (int round = 0; round < 4; round++) {
                        for (int n = 0; n < ids; n++) {
                            order.add(n);
                        }
                    }
                    Collections.shuffle(order, new Random(seed));
                    start.await();
                    for (int n : order) {
                        Object result = send(bus, "id-" + n, n);
                        results.computeIfAbsent(n, key -> ConcurrentHashMap.newKeySet()).add(result);
                    }
                    return null;
                }));
            }
            for (Future<?> sender : senders) {
                sender.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(runs).hasSize(ids);
        runs.forEach((n, count) -> assertThat(count).as("runs of id-" + n).hasValue(1));
        results.forEach((n, seen) -> assertThat(seen).as("results of id-" + n).hasSize(1));
    }

    @Test
    void settings_are_checked_with_their_name_and_value() {
        assertThatThrownBy(() -> CommandBusConfig.builder().deduplication(Duration.ZERO, 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("deduplicationWindow must be positive, was PT0S");
        assertThatThrownBy(() -> CommandBusConfig.builder().deduplication(Duration.ofSeconds(1), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("deduplicationCapacity must be at least 1, was 0");
        assertThatThrownBy(() -> CommandMessage.withId(" ", new Ping(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("commandId must not be blank, was \" \"");
    }

    @Test
    void a_command_message_gives_its_events_correlation_and_causation() {
        CommandMessage<Ping> message = CommandMessage.withId("c-7", new Ping(1))
                .withMetadata(CommandMessage.CORRELATION_ID, "request-3")
                .withMetadata("user", "alice");

        assertThat(message.eventMetadata().correlationId()).isEqualTo("request-3");
        assertThat(message.eventMetadata().causationId()).isEqualTo("c-7");
        assertThat(message.eventMetadata().headers()).containsExactlyEntriesOf(Map.of("user", "alice"));
        assertThat(CommandMessage.withId("c-8", new Ping(1)).eventMetadata().correlationId()).isEqualTo("c-8");
    }
}
