package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class OutcomeTest {

    static final class TestRejection extends RejectedException {
        TestRejection() {
            super("test", "test policy 'test' rejected the call");
        }
    }

    @Test
    void successGivesItsValue() {
        Outcome<String> outcome = Outcome.success("v");
        assertThat(outcome.isSuccess()).isTrue();
        assertThat(outcome.getOrThrow()).isEqualTo("v");
    }

    @Test
    void failureRethrowsAnUncheckedCauseUnchanged() {
        IllegalStateException cause = new IllegalStateException("boom");
        Outcome<String> outcome = Outcome.failure(cause);
        assertThat(outcome.isSuccess()).isFalse();
        assertThatThrownBy(outcome::getOrThrow).isSameAs(cause);
    }

    @Test
    void failureWrapsACheckedCause() {
        IOException cause = new IOException("disk");
        assertThatThrownBy(() -> Outcome.failure(cause).getOrThrow())
                .isInstanceOf(CompletionException.class)
                .hasCause(cause);
    }

    @Test
    void rejectionThrowsTheRejectionWithoutAStackTrace() {
        TestRejection rejection = new TestRejection();
        assertThatThrownBy(() -> Outcome.rejected(rejection).getOrThrow()).isSameAs(rejection);
        assertThat(rejection.getStackTrace()).isEmpty();
        assertThat(rejection.policyName()).isEqualTo("test");
    }

    @Test
    void failureAndRejectionNeedTheirCause() {
        assertThatThrownBy(() -> Outcome.failure(null)).hasMessage("cause");
        assertThatThrownBy(() -> Outcome.rejected(null)).hasMessage("rejection");
    }
}
