package dev.bulwark.saga;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Builds a {@link SagaDefinition}; obtained from {@link Saga#define}. Settings may be given once each and
 * bad values fail at once; the shape of the saga is checked by {@link #build()}.
 *
 * @param <D> the saga data type
 */
public final class SagaBuilder<D> {
    private final String name;
    private final Class<D> dataType;
    private Integer version;
    private Duration timeout;
    /** Each unit is one sequential step or one parallel group, in order. */
    private final List<List<StepBuilder<D>>> units = new ArrayList<>();
    private final List<Boolean> parallel = new ArrayList<>();
    private final StepOwner<D> owner = new StepOwner<>() {
        @Override
        public StepBuilder<D> add(String id, StepKind kind) {
            StepBuilder<D> step = new StepBuilder<>(this, id, kind);
            units.add(List.of(step));
            parallel.add(false);
            return step;
        }

        @Override
        public SagaBuilder<D> saga(String operation) {
            return SagaBuilder.this;
        }
    };

    SagaBuilder(String name, Class<D> dataType) {
        this.name = name;
        this.dataType = dataType;
    }

    /**
     * The definition's version (default 1). A saga instance always resumes with the version it started with.
     *
     * @throws IllegalArgumentException if less than 1
     */
    public SagaBuilder<D> version(int version) {
        if (this.version != null) {
            throw new IllegalStateException("version was already set to " + this.version);
        }
        if (version < 1) {
            throw new IllegalArgumentException("version must be at least 1, was " + version);
        }
        this.version = version;
        return this;
    }

    /**
     * A limit on the whole saga, from its start. When it passes before the pivot completed, the running steps
     * are abandoned and the saga is compensated (ending COMPENSATED); after the pivot it is ignored.
     *
     * @throws IllegalArgumentException if zero or negative
     */
    public SagaBuilder<D> timeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (this.timeout != null) {
            throw new IllegalStateException("timeout was already set to " + this.timeout);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        this.timeout = timeout;
        return this;
    }

    /** Adds a compensatable step. */
    public StepBuilder<D> step(String id) {
        return owner.add(id, StepKind.COMPENSATABLE);
    }

    /** Adds the pivot: the point of no return, with no compensation and no timeout. */
    public StepBuilder<D> pivot(String id) {
        return owner.add(id, StepKind.PIVOT);
    }

    /** Adds a retriable step: after the pivot, no compensation, must eventually succeed. */
    public StepBuilder<D> retriable(String id) {
        return owner.add(id, StepKind.RETRIABLE);
    }

    /** Adds a group of steps that run at once; see {@link ParallelBuilder}. */
    public SagaBuilder<D> parallel(Consumer<ParallelBuilder<D>> group) {
        Objects.requireNonNull(group, "group");
        ParallelBuilder<D> builder = new ParallelBuilder<>();
        group.accept(builder);
        units.add(List.copyOf(builder.steps));
        parallel.add(true);
        return this;
    }

    /**
     * Checks the shape and builds the immutable definition.
     *
     * @throws IllegalStateException naming the rule and the step when the shape is invalid: no steps, an empty
     *     group, a duplicate id, a step without action, compensateOnFailure without a compensation, two pivots, a
     *     pivot in a group or with a compensation or timeout, a compensatable step or a compensation after the
     *     pivot, a retriable step before it
     */
    public SagaDefinition<D> build() {
        if (units.isEmpty()) {
            throw new IllegalStateException("saga '" + name + "' has no steps");
        }
        List<Step<D>> steps = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        String pivot = null;
        for (int unit = 0; unit < units.size(); unit++) {
            boolean group = parallel.get(unit);
            if (units.get(unit).isEmpty()) {
                throw new IllegalStateException("saga '" + name + "' has an empty parallel group");
            }
            for (StepBuilder<D> step : units.get(unit)) {
                check(step, ids, pivot, group);
                if (step.kind == StepKind.PIVOT) {
                    pivot = step.id;
                }
                steps.add(new Step<>(step.id, step.kind, unit, group, step.action, step.outputType, step.compensation,
                        step.policy, step.compensationPolicy, step.timeout, step.compensateOnFailure));
            }
        }
        return new SagaDefinition<>(name, version == null ? 1 : version, dataType, timeout, steps);
    }

    private void check(StepBuilder<D> step, Set<String> ids, String pivot, boolean group) {
        String id = step.id;
        if (!ids.add(id)) {
            throw new IllegalStateException("saga '" + name + "' has two steps with id '" + id + "'");
        }
        if (step.action == null) {
            throw new IllegalStateException(step.kind.label() + " '" + id + "' of saga '" + name + "' has no action");
        }
        if (step.compensationPolicy != null && step.compensation == null) {
            throw new IllegalStateException("step '" + id + "' has a compensationPolicy but no compensation");
        }
        if (step.compensateOnFailure && step.compensation == null) {
            throw new IllegalStateException(step.kind.label() + " '" + id + "' is compensated on failure but has no "
                    + "compensation" + (step.kind == StepKind.COMPENSATABLE ? "" : ", and cannot have one"));
        }
        switch (step.kind) {
            case PIVOT -> {
                if (pivot != null) {
                    throw new IllegalStateException("saga '" + name + "' has two pivot steps, '" + pivot + "' and '" + id
                            + "'; it may have at most one");
                }
                if (group) {
                    throw new IllegalStateException("pivot step '" + id + "' cannot run in a parallel group");
                }
                if (step.compensation != null) {
                    throw new IllegalStateException("pivot step '" + id
                            + "' cannot have a compensation: it is the point of no return");
                }
                if (step.timeout != null) {
                    throw new IllegalStateException("pivot step '" + id + "' cannot have a timeout: a pivot that timed "
                            + "out may have taken effect, and it cannot be compensated");
                }
            }
            case COMPENSATABLE -> {
                if (pivot != null && step.compensation != null) {
                    throw new IllegalStateException("step '" + id + "' has a compensation but comes after the pivot '"
                            + pivot + "': nothing after the point of no return can be undone");
                }
                if (pivot != null) {
                    throw new IllegalStateException("step '" + id + "' comes after the pivot '" + pivot
                            + "' and must be retriable: declare it with retriable(\"" + id + "\")");
                }
            }
            case RETRIABLE -> {
                if (pivot == null) {
                    throw new IllegalStateException("retriable step '" + id + "' must come after a pivot step");
                }
                if (step.compensation != null) {
                    throw new IllegalStateException("retriable step '" + id + "' cannot have a compensation: it comes "
                            + "after the pivot '" + pivot + "' and must eventually succeed");
                }
            }
        }
    }
}
