package dev.bulwark.resilience;

import java.util.Objects;
import java.util.concurrent.CompletionException;

/**
 * What became of a call: it returned a value, it failed, or a policy refused to run it.
 *
 * <p>The non-throwing call forms ({@code attempt}) return an outcome, so that a rejection costs no
 * exception on the hot path. The three cases are records of a sealed interface (on Java 21 and newer,
 * an exhaustive {@code switch} over them needs no default):
 *
 * <pre>{@code
 * Outcome<String> outcome = breaker.attempt(() -> client.fetch(id));
 * if (outcome instanceof Outcome.Rejected<String> rejected) {
 *     return "busy: " + rejected.rejection().getMessage();
 * }
 * return outcome.getOrThrow();
 * }</pre>
 *
 * @param <T> the type of the call's value
 */
public sealed interface Outcome<T> {

    /** The call returned {@code value} (which may be {@code null}). */
    record Success<T>(T value) implements Outcome<T> {}

    /** The call ran and failed with {@code cause}. */
    record Failure<T>(Throwable cause) implements Outcome<T> {
        public Failure {
            Objects.requireNonNull(cause, "cause");
        }
    }

    /** A policy refused to run the call; {@code rejection} names the policy and why. */
    record Rejected<T>(RejectedException rejection) implements Outcome<T> {
        public Rejected {
            Objects.requireNonNull(rejection, "rejection");
        }
    }

    /** A successful outcome. */
    static <T> Outcome<T> success(T value) {
        return new Success<>(value);
    }

    /** A failed outcome. */
    static <T> Outcome<T> failure(Throwable cause) {
        return new Failure<>(cause);
    }

    /** A rejected outcome. */
    static <T> Outcome<T> rejected(RejectedException rejection) {
        return new Rejected<>(rejection);
    }

    /** Whether the call returned a value. */
    default boolean isSuccess() {
        return this instanceof Success;
    }

    /**
     * The value of a success; otherwise throws what went wrong: the rejection, or the failure's cause if it
     * is unchecked, or a {@link CompletionException} wrapping a checked cause.
     */
    default T getOrThrow() {
        if (this instanceof Success<T> success) {
            return success.value();
        }
        if (this instanceof Rejected<T> rejected) {
            throw rejected.rejection();
        }
        Throwable cause = ((Failure<T>) this).cause();
        if (cause instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        throw new CompletionException(cause);
    }
}
