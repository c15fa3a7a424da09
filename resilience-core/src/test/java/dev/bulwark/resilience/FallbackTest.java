package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class FallbackTest {
    private final ManualClock clock = new ManualClock();
    private final List<FallbackEvent> events = new ArrayList<>();

    /** A rejection as another policy (a breaker, a bulkhead) would report it. */
    static final class Refused extends RejectedException {
        private static final long serialVersionUID = 1L;

        Refused(String policy) {
            super(policy, "policy '" + policy + "' refused the call");
        }
    }

    private Fallback fallback(FallbackConfig.Builder builder) {
        Fallback fallback = Fallback.of("prices", builder.clock(clock).build());
        fallback.onEvent(events::add);
        return fallback;
    }

    @Test
    void replacesAFailureByTheValue() {
        Fallback fallback = fallback(FallbackConfig.builder().value("unknown"));

        String price = fallback.call(() -> {
            throw new IllegalStateException("down");
        });

        assertThat(price).isEqualTo("unknown");
        assertThat(events).singleElement().isInstanceOfSatisfying(FallbackEvent.Applied.class,
                applied -> assertThat(applied.failure()).hasMessage("down"));
        assertThat(fallback.metrics()).isEqualTo(new Fallback.Metrics(0, 1, 0));
    }

    @Test
    void computesTheReplacementFromTheFailure() {
        Fallback fallback = fallback(FallbackConfig.builder().function(failure -> "because " + failure.getMessage()));

        assertThat(fallback.<String>call(() -> {
            throw new IllegalStateException("down");
        })).isEqualTo("because down");
    }

    @Test
    void replacesTheRejectionOfAnotherPolicy() {
        Fallback fallback = fallback(FallbackConfig.builder().value("cached"));

        assertThat(fallback.<String>call(() -> {
            throw new Refused("breaker");
        })).isEqualTo("cached");
    }

    @Test
    void letsAFailureItDoesNotHandlePassUnchanged() {
        Fallback fallback = fallback(FallbackConfig.builder().value("cached")
                .handleIf(failure -> failure instanceof RejectedException));

        assertThatThrownBy(() -> fallback.call(() -> {
            throw new IllegalArgumentException("bad sku");
        })).isInstanceOf(IllegalArgumentException.class).hasMessage("bad sku");
        assertThat(events).isEmpty();
        assertThat(fallback.metrics().failed()).isEqualTo(1);
    }

    @Test
    void aSuccessPassesThrough() {
        Fallback fallback = fallback(FallbackConfig.builder().value("cached"));

        assertThat(fallback.call(() -> "fresh")).isEqualTo("fresh");
        assertThat(fallback.metrics()).isEqualTo(new Fallback.Metrics(1, 0, 0));
    }

    @Test
    void whatTheFallbackFunctionThrowsIsTheCallsFailure() {
        Fallback fallback = fallback(FallbackConfig.builder().function(failure -> {
            throw new IllegalStateException("no cache either");
        }));

        assertThatThrownBy(() -> fallback.call(() -> {
            throw new IllegalStateException("down");
        })).hasMessage("no cache either").satisfies(e -> assertThat(e.getSuppressed()).hasSize(1));
    }

    @Test
    void aValueOfTheWrongTypeSurfacesAsClassCastExceptionAtTheCallSite() {
        Fallback fallback = fallback(FallbackConfig.builder().value(42));

        assertThatThrownBy(() -> {
            String price = fallback.call(() -> {
                throw new IllegalStateException("down");
            });
            assertThat(price).isNotNull();
        }).isInstanceOf(ClassCastException.class);
    }

    @Test
    void replacesAnAsyncFailure() throws Exception {
        Fallback fallback = fallback(FallbackConfig.builder().value("cached"));
        CompletableFuture<String> call = new CompletableFuture<>();

        CompletionStage<String> result = fallback.callAsync(() -> call);
        call.completeExceptionally(new Refused("bulkhead"));

        assertThat(result.toCompletableFuture().get()).isEqualTo("cached");
    }

    @Test
    void anAsyncFailureItDoesNotHandlePassesUnwrapped() {
        Fallback fallback = fallback(FallbackConfig.builder().value("cached").handleIf(e -> false));

        CompletionStage<String> result = fallback.callAsync(
                () -> CompletableFuture.failedFuture(new IllegalStateException("down")));

        assertThatThrownBy(() -> result.toCompletableFuture().get())
                .isInstanceOf(ExecutionException.class).cause().hasMessage("down");
    }

    @Test
    void anAsyncFallbackRunsWithTheCallersMdc() throws Exception {
        Fallback fallback = fallback(FallbackConfig.builder().function(failure -> MDC.get("requestId"))
                .contextPropagator(ContextPropagator.mdc()));
        CompletableFuture<String> call = new CompletableFuture<>();
        MDC.put("requestId", "r-9");
        CompletionStage<String> result;
        try {
            result = fallback.callAsync(() -> call);
        } finally {
            MDC.clear();
        }

        call.completeExceptionally(new IllegalStateException("down")); // completes on a thread without the MDC

        assertThat(result.toCompletableFuture().get()).isEqualTo("r-9");
    }

    @Test
    void cancellingTheResultCancelsTheCall() {
        Fallback fallback = fallback(FallbackConfig.builder().value("cached"));
        CompletableFuture<String> call = new CompletableFuture<>();

        fallback.callAsync(() -> call).toCompletableFuture().cancel(true);

        assertThat(call).isCancelled();
    }

    @Test
    void configNeedsExactlyOneValueOrFunction() {
        assertThatThrownBy(() -> FallbackConfig.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("a fallback needs a value or a function: call value(...) or function(...)");
        assertThatThrownBy(() -> FallbackConfig.builder().value(1).function(f -> 2))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the fallback's value or function was already set");
        Object value = Fallback.ofValue("v", null).call(() -> {
            throw new IllegalStateException();
        });
        assertThat(value).isNull();
    }
}
