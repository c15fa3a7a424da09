package dev.bulwark.resilience;

import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The {@link Pipeline}: a chain of {@link PipelineLink}s built once, each holding a stage and the link
 * inside it. A call passes the user's supplier down the chain as an argument, so nothing is built per call.
 * Immutable after construction, hence thread-safe.
 */
final class DefaultPipeline implements Pipeline {
    private final String name;
    private final List<Policy> policies;
    private final ContextPropagator contextPropagator;
    private final boolean propagates;
    private final Invoker head;

    DefaultPipeline(String name, List<Policy> listed, ContextPropagator contextPropagator) {
        this.policies = List.copyOf(flatten(listed));
        if (policies.isEmpty()) {
            throw new IllegalArgumentException("a pipeline needs at least one policy");
        }
        rejectRepeatedInstances(policies);
        rejectTimeoutsThatCannotFire(policies);
        this.name = name != null ? name : defaultName(policies);
        this.contextPropagator = contextPropagator;
        this.propagates = contextPropagator != ContextPropagator.none();
        Invoker invoker = Invoker.DIRECT;
        for (int i = policies.size() - 1; i >= 0; i--) {
            invoker = new PipelineLink(stageOf(policies.get(i)), invoker);
        }
        this.head = invoker;
    }

    private static List<Policy> flatten(List<Policy> listed) {
        List<Policy> flat = new ArrayList<>();
        for (Policy policy : listed) {
            if (policy instanceof DefaultPipeline nested) {
                if (nested.propagates) {
                    throw new IllegalArgumentException("pipeline '" + nested.name + "' has a context propagator and "
                            + "cannot be nested in another pipeline: set the propagator on the outer pipeline");
                }
                flat.addAll(nested.policies);
            } else {
                flat.add(policy);
            }
        }
        return flat;
    }

    private static void rejectRepeatedInstances(List<Policy> policies) {
        Map<Policy, Integer> seen = new IdentityHashMap<>();
        for (int i = 0; i < policies.size(); i++) {
            Integer earlier = seen.putIfAbsent(policies.get(i), i);
            if (earlier != null) {
                throw new IllegalArgumentException("policy '" + policies.get(i).name() + "' appears twice in the "
                        + "pipeline (at positions " + (earlier + 1) + " and " + (i + 1) + ", outermost first): one "
                        + "instance is one layer; build a second instance to use it twice");
            }
        }
    }

    private static void rejectTimeoutsThatCannotFire(List<Policy> policies) {
        for (int outer = 0; outer < policies.size(); outer++) {
            if (!(policies.get(outer) instanceof Timeout outerTimeout)) {
                continue;
            }
            Duration outerLimit = outerTimeout.config().timeout();
            for (int inner = outer + 1; inner < policies.size(); inner++) {
                if (policies.get(inner) instanceof Timeout innerTimeout
                        && innerTimeout.config().timeout().compareTo(outerLimit) > 0) {
                    throw new IllegalArgumentException("timeout '" + innerTimeout.name() + "' ("
                            + innerTimeout.config().timeout() + ") is inside timeout '" + outerTimeout.name() + "' ("
                            + outerLimit + ") but longer: it could never fire");
                }
            }
        }
    }

    private static String defaultName(List<Policy> policies) {
        StringJoiner names = new StringJoiner(",", "pipeline[", "]");
        for (Policy policy : policies) {
            names.add(policy.name());
        }
        return names.toString();
    }

    private static Stage stageOf(Policy policy) {
        return policy instanceof Stage stage ? stage : new PipelineForeignStage(policy);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<Policy> policies() {
        return policies;
    }

    @Override
    public <T> T call(Supplier<? extends T> supplier) {
        Objects.requireNonNull(supplier, "supplier");
        return head.call(propagates ? new ContextCarrier<>(contextPropagator.capture(), supplier) : supplier);
    }

    @Override
    public <T> Outcome<T> attempt(Supplier<? extends T> supplier) {
        try {
            return Outcome.success(call(supplier));
        } catch (RejectedException rejected) {
            return Outcome.rejected(rejected);
        } catch (Throwable failure) {
            return Outcome.failure(failure);
        }
    }

    @Override
    public <T> CompletionStage<T> callAsync(Supplier<? extends CompletionStage<T>> supplier) {
        Objects.requireNonNull(supplier, "supplier");
        if (!propagates) {
            return head.callAsync(supplier);
        }
        return head.callAsync(new ContextCarrier<>(contextPropagator.capture(), supplier));
    }

    @Override
    public String toString() {
        return "Pipeline[" + name + ", " + policies + "]";
    }

    /** One layer of the chain: runs {@code stage} with {@code next} as everything inside it. */
    static final class PipelineLink implements Invoker {
        private final Stage stage;
        private final Invoker next;

        PipelineLink(Stage stage, Invoker next) {
            this.stage = stage;
            this.next = next;
        }

        @Override
        public <T> T call(Supplier<? extends T> supplier) {
            return stage.call(next, supplier);
        }

        @Override
        public <T> CompletionStage<T> callAsync(Supplier<? extends CompletionStage<T>> supplier) {
            try {
                CompletionStage<T> stage = this.stage.callAsync(next, supplier);
                return stage != null ? stage : CompletableFuture.failedFuture(
                        new NullPointerException(this.stage + " returned null instead of a CompletionStage"));
            } catch (Throwable failure) {
                return CompletableFuture.failedFuture(failure);
            }
        }
    }
}
