package dev.bulwark.cqrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.cqrs.CommandBusTest.ManualExecutor;
import dev.bulwark.resilience.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Point-to-point and scatter-gather queries. */
class QueryBusTest {

    record GetPrice(String sku) {}

    record Price(String sku, long cents, String source) {}

    record Discounted(String sku, long cents, String source) {}

    interface Quote {}

    record SpecialQuote(long cents) implements Quote {}

    private final ManualClock clock = new ManualClock();
    private final QueryBus bus = QueryBus.create(QueryBusConfig.builder().clock(clock).scheduler(clock).build());

    private static <T> T join(CompletionStage<T> stage) {
        return stage.toCompletableFuture().join();
    }

    @Test
    void a_query_gets_the_answer_of_the_handler_for_its_type_and_response_type() {
        bus.register(GetPrice.class, Price.class, query -> new Price(query.sku(), 100, "catalog"));
        bus.register(GetPrice.class, String.class, query -> "price of " + query.sku());

        assertThat(join(bus.query(new GetPrice("a"), Price.class))).isEqualTo(new Price("a", 100, "catalog"));
        assertThat(join(bus.query(new GetPrice("a"), String.class))).isEqualTo("price of a");
    }

    @Test
    void a_handler_answering_with_a_subtype_matches_a_query_for_the_supertype() {
        bus.register(GetPrice.class, SpecialQuote.class, query -> new SpecialQuote(5));

        assertThat(join(bus.query(new GetPrice("a"), Quote.class))).isEqualTo(new SpecialQuote(5));
    }

    @Test
    void point_to_point_asks_the_first_registered_handler_only() {
        AtomicInteger second = new AtomicInteger();
        bus.register(GetPrice.class, Price.class, query -> new Price(query.sku(), 100, "first"));
        bus.register(GetPrice.class, Price.class, query -> {
            second.incrementAndGet();
            return new Price(query.sku(), 90, "second");
        });

        assertThat(join(bus.query(new GetPrice("a"), Price.class)).source()).isEqualTo("first");
        assertThat(second).hasValue(0);
    }

    @Test
    void no_matching_handler_fails_with_no_handler_exception_naming_both_types() {
        bus.register(GetPrice.class, String.class, query -> "text");

        assertThatThrownBy(() -> join(bus.query(new GetPrice("a"), Price.class)))
                .cause().isInstanceOf(NoHandlerException.class)
                .hasMessage("no handler for query type " + GetPrice.class.getName() + " with response type "
                        + Price.class.getName());
    }

    @Test
    void a_failing_handler_fails_the_query_with_its_exception() {
        IllegalStateException failure = new IllegalStateException("read model unavailable");
        bus.register(GetPrice.class, Price.class, query -> {
            throw failure;
        });

        assertThatThrownBy(() -> join(bus.query(new GetPrice("a"), Price.class))).hasCause(failure);
    }

    @Test
    void a_closed_registration_no_longer_answers() {
        Registration registration = bus.register(GetPrice.class, Price.class, query -> new Price("a", 1, "x"));
        registration.close();

        assertThatThrownBy(() -> join(bus.query(new GetPrice("a"), Price.class)))
                .cause().isInstanceOf(NoHandlerException.class);
    }

    @Test
    void a_primitive_response_type_is_refused() {
        assertThatThrownBy(() -> bus.register(GetPrice.class, long.class, query -> 1L))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("responseType must not be primitive, was long (use its wrapper class)");
    }

    @Test
    void scatter_gather_collects_every_answer_in_registration_order_leaving_out_failures() {
        bus.register(GetPrice.class, Price.class, query -> new Price(query.sku(), 100, "catalog"));
        bus.register(GetPrice.class, Price.class, query -> {
            throw new IllegalStateException("supplier b is down");
        });
        bus.register(GetPrice.class, Price.class, query -> new Price(query.sku(), 95, "supplier c"));
        bus.register(GetPrice.class, String.class, query -> "not a price");

        List<Price> prices = join(bus.scatterGather(new GetPrice("a"), Price.class, Duration.ofSeconds(1)));

        assertThat(prices).extracting(Price::source).containsExactly("catalog", "supplier c");
    }

    @Test
    void scatter_gather_without_handlers_gives_an_empty_list() {
        assertThat(join(bus.scatterGather(new GetPrice("a"), Price.class, Duration.ofSeconds(1)))).isEmpty();
    }

    @Test
    void scatter_gather_completes_at_the_timeout_with_the_answers_that_arrived() {
        ManualExecutor executor = new ManualExecutor();
        QueryBus bus = QueryBus.create(QueryBusConfig.builder().executor(executor).clock(clock).scheduler(clock).build());
        bus.register(GetPrice.class, Price.class, query -> new Price(query.sku(), 100, "fast"));
        bus.register(GetPrice.class, Price.class, query -> new Price(query.sku(), 90, "slow"));

        CompletableFuture<List<Price>> gathered =
                bus.scatterGather(new GetPrice("a"), Price.class, Duration.ofMillis(500)).toCompletableFuture();
        executor.next().run();
        assertThat(gathered).isNotDone();
        clock.advance(Duration.ofMillis(500));

        assertThat(gathered).isCompletedWithValueMatching(prices -> prices.size() == 1
                && prices.get(0).source().equals("fast"));
        executor.next().run();
        assertThat(gathered.join()).hasSize(1);
    }

    @Test
    void scatter_gather_on_the_callers_thread_drops_a_late_answer_and_skips_the_handlers_after_it() {
        AtomicInteger third = new AtomicInteger();
        bus.register(GetPrice.class, Price.class, query -> new Price(query.sku(), 100, "first"));
        bus.register(GetPrice.class, Price.class, query -> {
            clock.advance(Duration.ofSeconds(2));
            return new Price(query.sku(), 90, "too slow");
        });
        bus.register(GetPrice.class, Price.class, query -> {
            third.incrementAndGet();
            return new Price(query.sku(), 80, "third");
        });

        List<Price> prices = join(bus.scatterGather(new GetPrice("a"), Price.class, Duration.ofSeconds(1)));

        assertThat(prices).extracting(Price::source).containsExactly("first");
        assertThat(third).hasValue(0);
    }

    @Test
    void arguments_are_checked() {
        assertThatThrownBy(() -> bus.query(null, Price.class)).hasMessage("query");
        assertThatThrownBy(() -> bus.scatterGather(new GetPrice("a"), Price.class, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("timeout must be positive, was PT-1S");
        assertThatThrownBy(() -> QueryBusConfig.builder().subscriptionBufferSize(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("subscriptionBufferSize must be at least 1, was 0");
    }
}
