package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class ContextPropagatorTest {
    private final ExecutorService other = Executors.newSingleThreadExecutor();

    @AfterEach
    void tearDown() {
        MDC.clear();
        other.shutdownNow();
    }

    @Test
    void theMdcSnapshotCarriesTheCallersMapToAnotherThread() throws Exception {
        MDC.put("requestId", "r-1");
        ContextSnapshot snapshot = ContextPropagator.mdc().capture();
        MDC.clear();

        String seen = CompletableFuture.supplyAsync(snapshot.wrap(() -> MDC.get("requestId")), other).get(5, TimeUnit.SECONDS);

        assertThat(seen).isEqualTo("r-1");
    }

    @Test
    void closingTheScopeRestoresWhatTheThreadHadBefore() {
        MDC.put("requestId", "r-1");
        ContextSnapshot snapshot = ContextPropagator.mdc().capture();
        MDC.put("requestId", "r-2");
        MDC.put("user", "ada");

        ContextSnapshot.Scope scope = snapshot.apply();
        try {
            assertThat(MDC.getCopyOfContextMap()).isEqualTo(Map.of("requestId", "r-1"));
        } finally {
            scope.close();
        }

        assertThat(MDC.getCopyOfContextMap()).isEqualTo(Map.of("requestId", "r-2", "user", "ada"));
    }

    @Test
    void anEmptyCallerMapClearsThePooledThreadsLeftovers() throws Exception {
        other.submit(() -> MDC.put("stale", "yes")).get(5, TimeUnit.SECONDS);
        ContextSnapshot snapshot = ContextPropagator.mdc().capture();

        Map<String, String> seen = CompletableFuture.supplyAsync(snapshot.wrap(MDC::getCopyOfContextMap), other)
                .get(5, TimeUnit.SECONDS);
        String afterwards = other.submit(() -> MDC.get("stale")).get(5, TimeUnit.SECONDS);

        assertThat(seen == null || seen.isEmpty()).isTrue();
        assertThat(afterwards).isEqualTo("yes");
    }

    @Test
    void combinedPropagatorsApplyInOrderAndRestoreInReverse() {
        List<String> log = new ArrayList<>();
        ContextPropagator a = () -> () -> {
            log.add("apply a");
            return () -> log.add("restore a");
        };
        ContextPropagator b = () -> () -> {
            log.add("apply b");
            return () -> log.add("restore b");
        };

        ContextPropagator.of(a, b).capture().wrap(() -> {
            log.add("run");
        }).run();

        assertThat(log).containsExactly("apply a", "apply b", "run", "restore b", "restore a");
    }

    @Test
    void noneCapturesNothingAndCostsNothing() {
        assertThat(ContextPropagator.none().capture()).isSameAs(ContextSnapshot.empty());
        assertThat(ContextSnapshot.empty().apply()).isSameAs(ContextSnapshot.empty().apply());
        assertThat(ContextPropagator.of()).isSameAs(ContextPropagator.none());
    }
}
