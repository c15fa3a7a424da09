package dev.bulwark.cqrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.bulwark.resilience.ManualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

class CommandBusTest {

    record Ping(int n) {}

    record Pong(int n) {}

    sealed interface ShapeCommand permits Draw, Erase {}

    record Draw(String shape) implements ShapeCommand {}

    record Erase(String shape) implements ShapeCommand {}

    interface Audited {}

    interface Billed {}

    record Charge(long cents) implements Audited, Billed {}

    /** An executor that runs tasks only when told to. */
    static final class ManualExecutor implements java.util.concurrent.Executor {
        final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

        @Override
        public synchronized void execute(Runnable task) {
            tasks.add(task);
        }

        synchronized Runnable next() {
            return tasks.poll();
        }

        void runAll() {
            Runnable task;
            while ((task = next()) != null) {
                task.run();
            }
        }
    }

    private final ManualClock clock = new ManualClock();
    private final CommandBus bus = CommandBus.create();

    private static <T> T join(CompletionStage<T> stage) {
        return stage.toCompletableFuture().join();
    }

    @Test
    void a_command_reaches_its_handler_and_the_result_comes_back_completed_on_the_callers_thread() {
        Thread caller = Thread.currentThread();
        bus.register(Ping.class, message -> {
            assertThat(Thread.currentThread()).isSameAs(caller);
            return new Pong(message.command().n() + 1);
        });

        CompletionStage<Pong> result = bus.send(new Ping(1));

        assertThat(result.toCompletableFuture()).isCompletedWithValue(new Pong(2));
        assertThat((Pong) bus.sendAndWait(new Ping(2), Duration.ofSeconds(1))).isEqualTo(new Pong(3));
    }

    @Test
    void a_second_handler_for_the_same_type_is_refused() {
        bus.register(Ping.class, message -> null);

        assertThatThrownBy(() -> bus.register(Ping.class, message -> null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("a handler for command type " + Ping.class.getName() + " is already registered");
    }

    @Test
    void an_unknown_command_type_fails_with_no_handler_exception() {
        CompletableFuture<Object> result = bus.send(new Ping(1)).toCompletableFuture();

        assertThatThrownBy(result::join).hasCauseInstanceOf(NoHandlerException.class)
                .cause().hasMessage("no handler for command type " + Ping.class.getName());
        assertThatThrownBy(() -> bus.sendAndWait(new Ping(1), Duration.ofSeconds(1)))
                .isInstanceOf(NoHandlerException.class);
    }

    @Test
    void closing_the_registration_removes_the_handler_and_allows_a_new_one() {
        Registration registration = bus.register(Ping.class, message -> "first");
        registration.close();
        registration.close();

        assertThatThrownBy(() -> bus.sendAndWait(new Ping(1), Duration.ofSeconds(1)))
                .isInstanceOf(NoHandlerException.class);
        bus.register(Ping.class, message -> "second");
        assertThat((String) bus.sendAndWait(new Ping(1), Duration.ofSeconds(1))).isEqualTo("second");
    }

    @Test
    void a_domain_rejection_reaches_the_sender_unchanged() {
        IllegalStateException rejection = new IllegalStateException("order already shipped");
        bus.register(Ping.class, message -> {
            throw rejection;
        });

        assertThatThrownBy(() -> bus.sendAndWait(new Ping(1), Duration.ofSeconds(1))).isSameAs(rejection);
        assertThatThrownBy(() -> join(bus.send(new Ping(1)))).hasCause(rejection);
    }

    @Test
    void a_checked_exception_is_wrapped_in_a_completion_exception_by_send_and_wait() {
        IOException failure = new IOException("disk full");
        bus.register(Ping.class, message -> {
            throw failure;
        });

        assertThatThrownBy(() -> bus.sendAndWait(new Ping(1), Duration.ofSeconds(1)))
                .isInstanceOf(CompletionException.class).hasCause(failure);
    }

    @Test
    void one_handler_registered_for_a_sealed_interface_takes_all_its_commands() {
        bus.register(ShapeCommand.class, message -> "shape " + message.command());

        assertThat((String) bus.sendAndWait(new Draw("circle"), Duration.ofSeconds(1)))
                .isEqualTo("shape Draw[shape=circle]");
        assertThat((String) bus.sendAndWait(new Erase("square"), Duration.ofSeconds(1)))
                .isEqualTo("shape Erase[shape=square]");
    }

    @Test
    void the_handler_of_the_exact_class_wins_over_the_one_of_a_supertype_even_when_registered_later() {
        bus.register(ShapeCommand.class, message -> "any shape");
        assertThat((String) bus.sendAndWait(new Draw("circle"), Duration.ofSeconds(1))).isEqualTo("any shape");

        bus.register(Draw.class, message -> "drawing");

        assertThat((String) bus.sendAndWait(new Draw("circle"), Duration.ofSeconds(1))).isEqualTo("drawing");
        assertThat((String) bus.sendAndWait(new Erase("circle"), Duration.ofSeconds(1))).isEqualTo("any shape");
    }

    @Test
    void a_command_matching_two_unrelated_registered_supertypes_is_refused() {
        bus.register(Audited.class, message -> "audited");
        bus.register(Billed.class, message -> "billed");

        assertThatThrownBy(() -> bus.sendAndWait(new Charge(5), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("command type " + Charge.class.getName() + " matches the handlers of several unrelated "
                        + "types [" + Audited.class.getName() + ", " + Billed.class.getName()
                        + "]; register one for it");
    }

    @Test
    void a_command_message_passed_as_a_plain_object_is_sent_as_that_message() {
        bus.register(Ping.class, message -> message.metadata().get("user"));

        Object message = CommandMessage.of(new Ping(1)).withMetadata("user", "alice");

        assertThat((String) join(bus.send(message))).isEqualTo("alice");
        assertThat((String) bus.sendAndWait(message, Duration.ofSeconds(1))).isEqualTo("alice");
    }

    @Test
    void null_arguments_are_refused_by_name() {
        assertThatThrownBy(() -> bus.send((Object) null)).hasMessage("command");
        assertThatThrownBy(() -> bus.send((CommandMessage<?>) null)).hasMessage("message");
        assertThatThrownBy(() -> bus.register(null, message -> null)).hasMessage("commandType");
        assertThatThrownBy(() -> bus.register(Ping.class, null)).hasMessage("handler");
        assertThatThrownBy(() -> bus.sendAndWait(new Ping(1), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("timeout must be positive, was PT0S");
    }

    @Test
    void with_an_executor_the_handler_runs_there_and_send_returns_at_once() throws Exception {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            CommandBus bus = CommandBus.create(CommandBusConfig.builder().executor(executor).build());
            Thread caller = Thread.currentThread();
            bus.register(Ping.class, message -> Thread.currentThread() != caller);

            assertThat((Boolean) bus.sendAndWait(new Ping(1), Duration.ofSeconds(5))).isTrue();
        } finally {
            executor.shutdown();
        }
    }

    @Test
    void a_refusing_executor_fails_the_send() {
        CommandBus bus = CommandBus.create(CommandBusConfig.builder()
                .executor(task -> {
                    throw new RejectedExecutionException("full");
                })
                .build());
        bus.register(Ping.class, message -> "pong");

        assertThatThrownBy(() -> bus.sendAndWait(new Ping(1), Duration.ofSeconds(1)))
                .isInstanceOf(RejectedExecutionException.class).hasMessage("full");
    }

    @Test
    void send_and_wait_gives_up_after_the_timeout_by_the_configured_scheduler() throws Exception {
        ManualExecutor executor = new ManualExecutor();
        CommandBus bus = CommandBus.create(CommandBusConfig.builder()
                .executor(executor).clock(clock).scheduler(clock).build());
        bus.register(Ping.class, message -> "late");
        CompletableFuture<Object> waiting = CompletableFuture.supplyAsync(
                () -> bus.sendAndWait(CommandMessage.withId("c-1", new Ping(1)), Duration.ofSeconds(2)));
        await().until(() -> !clock.pendingTasks().isEmpty());

        clock.advance(Duration.ofMillis(1999));
        assertThat(waiting).isNotDone();
        clock.advance(Duration.ofMillis(1));

        assertThatThrownBy(waiting::join).cause().isInstanceOf(WaitTimeoutException.class)
                .hasMessage("command " + Ping.class.getName() + " (id c-1) did not complete within PT2S");
        executor.runAll();
        assertThat((String) bus.sendAndWait(CommandMessage.withId("c-1", new Ping(1)), Duration.ofSeconds(1)))
                .as("the command still completed, and a resend with its id learns the result").isEqualTo("late");
    }
}
