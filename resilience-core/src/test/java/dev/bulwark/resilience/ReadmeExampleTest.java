package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The resilience example of README.md, kept compiling and true. */
class ReadmeExampleTest {
    record Receipt(String id) {
        static final Receipt PENDING = new Receipt("pending");
    }

    static final class PaymentClient {
        Receipt charge(String orderId) {
            return new Receipt("r-" + orderId);
        }
    }

    @Test
    void theReadmePipelineProtectsACall() {
        PaymentClient paymentClient = new PaymentClient();
        String orderId = "42";

        // --- README: resilience ---
        CircuitBreaker breaker = CircuitBreaker.of("payments", CircuitBreakerConfig.builder()
                .failureRateThreshold(50)
                .slowCallDurationThreshold(Duration.ofSeconds(2))
                .waitDurationInOpenState(Duration.ofSeconds(30))
                .build());
        Retry retry = Retry.of("payments", RetryConfig.builder()
                .maxAttempts(3)
                .backoff(RetryBackoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofSeconds(1)))
                .budget(RetryBudget.ofDefaults("payments"))
                .build());
        Pipeline payments = Pipeline.of(           // outermost first:
                Fallback.ofValue("payments", Receipt.PENDING), // fallback(
                Timeout.of("payments", TimeoutConfig.builder().timeout(Duration.ofSeconds(5)).build()), // timeout(
                retry,                                 //   retry(
                breaker,                               //     breaker(
                Bulkhead.of("payments", BulkheadConfig.builder().maxConcurrentCalls(20).build())); // bulkhead(call)))))

        Receipt receipt = payments.call(() -> paymentClient.charge(orderId));
        Outcome<Receipt> outcome = breaker.attempt(() -> paymentClient.charge(orderId)); // never throws
        // --- end ---

        assertThat(receipt).isEqualTo(new Receipt("r-42"));
        assertThat(outcome).isEqualTo(Outcome.success(new Receipt("r-42")));
    }
}
