package dev.bulwark.examples;

/**
 * One HTTP call to a remote service, as the client saw it: one attempt, so a retried call gives several samples.
 *
 * @param service the service called
 * @param operation what was asked, such as {@code "charge"}
 * @param startNanos when it started, by {@link System#nanoTime()}
 * @param durationNanos how long it took
 * @param result how it ended
 */
public record CallSample(String service, String operation, long startNanos, long durationNanos, Result result) {

    /** How a call ended. */
    public enum Result {
        /** A 2xx answer. */
        SUCCEEDED,
        /** A 4xx answer: the service said no. */
        REFUSED,
        /** A 5xx answer or a broken connection. */
        FAILED,
        /** No answer in time: the client's timeout cut it off. */
        TIMED_OUT
    }
}
