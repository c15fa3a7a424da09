package dev.bulwark.cqrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.cqrs.CommandBusTest.Ping;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The order and powers of dispatch and handler interceptors. */
class CommandInterceptorTest {

    @Test
    void dispatch_interceptors_run_in_order_then_handler_interceptors_outermost_first_around_the_handler() {
        List<String> calls = new CopyOnWriteArrayList<>();
        CommandBus bus = CommandBus.create(CommandBusConfig.builder()
                .addDispatchInterceptor(message -> {
                    calls.add("dispatch 1");
                    return message;
                })
                .addDispatchInterceptor(message -> {
                    calls.add("dispatch 2");
                    return message;
                })
                .addHandlerInterceptor((message, chain) -> {
                    calls.add("handler 1 before");
                    Object result = chain.proceed();
                    calls.add("handler 1 after " + result);
                    return result;
                })
                .addHandlerInterceptor((message, chain) -> {
                    calls.add("handler 2 before");
                    Object result = chain.proceed();
                    calls.add("handler 2 after " + result);
                    return result + "!";
                })
                .build());
        bus.register(Ping.class, message -> {
            calls.add("handler");
            return "pong";
        });

        Object result = bus.sendAndWait(new Ping(1), Duration.ofSeconds(1));

        assertThat(result).isEqualTo("pong!");
        assertThat(calls).containsExactly("dispatch 1", "dispatch 2", "handler 1 before", "handler 2 before",
                "handler", "handler 2 after pong", "handler 1 after pong!");
    }

    @Test
    void a_dispatch_interceptor_can_enrich_the_message_the_handler_sees() {
        CommandBus bus = CommandBus.create(CommandBusConfig.builder()
                .addDispatchInterceptor(message -> message.withMetadata("user", "alice"))
                .build());
        bus.register(Ping.class, message -> message.metadata().get("user"));

        assertThat((String) bus.sendAndWait(new Ping(1), Duration.ofSeconds(1))).isEqualTo("alice");
    }

    @Test
    void a_dispatch_interceptor_that_throws_refuses_the_command_before_any_handler_runs() {
        AtomicInteger handled = new AtomicInteger();
        IllegalArgumentException invalid = new IllegalArgumentException("n must be positive");
        CommandBus bus = CommandBus.create(CommandBusConfig.builder()
                .addDispatchInterceptor(message -> {
                    if (((Ping) message.command()).n() < 0) {
                        throw invalid;
                    }
                    return message;
                })
                .build());
        bus.register(Ping.class, message -> handled.incrementAndGet());

        assertThatThrownBy(() -> bus.sendAndWait(new Ping(-1), Duration.ofSeconds(1))).isSameAs(invalid);
        assertThat(handled).hasValue(0);
    }

    @Test
    void a_handler_interceptor_may_answer_without_proceeding() {
        AtomicInteger handled = new AtomicInteger();
        CommandBus bus = CommandBus.create(CommandBusConfig.builder()
                .addHandlerInterceptor((message, chain) -> "cached")
                .build());
        bus.register(Ping.class, message -> handled.incrementAndGet());

        assertThat((String) bus.sendAndWait(new Ping(1), Duration.ofSeconds(1))).isEqualTo("cached");
        assertThat(handled).hasValue(0);
    }

    @Test
    void a_handler_interceptor_that_proceeds_twice_runs_the_rest_of_the_chain_twice() {
        AtomicInteger handled = new AtomicInteger();
        CommandBus bus = CommandBus.create(CommandBusConfig.builder()
                .addHandlerInterceptor((message, chain) -> {
                    chain.proceed();
                    return chain.proceed();
                })
                .build());
        bus.register(Ping.class, message -> handled.incrementAndGet());

        assertThat((Integer) bus.sendAndWait(new Ping(1), Duration.ofSeconds(1))).isEqualTo(2);
    }

    @Test
    void a_dispatch_interceptor_returning_null_fails_the_send() {
        CommandDispatchInterceptor broken = message -> null;
        CommandBus bus = CommandBus.create(CommandBusConfig.builder().addDispatchInterceptor(broken).build());
        bus.register(Ping.class, message -> "pong");

        assertThatThrownBy(() -> bus.sendAndWait(new Ping(1), Duration.ofSeconds(1)))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("dispatch interceptor " + broken + " returned null");
    }
}
