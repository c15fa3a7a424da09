package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Every policy is named, by a name that says something, and reports its events under it. */
class PolicyNamesTest {
    private static final List<Function<String, Policy>> FACTORIES = List.of(
            Retry::ofDefaults,
            Timeout::ofDefaults,
            Bulkhead::ofDefaults,
            AdaptiveBulkhead::ofDefaults,
            RateLimiter::ofDefaults,
            Chaos::ofDefaults,
            name -> Fallback.ofValue(name, 0),
            name -> Hedge.of(name, HedgeConfig.builder().build()));

    @Test
    void aBlankOrMissingNameIsRefusedByEveryPolicy() {
        for (Function<String, Policy> factory : FACTORIES) {
            assertThatThrownBy(() -> factory.apply(" "))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("name must not be blank, was ' '");
            assertThatThrownBy(() -> factory.apply(null))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage("name");
        }
    }

    @Test
    void everyPolicyKeepsItsNameAndRunsAPlainCallInEveryShape() throws Exception {
        Supplier<Integer> call = () -> 7;
        for (Function<String, Policy> factory : FACTORIES) {
            Policy policy = factory.apply("payments");
            assertThat(policy.name()).isEqualTo("payments");
            if (!(policy instanceof Hedge)) { // a synchronous hedge needs an executor
                assertThat(policy.<Integer>call(call)).isEqualTo(7);
                assertThat(policy.<Integer>attempt(call)).isEqualTo(Outcome.success(7));
            }
            assertThat(policy.<Integer>callAsync(() -> java.util.concurrent.CompletableFuture.completedFuture(7))
                    .toCompletableFuture().get()).isEqualTo(7);
        }
    }
}
