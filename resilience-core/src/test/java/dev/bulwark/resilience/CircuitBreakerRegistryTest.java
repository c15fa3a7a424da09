package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CircuitBreakerRegistryTest {
    private final CircuitBreakerConfig slow = CircuitBreakerConfig.builder()
            .slowCallDurationThreshold(Duration.ofSeconds(10)).build();
    private final CircuitBreakerRegistry registry = CircuitBreakerRegistry.builder().config("slow", slow).build();

    @Test
    void theSameNameGivesTheSameBreaker() {
        CircuitBreaker first = registry.circuitBreaker("payments");

        assertThat(registry.circuitBreaker("payments")).isSameAs(first);
        assertThat(registry.find("payments")).containsSame(first);
        assertThat(registry.find("unknown")).isEmpty();
    }

    @Test
    void aBreakerGetsExactlyTheConfigItNames() {
        CircuitBreaker reports = registry.circuitBreaker("reports", "slow");
        CircuitBreaker payments = registry.circuitBreaker("payments");

        assertThat(reports.config()).isSameAs(slow);
        assertThat(payments.config()).isSameAs(CircuitBreakerConfig.defaults());
        assertThat(registry.circuitBreakers()).containsExactly(payments, reports);
        assertThat(registry.configNames()).containsExactlyInAnyOrder("default", "slow");
    }

    @Test
    void theDefaultConfigCanBeReplaced() {
        CircuitBreakerRegistry custom = CircuitBreakerRegistry.builder().defaultConfig(slow).build();

        assertThat(custom.circuitBreaker("any").config()).isSameAs(slow);
    }

    @Test
    void askingForAnExistingBreakerWithAnotherConfigIsAnError() {
        registry.circuitBreaker("payments");

        assertThatThrownBy(() -> registry.circuitBreaker("payments", "slow"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("circuit breaker 'payments' already exists with config 'default', not 'slow'");
    }

    @Test
    void anUnknownConfigIsAnError() {
        assertThatThrownBy(() -> registry.circuitBreaker("payments", "fast"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no circuit breaker config named 'fast'; known: [default, slow]");
        assertThat(registry.find("payments")).isEmpty();
    }

    @Test
    void configNamesAreUniqueAndNotBlank() {
        CircuitBreakerRegistry.Builder builder = CircuitBreakerRegistry.builder().config("slow", slow);

        assertThatThrownBy(() -> builder.config("slow", slow)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("config 'slow' is already registered");
        assertThatThrownBy(() -> builder.config("default", slow)).hasMessage("config 'default' is already registered");
        assertThatThrownBy(() -> builder.config(" ", slow)).hasMessage("config name must not be blank, was ' '");
    }

    @Test
    void aRemovedBreakerIsCreatedAfreshOnTheNextRequest() {
        CircuitBreaker first = registry.circuitBreaker("payments");

        assertThat(registry.remove("payments")).isTrue();
        assertThat(registry.remove("payments")).isFalse();

        assertThat(registry.circuitBreaker("payments")).isNotSameAs(first);
    }
}
