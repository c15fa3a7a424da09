package dev.bulwark.resilience;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Named circuit breakers built from named configurations, so that the parts of an application that call the
 * same dependency share one breaker. Configurations are fixed when the registry is built and are used as
 * they are: a breaker gets exactly the config it names, there is no inheritance between configs.
 *
 * <pre>{@code
 * CircuitBreakerRegistry registry = CircuitBreakerRegistry.builder()
 *         .defaultConfig(CircuitBreakerConfig.defaults())
 *         .config("slow-backends", CircuitBreakerConfig.builder()
 *                 .slowCallDurationThreshold(Duration.ofSeconds(10))
 *                 .build())
 *         .build();
 * CircuitBreaker payments = registry.circuitBreaker("payments");
 * CircuitBreaker reports = registry.circuitBreaker("reports", "slow-backends");
 * }</pre>
 *
 * <p>Thread-safe. Breakers are created on first request; asking again for the same name returns the same
 * instance.
 */
public final class CircuitBreakerRegistry {
    /** The name of the configuration used when none is named. */
    public static final String DEFAULT_CONFIG = "default";

    private final Map<String, CircuitBreakerConfig> configs;
    private final ConcurrentHashMap<String, Entry> breakers = new ConcurrentHashMap<>();

    private record Entry(String configName, CircuitBreaker breaker) {}

    private CircuitBreakerRegistry(Map<String, CircuitBreakerConfig> configs) {
        this.configs = Map.copyOf(configs);
    }

    /** A registry whose only configuration is {@link CircuitBreakerConfig#defaults()}. */
    public static CircuitBreakerRegistry ofDefaults() {
        return builder().build();
    }

    /** A builder whose default configuration is {@link CircuitBreakerConfig#defaults()} until replaced. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The breaker named {@code name}, created with the {@value #DEFAULT_CONFIG} configuration if it does not
     * exist yet.
     *
     * @throws IllegalStateException if the breaker exists with another configuration
     */
    public CircuitBreaker circuitBreaker(String name) {
        return circuitBreaker(name, DEFAULT_CONFIG);
    }

    /**
     * The breaker named {@code name}, created with the configuration named {@code configName} if it does not
     * exist yet.
     *
     * @throws IllegalArgumentException if there is no configuration named {@code configName}
     * @throws IllegalStateException if the breaker exists with another configuration
     */
    public CircuitBreaker circuitBreaker(String name, String configName) {
        Objects.requireNonNull(name, "name");
        CircuitBreakerConfig config = config(configName);
        Entry entry = breakers.computeIfAbsent(name, n -> new Entry(configName, CircuitBreaker.of(n, config)));
        if (!entry.configName().equals(configName)) {
            throw new IllegalStateException("circuit breaker '" + name + "' already exists with config '"
                    + entry.configName() + "', not '" + configName + "'");
        }
        return entry.breaker();
    }

    /** The breaker named {@code name}, if it was created. */
    public Optional<CircuitBreaker> find(String name) {
        Objects.requireNonNull(name, "name");
        return Optional.ofNullable(breakers.get(name)).map(Entry::breaker);
    }

    /** The breakers created so far, by name. */
    public List<CircuitBreaker> circuitBreakers() {
        List<CircuitBreaker> all = new ArrayList<>();
        for (Entry entry : breakers.values()) {
            all.add(entry.breaker());
        }
        all.sort(Comparator.comparing(CircuitBreaker::name));
        return all;
    }

    /**
     * Forgets the breaker named {@code name}; the next request creates a new one. Returns whether there was one.
     */
    public boolean remove(String name) {
        Objects.requireNonNull(name, "name");
        return breakers.remove(name) != null;
    }

    /**
     * The configuration named {@code configName}.
     *
     * @throws IllegalArgumentException if there is none
     */
    public CircuitBreakerConfig config(String configName) {
        Objects.requireNonNull(configName, "configName");
        CircuitBreakerConfig config = configs.get(configName);
        if (config == null) {
            throw new IllegalArgumentException("no circuit breaker config named '" + configName + "'; known: "
                    + new java.util.TreeSet<>(configs.keySet()));
        }
        return config;
    }

    /** The names of the configurations. */
    public Set<String> configNames() {
        return configs.keySet();
    }

    /** Builds a {@link CircuitBreakerRegistry}. Not thread-safe. */
    public static final class Builder {
        private final Map<String, CircuitBreakerConfig> configs = new LinkedHashMap<>();

        private Builder() {
            configs.put(DEFAULT_CONFIG, CircuitBreakerConfig.defaults());
        }

        /** The configuration of breakers requested without a config name. */
        public Builder defaultConfig(CircuitBreakerConfig config) {
            configs.put(DEFAULT_CONFIG, Objects.requireNonNull(config, "config"));
            return this;
        }

        /**
         * Adds a named configuration.
         *
         * @throws IllegalArgumentException if the name is blank or already used (use {@link #defaultConfig}
         *     for the default)
         */
        public Builder config(String name, CircuitBreakerConfig config) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(config, "config");
            if (name.isBlank()) {
                throw new IllegalArgumentException("config name must not be blank, was '" + name + "'");
            }
            if (configs.containsKey(name)) {
                throw new IllegalArgumentException("config '" + name + "' is already registered");
            }
            configs.put(name, config);
            return this;
        }

        public CircuitBreakerRegistry build() {
            return new CircuitBreakerRegistry(configs);
        }
    }
}
