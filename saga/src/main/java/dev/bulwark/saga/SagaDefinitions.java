package dev.bulwark.saga;

import java.util.Map;

/** The definitions an orchestrator runs, by name and version. Immutable. */
final class SagaDefinitions {
    private final Map<String, SagaDefinition<?>> byKey;

    SagaDefinitions(Map<String, SagaDefinition<?>> byKey) {
        this.byKey = Map.copyOf(byKey);
    }

    /** The definition registered under this name and version, or {@code null}. */
    SagaDefinition<?> get(String name, int version) {
        return byKey.get(SagaDefinition.key(name, version));
    }

    /**
     * The registered definition that {@code given} names (by name and version). An equal definition built again
     * is fine, and the registered one runs; one that differs in shape is refused, since its instances would
     * resume with the other.
     */
    @SuppressWarnings("unchecked") // same name, version and data type as registered: the cast is checked
    <D> SagaDefinition<D> resolve(SagaDefinition<D> given) {
        SagaDefinition<?> registered = byKey.get(given.key());
        if (registered == given) {
            return given;
        }
        if (registered == null) {
            throw new IllegalStateException("saga '" + given.name() + "' version " + given.version()
                    + " is not registered with this orchestrator, which has " + this
                    + ": register(...) it on the builder");
        }
        String difference = registered.differenceFrom(given);
        if (difference != null) {
            throw new IllegalStateException("saga '" + given.name() + "' version " + given.version()
                    + " differs from the definition registered under that name and version (" + difference
                    + "): start it with the registered definition, or register this one under a new version");
        }
        return (SagaDefinition<D>) registered;
    }

    @Override
    public String toString() {
        return new java.util.TreeSet<>(byKey.keySet()).toString();
    }
}
