package dev.bulwark.resilience;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The moment by which the current call must be done, set by an enclosing {@link Timeout} and visible to
 * every policy inside it: a {@link Retry} does not sleep a backoff or start an attempt that would begin
 * after the deadline, and a {@link Hedge} does not start a hedge then. User code can read it too, for
 * example to pass the remaining time on to a remote service:
 *
 * <pre>{@code
 * Deadline.current().ifPresent(deadline -> request.setTimeout(deadline.remaining()));
 * }</pre>
 *
 * <p>The deadline is bound to the thread that runs the call (a Timeout installs it around the inner call
 * and removes it afterwards); asynchronous policies capture it when a call starts and install it again
 * around each attempt they run later on another thread. Nested timeouts keep the earlier of the two
 * deadlines.
 */
public final class Deadline {
    private static final ThreadLocal<Holder> CURRENT = ThreadLocal.withInitial(Holder::new);

    private final Clock clock;
    private final long atNanos;

    private Deadline(Clock clock, long atNanos) {
        this.clock = clock;
        this.atNanos = atNanos;
    }

    /** The deadline of the call running on this thread, if an enclosing {@link Timeout} set one. */
    public static Optional<Deadline> current() {
        Holder holder = CURRENT.get();
        return holder.clock == null ? Optional.empty() : Optional.of(new Deadline(holder.clock, holder.atNanos));
    }

    /** Nanoseconds left until the deadline, by the clock of the timeout that set it; negative once passed. */
    public long remainingNanos() {
        return atNanos - clock.nanoTime();
    }

    /** Time left until the deadline; zero once it has passed. */
    public Duration remaining() {
        return Duration.ofNanos(Math.max(0, remainingNanos()));
    }

    /** Whether the deadline has passed. */
    public boolean isExpired() {
        return remainingNanos() <= 0;
    }

    @Override
    public String toString() {
        return "Deadline[remaining=" + remaining() + "]";
    }

    // ---- package-private: the thread-bound holder, read and written without allocation ----

    /**
     * The holder of the calling thread. One small object per thread, mutated in place: installing and
     * restoring a deadline copies two fields into locals and back, so a timeout costs no allocation.
     */
    static Holder holder() {
        return CURRENT.get();
    }

    /** Nanoseconds left of the current thread's deadline, or {@link Long#MAX_VALUE} without one. */
    static long currentRemainingNanos() {
        Holder holder = CURRENT.get();
        return holder.clock == null ? Long.MAX_VALUE : holder.atNanos - holder.clock.nanoTime();
    }

    /** The current deadline as a value an asynchronous policy keeps and installs later; null without one. */
    static Deadline captureOrNull() {
        Holder holder = CURRENT.get();
        return holder.clock == null ? null : new Deadline(holder.clock, holder.atNanos);
    }

    /** The deadline {@code nanos} from now on {@code clock}, or the current one if that is earlier. */
    static Deadline earliest(Deadline current, Clock clock, long nanos) {
        if (current != null && current.remainingNanos() <= nanos) {
            return current;
        }
        return new Deadline(clock, clock.nanoTime() + nanos);
    }

    /** Remaining nanoseconds of a captured deadline, {@link Long#MAX_VALUE} for none (null). */
    static long remainingNanos(Deadline deadline) {
        return deadline == null ? Long.MAX_VALUE : deadline.remainingNanos();
    }

    Clock clock() {
        return clock;
    }

    long atNanos() {
        return atNanos;
    }

    /** A thread's current deadline: {@code clock == null} means none. Touched only by its own thread. */
    static final class Holder {
        Clock clock;
        long atNanos;

        /**
         * Installs {@code deadline} (null: none) if it is earlier than the one in place. Callers save
         * {@link #clock} and {@link #atNanos} first and put them back with {@link #restore}.
         */
        void installIfEarlier(Deadline deadline) {
            if (deadline != null) {
                installIfEarlier(deadline.clock, deadline.atNanos);
            }
        }

        void installIfEarlier(Clock newClock, long newAtNanos) {
            Objects.requireNonNull(newClock, "clock");
            if (clock == null || newAtNanos - newClock.nanoTime() < atNanos - clock.nanoTime()) {
                clock = newClock;
                atNanos = newAtNanos;
            }
        }

        void restore(Clock savedClock, long savedAtNanos) {
            clock = savedClock;
            atNanos = savedAtNanos;
        }
    }
}
