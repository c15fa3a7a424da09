package dev.bulwark.saga;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A named, versioned, validated saga: its steps in order, grouped in units that are either one step or a
 * parallel group. Immutable and thread-safe; built by {@link Saga#define}. Register it with a
 * {@link SagaOrchestrator} on every node that may run or resume it.
 *
 * @param <D> the saga data type
 */
public final class SagaDefinition<D> {
    private final String name;
    private final int version;
    private final Class<D> dataType;
    private final Duration timeout;
    private final List<Step<D>> steps;
    private final Map<String, Step<D>> byId = new LinkedHashMap<>();
    private final List<List<Step<D>>> units = new ArrayList<>();

    SagaDefinition(String name, int version, Class<D> dataType, Duration timeout, List<Step<D>> steps) {
        this.name = name;
        this.version = version;
        this.dataType = dataType;
        this.timeout = timeout;
        this.steps = List.copyOf(steps);
        for (Step<D> step : steps) {
            byId.put(step.id(), step);
            if (step.unit() == units.size()) {
                units.add(new ArrayList<>());
            }
            units.get(step.unit()).add(step);
        }
        units.replaceAll(Collections::unmodifiableList);
    }

    /** The saga's stable name. */
    public String name() {
        return name;
    }

    /** The definition's version; instances resume with the version they started with. */
    public int version() {
        return version;
    }

    /** The type saga data is serialised from and read back as. */
    public Class<D> dataType() {
        return dataType;
    }

    /** The limit on the whole saga, if any. */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    /** The ids of the steps, in definition order (parallel branches in the order they were added). */
    public List<String> stepIds() {
        return steps.stream().map(Step::id).toList();
    }

    /**
     * Draws the steps and compensations as a Mermaid flowchart, for documentation: forward steps top to
     * bottom, the pivot as a hexagon, retriable steps as subroutines, and dotted edges from each step that can
     * fail to the compensations that then run, in reverse order.
     */
    public String toMermaid() {
        return Mermaid.render(this);
    }

    List<Step<D>> steps() {
        return steps;
    }

    List<List<Step<D>>> units() {
        return units;
    }

    /** The step with this id, or {@code null}. */
    Step<D> step(String id) {
        return byId.get(id);
    }

    /**
     * How {@code other}, a definition of the same name and version, differs in shape from this one (its data type,
     * timeout, steps, their kinds, grouping, outputs, compensations and timeouts), or {@code null} when it does not.
     * Actions, compensations and policies are behaviour, not shape: they are not compared.
     */
    String differenceFrom(SagaDefinition<?> other) {
        if (dataType != other.dataType) {
            return "data type " + dataType.getName() + " registered, " + other.dataType.getName() + " given";
        }
        if (!java.util.Objects.equals(timeout, other.timeout)) {
            return "saga timeout " + timeout + " registered, " + other.timeout + " given";
        }
        if (!stepIds().equals(other.stepIds())) {
            return "steps " + stepIds() + " registered, " + other.stepIds() + " given";
        }
        for (int i = 0; i < steps.size(); i++) {
            String registered = steps.get(i).shape();
            String given = other.steps.get(i).shape();
            if (!registered.equals(given)) {
                return registered + " registered, " + given + " given";
            }
        }
        return null;
    }

    String key() {
        return key(name, version);
    }

    static String key(String name, int version) {
        return name + " v" + version;
    }

    @Override
    public String toString() {
        return "saga '" + name + "' v" + version + " " + stepIds();
    }
}
