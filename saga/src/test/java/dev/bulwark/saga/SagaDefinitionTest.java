package dev.bulwark.saga;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SagaDefinitionTest {
    private static final StepAction<Order> NOTHING = ctx -> {};

    @Test
    void buildsStepsInOrderWithVersionAndTimeout() {
        SagaDefinition<Order> definition = Saga.define("place-order", Order.class)
                .version(3)
                .timeout(Duration.ofMinutes(5))
                .step("reserve").action(NOTHING).compensation(NOTHING)
                .parallel(group -> group
                        .step("hotel").action(NOTHING).compensation(NOTHING)
                        .step("flight").action(NOTHING))
                .pivot("charge").action(String.class, ctx -> "receipt")
                .retriable("email").action(NOTHING)
                .build();

        assertThat(definition.name()).isEqualTo("place-order");
        assertThat(definition.version()).isEqualTo(3);
        assertThat(definition.dataType()).isEqualTo(Order.class);
        assertThat(definition.timeout()).contains(Duration.ofMinutes(5));
        assertThat(definition.stepIds()).containsExactly("reserve", "hotel", "flight", "charge", "email");
        assertThat(definition.units()).hasSize(4);
        assertThat(definition.step("hotel").parallel()).isTrue();
        assertThat(definition.step("charge").kind()).isEqualTo(StepKind.PIVOT);
    }

    @Test
    void versionDefaultsToOne() {
        assertThat(Saga.define("s", Order.class).step("a").action(NOTHING).build().version()).isEqualTo(1);
    }

    @Test
    void rejectsASagaWithoutSteps() {
        assertThatThrownBy(() -> Saga.define("empty", Order.class).build())
                .isInstanceOf(IllegalStateException.class).hasMessage("saga 'empty' has no steps");
    }

    @Test
    void rejectsAnEmptyParallelGroup() {
        assertThatThrownBy(() -> Saga.define("s", Order.class).parallel(group -> {}).build())
                .isInstanceOf(IllegalStateException.class).hasMessage("saga 's' has an empty parallel group");
    }

    @Test
    void rejectsDuplicateStepIds() {
        assertThatThrownBy(() -> Saga.define("s", Order.class)
                .step("a").action(NOTHING)
                .parallel(group -> group.step("b").action(NOTHING).step("a").action(NOTHING))
                .build())
                .isInstanceOf(IllegalStateException.class).hasMessage("saga 's' has two steps with id 'a'");
    }

    @Test
    void rejectsAStepWithoutAction() {
        assertThatThrownBy(() -> Saga.define("s", Order.class).step("a").compensation(NOTHING).build())
                .isInstanceOf(IllegalStateException.class).hasMessage("step 'a' of saga 's' has no action");
    }

    @Test
    void rejectsACompensationPolicyWithoutCompensation() {
        assertThatThrownBy(() -> Saga.define("s", Order.class).step("a").action(NOTHING)
                .compensationPolicy(new CountingRetry("r", 2)).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("step 'a' has a compensationPolicy but no compensation");
    }

    @Test
    void rejectsTwoPivots() {
        assertThatThrownBy(() -> Saga.define("s", Order.class).pivot("p1").action(NOTHING).pivot("p2").action(NOTHING).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("saga 's' has two pivot steps, 'p1' and 'p2'; it may have at most one");
    }

    @Test
    void rejectsAPivotInAParallelGroup() {
        assertThatThrownBy(() -> Saga.define("s", Order.class)
                .parallel(group -> group.step("a").action(NOTHING).pivot("p").action(NOTHING)).build())
                .isInstanceOf(IllegalStateException.class).hasMessage("pivot step 'p' cannot run in a parallel group");
    }

    @Test
    void rejectsACompensationOnThePivot() {
        assertThatThrownBy(() -> Saga.define("s", Order.class).pivot("p").action(NOTHING).compensation(NOTHING).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("pivot step 'p' cannot have a compensation: it is the point of no return");
    }

    @Test
    void rejectsATimeoutOnThePivot() {
        assertThatThrownBy(() -> Saga.define("s", Order.class).pivot("p").action(NOTHING).timeout(Duration.ofSeconds(1)).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("pivot step 'p' cannot have a timeout: a pivot that timed out may have taken effect, "
                        + "and it cannot be compensated");
    }

    @Test
    void rejectsACompensationAfterThePivot() {
        assertThatThrownBy(() -> Saga.define("s", Order.class)
                .pivot("p").action(NOTHING)
                .step("a").action(NOTHING).compensation(NOTHING).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("step 'a' has a compensation but comes after the pivot 'p': nothing after the point of no "
                        + "return can be undone");
    }

    @Test
    void rejectsANonRetriableStepAfterThePivot() {
        assertThatThrownBy(() -> Saga.define("s", Order.class).pivot("p").action(NOTHING).step("a").action(NOTHING).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("step 'a' comes after the pivot 'p' and must be retriable: declare it with retriable(\"a\")");
    }

    @Test
    void rejectsANonRetriableBranchAfterThePivot() {
        assertThatThrownBy(() -> Saga.define("s", Order.class).pivot("p").action(NOTHING)
                .parallel(group -> group.retriable("a").action(NOTHING).step("b").action(NOTHING)).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("step 'b' comes after the pivot 'p' and must be retriable: declare it with retriable(\"b\")");
    }

    @Test
    void rejectsARetriableStepBeforeAnyPivot() {
        assertThatThrownBy(() -> Saga.define("s", Order.class).retriable("r").action(NOTHING).pivot("p").action(NOTHING).build())
                .isInstanceOf(IllegalStateException.class).hasMessage("retriable step 'r' must come after a pivot step");
    }

    @Test
    void rejectsACompensationOnARetriableStep() {
        assertThatThrownBy(() -> Saga.define("s", Order.class).pivot("p").action(NOTHING)
                .retriable("r").action(NOTHING).compensation(NOTHING).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("retriable step 'r' cannot have a compensation: it comes after the pivot 'p' and must "
                        + "eventually succeed");
    }

    @Test
    void rejectsNestedGroupsAndBuildingInsideAGroup() {
        assertThatThrownBy(() -> Saga.define("s", Order.class)
                .parallel(group -> group.step("a").action(NOTHING).parallel(inner -> {})))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("parallel() is not available inside a parallel group: groups do not nest, and the saga is "
                        + "built after the group");
        assertThatThrownBy(() -> Saga.define("s", Order.class)
                .parallel(group -> group.step("a").action(NOTHING).build()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("build() is not available inside a parallel group");
    }

    @Test
    void rejectsSettingAStepValueTwice() {
        StepBuilder<Order> step = Saga.define("s", Order.class).step("a").action(NOTHING).compensation(NOTHING)
                .timeout(Duration.ofSeconds(1)).policy(new CountingRetry("r", 1));
        assertThatThrownBy(() -> step.action(NOTHING))
                .isInstanceOf(IllegalStateException.class).hasMessage("action of step 'a' was already set");
        assertThatThrownBy(() -> step.action(String.class, ctx -> "x"))
                .isInstanceOf(IllegalStateException.class).hasMessage("action of step 'a' was already set");
        assertThatThrownBy(() -> step.compensation(NOTHING))
                .isInstanceOf(IllegalStateException.class).hasMessage("compensation of step 'a' was already set");
        assertThatThrownBy(() -> step.timeout(Duration.ofSeconds(2)))
                .isInstanceOf(IllegalStateException.class).hasMessage("timeout of step 'a' was already set");
        assertThatThrownBy(() -> step.policy(new CountingRetry("r", 1)))
                .isInstanceOf(IllegalStateException.class).hasMessage("policy of step 'a' was already set");
    }

    @Test
    void rejectsBadValuesAtOnce() {
        assertThatThrownBy(() -> Saga.define("bad name", Order.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("saga name must be 1 to 100 letters, digits, '.', '_' or '-', was 'bad name'");
        assertThatThrownBy(() -> Saga.define("s", Order.class).step("a/b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("step id must be 1 to 100 letters, digits, '.', '_' or '-', was 'a/b'");
        assertThatThrownBy(() -> Saga.define("s", Order.class).version(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("version must be at least 1, was 0");
        assertThatThrownBy(() -> Saga.define("s", Order.class).timeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("timeout must be positive, was PT0S");
        assertThatThrownBy(() -> Saga.define("s", Order.class).step("a").timeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("timeout of step 'a' must be positive, was PT-1S");
        assertThatThrownBy(() -> Saga.define("s", Order.class).version(1).version(2))
                .isInstanceOf(IllegalStateException.class).hasMessage("version was already set to 1");
        assertThatThrownBy(() -> Saga.define("s", null))
                .isInstanceOf(NullPointerException.class).hasMessage("dataType");
    }

    @Test
    void drawsStepsAndCompensationsAsMermaid() {
        SagaDefinition<Order> definition = Saga.define("trip", Order.class)
                .step("reserve").action(NOTHING).compensation(NOTHING)
                .parallel(group -> group
                        .step("hotel").action(NOTHING).compensation(NOTHING)
                        .step("flight").action(NOTHING).compensation(NOTHING))
                .pivot("charge").action(NOTHING)
                .retriable("email").action(NOTHING)
                .build();

        assertThat(definition.toMermaid()).isEqualTo("""
                flowchart TD
                    start(["start trip v1"])
                    s0["reserve"]
                    s1["hotel"]
                    s2["flight"]
                    s3{{"charge (pivot)"}}
                    s4[["email (retriable)"]]
                    completed(["completed"])
                    start --> s0
                    s0 --> s1
                    s0 --> s2
                    s1 --> s3
                    s2 --> s3
                    s3 --> s4
                    s4 --> completed
                    compensated(["compensated"])
                    c0["compensate reserve"]
                    c0 --> compensated
                    c1["compensate hotel"]
                    c1 --> c0
                    c2["compensate flight"]
                    c2 --> c1
                    s0 -. fails .-> compensated
                    s1 -. fails .-> c0
                    s2 -. fails .-> c0
                    s3 -. fails .-> c2
                """);
    }
}
