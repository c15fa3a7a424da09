package dev.bulwark.resilience;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * A synchronous call handed to a user's executor by a {@link Timeout} or a {@link Hedge}: a future that
 * runs {@code body} once, with the caller's context and deadline installed, and whose cancellation or
 * {@link #timeOut} interrupts the thread running it.
 *
 * <p>The hazard is the interrupt itself: on a pooled thread, an interrupt that arrives after the call has
 * finished would hit whatever task the thread runs next. So the runner moves through
 * {@code null -> thread -> DONE}, and whoever interrupts must first win {@code thread -> INTERRUPTING} by
 * CAS, interrupt, then publish {@code INTERRUPTED}. A runner that finds its CAS to DONE lost knows an
 * interrupt is coming or came: it waits for {@code INTERRUPTED} (a few instructions away) and clears its
 * interrupt flag before it returns the thread to the executor. An interrupter that finds {@code null} marks
 * the task DONE, so it never starts.
 */
final class InterruptibleCall<T> extends CompletableFuture<T> implements Runnable {
    private static final Object DONE = new Object();
    private static final Object INTERRUPTING = new Object();
    private static final Object INTERRUPTED = new Object();

    private final Supplier<? extends T> body;
    private final ContextSnapshot context;
    private final Deadline deadline;
    private final AtomicReference<Object> runner = new AtomicReference<>();

    InterruptibleCall(Supplier<? extends T> body, ContextSnapshot context, Deadline deadline) {
        this.body = body;
        this.context = context;
        this.deadline = deadline;
    }

    @Override
    public void run() {
        Thread self = Thread.currentThread();
        if (isDone() || !runner.compareAndSet(null, self)) {
            return;
        }
        Deadline.Holder holder = Deadline.holder();
        Clock savedClock = holder.clock;
        long savedAt = holder.atNanos;
        T value = null;
        Throwable failure = null;
        ContextSnapshot.Scope scope = context.apply();
        try {
            holder.installIfEarlier(deadline);
            value = body.get();
        } catch (Throwable t) {
            failure = t;
        } finally {
            scope.close();
            holder.restore(savedClock, savedAt);
            if (!runner.compareAndSet(self, DONE)) {
                while (runner.get() != INTERRUPTED) {
                    Thread.onSpinWait();
                }
                Thread.interrupted(); // the interrupt was meant for this call, not the thread's next task
            }
        }
        if (failure == null) {
            complete(value);
        } else {
            completeExceptionally(failure);
        }
    }

    /** Completes this call with {@code timeout} unless it already finished; interrupts it if it is running. */
    boolean timeOut(Throwable timeout) {
        if (completeExceptionally(timeout)) {
            interruptRunner();
            return true;
        }
        return false;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        if (cancelled) {
            interruptRunner();
        }
        return cancelled;
    }

    private void interruptRunner() {
        while (true) {
            Object current = runner.get();
            if (current == null) {
                if (runner.compareAndSet(null, DONE)) {
                    return;
                }
            } else if (current instanceof Thread thread) {
                if (runner.compareAndSet(thread, INTERRUPTING)) {
                    thread.interrupt();
                    runner.set(INTERRUPTED);
                    return;
                }
            } else {
                return;
            }
        }
    }
}
