package dev.bulwark.resilience;

import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listeners of one policy instance. Registration is rare and copies the array; publishing is a plain
 * read of it, takes no lock and allocates nothing, so policies check {@link #isEmpty()} before they build an
 * event at all. A listener that throws is logged and skipped: it cannot break the policy or starve the
 * listeners after it.
 */
final class ListenerList<E> {
    private static final Logger LOG = LoggerFactory.getLogger(ListenerList.class);
    private static final Consumer<?>[] NONE = new Consumer<?>[0];

    private final String owner;
    private final AtomicReference<Consumer<? super E>[]> listeners;

    /** @param owner names the policy in log messages, as in {@code "circuit breaker 'payments'"} */
    @SuppressWarnings("unchecked")
    ListenerList(String owner) {
        this.owner = Objects.requireNonNull(owner, "owner");
        this.listeners = new AtomicReference<>((Consumer<? super E>[]) NONE);
    }

    void add(Consumer<? super E> listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.updateAndGet(current -> {
            Consumer<? super E>[] next = Arrays.copyOf(current, current.length + 1);
            next[current.length] = listener;
            return next;
        });
    }

    /** Removes the first registration of {@code listener}; returns whether there was one. */
    boolean remove(Consumer<? super E> listener) {
        while (true) {
            Consumer<? super E>[] current = listeners.get();
            int index = indexOf(current, listener);
            if (index < 0) {
                return false;
            }
            Consumer<? super E>[] next = Arrays.copyOf(current, current.length - 1);
            System.arraycopy(current, index + 1, next, index, current.length - index - 1);
            if (listeners.compareAndSet(current, next)) {
                return true;
            }
        }
    }

    boolean isEmpty() {
        return listeners.get().length == 0;
    }

    void publish(E event) {
        for (Consumer<? super E> listener : listeners.get()) {
            try {
                listener.accept(event);
            } catch (VirtualMachineError fatal) {
                throw fatal;
            } catch (Throwable t) {
                LOG.warn("A listener of {} threw while handling {}; the policy carries on", owner, event, t);
            }
        }
    }

    private static int indexOf(Object[] array, Object element) {
        for (int i = 0; i < array.length; i++) {
            if (array[i] == element) {
                return i;
            }
        }
        return -1;
    }
}
