package dev.bulwark.resilience;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * A circuit breaker's listeners and the events it tells them. Callers check {@link #active()} first, so
 * that no event is built while nobody listens.
 */
final class BreakerEvents {
    private final String name;
    private final Clock clock;
    private final ListenerList<CircuitBreakerEvent> listeners;

    BreakerEvents(String name, Clock clock) {
        this.name = name;
        this.clock = clock;
        this.listeners = new ListenerList<>("circuit breaker '" + name + "'");
    }

    boolean active() {
        return !listeners.isEmpty();
    }

    void add(Consumer<? super CircuitBreakerEvent> listener) {
        listeners.add(listener);
    }

    boolean remove(Consumer<? super CircuitBreakerEvent> listener) {
        return listeners.remove(listener);
    }

    void transition(CircuitBreaker.State from, CircuitBreaker.State to) {
        listeners.publish(new CircuitBreakerEvent.StateTransition(name, clock.currentTimeMillis(), from, to));
    }

    void rejected(CircuitBreaker.State state) {
        listeners.publish(new CircuitBreakerEvent.CallRejected(name, clock.currentTimeMillis(), state));
    }

    void succeeded(long elapsedNanos, boolean slow) {
        Duration elapsed = Duration.ofNanos(elapsedNanos);
        long now = clock.currentTimeMillis();
        listeners.publish(new CircuitBreakerEvent.CallSucceeded(name, now, elapsed));
        if (slow) {
            listeners.publish(new CircuitBreakerEvent.CallSlow(name, now, elapsed, false));
        }
    }

    void failed(long elapsedNanos, Throwable error, boolean slow) {
        Duration elapsed = Duration.ofNanos(elapsedNanos);
        long now = clock.currentTimeMillis();
        listeners.publish(new CircuitBreakerEvent.CallFailed(name, now, elapsed, error));
        if (slow) {
            listeners.publish(new CircuitBreakerEvent.CallSlow(name, now, elapsed, true));
        }
    }

    void resultFailed(long elapsedNanos, Object result, boolean slow) {
        Duration elapsed = Duration.ofNanos(elapsedNanos);
        long now = clock.currentTimeMillis();
        listeners.publish(new CircuitBreakerEvent.ResultFailed(name, now, elapsed, result));
        if (slow) {
            listeners.publish(new CircuitBreakerEvent.CallSlow(name, now, elapsed, true));
        }
    }

    void ignored(long elapsedNanos, Throwable error) {
        listeners.publish(new CircuitBreakerEvent.ErrorIgnored(name, clock.currentTimeMillis(),
                Duration.ofNanos(elapsedNanos), error));
    }
}
