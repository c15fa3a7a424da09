package dev.bulwark.resilience;

import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What every policy implementation shares: its name, its listeners, and the public call shapes expressed
 * through its {@link Stage} methods with {@link Invoker#DIRECT} as the inner call. A policy overrides
 * {@link #attempt} when it can report a rejection without throwing one.
 *
 * @param <E> the policy's event type
 */
abstract class AbstractPolicy<E> implements Stage {
    final String name;
    final ListenerList<E> listeners;
    /** This policy around the user's call itself, for {@link #attempt}; built once. */
    private final Invoker alone = new Invoker() {
        @Override
        public <T> T call(Supplier<? extends T> supplier) {
            return AbstractPolicy.this.call(Invoker.DIRECT, supplier);
        }

        @Override
        public <T> CompletionStage<T> callAsync(Supplier<? extends CompletionStage<T>> supplier) {
            return AbstractPolicy.this.callAsync(Invoker.DIRECT, supplier);
        }
    };

    /**
     * @param kind the kind of policy, as people say it in messages: {@code "retry"}, {@code "rate limiter"}
     * @param name the instance's name
     * @throws IllegalArgumentException if the name is blank
     */
    AbstractPolicy(String kind, String name) {
        this.name = SettingChecks.name(name);
        this.listeners = new ListenerList<>(kind + " '" + name + "'");
    }

    public String name() {
        return name;
    }

    public <T> T call(Supplier<? extends T> supplier) {
        return call(Invoker.DIRECT, supplier);
    }

    public <T> CompletionStage<T> callAsync(Supplier<? extends CompletionStage<T>> supplier) {
        return callAsync(Invoker.DIRECT, supplier);
    }

    public <T> Outcome<T> attempt(Supplier<? extends T> supplier) {
        Objects.requireNonNull(supplier, "supplier");
        return CallOutcomes.capture(alone, supplier);
    }

    public void onEvent(Consumer<? super E> listener) {
        listeners.add(listener);
    }

    public boolean removeListener(Consumer<? super E> listener) {
        return listeners.remove(listener);
    }
}
