package dev.bulwark.examples;

import java.time.Duration;
import java.util.Objects;

/**
 * How badly a simulated remote service behaves. Each request waits a latency drawn uniformly from
 * {@code [minLatency, maxLatency]}; then it fails with 503 before doing anything ({@code failureRate}), or does its
 * work and answers 500 as if the response were lost on the way ({@code lostResponseRate}), or answers normally.
 *
 * <pre>{@code
 * Faults flaky = new Faults(0.3, 0.05, Duration.ofMillis(5), Duration.ofMillis(40));
 * }</pre>
 *
 * @param failureRate the share of requests refused with 503 before taking effect, in [0, 1]
 * @param lostResponseRate the share of requests that take effect but answer 500, in [0, 1]
 * @param minLatency the shortest wait before answering, not negative
 * @param maxLatency the longest wait before answering, at least {@code minLatency}
 */
public record Faults(double failureRate, double lostResponseRate, Duration minLatency, Duration maxLatency) {

    /** A healthy service: no failures, a few milliseconds of latency. */
    public static final Faults HEALTHY = new Faults(0, 0, Duration.ofMillis(2), Duration.ofMillis(20));

    public Faults {
        checkRate("failureRate", failureRate);
        checkRate("lostResponseRate", lostResponseRate);
        Objects.requireNonNull(minLatency, "minLatency");
        Objects.requireNonNull(maxLatency, "maxLatency");
        if (minLatency.isNegative()) {
            throw new IllegalArgumentException("minLatency must not be negative, was " + minLatency);
        }
        if (maxLatency.compareTo(minLatency) < 0) {
            throw new IllegalArgumentException("maxLatency must be at least minLatency (" + minLatency + "), was "
                    + maxLatency);
        }
        if (failureRate + lostResponseRate > 1) {
            throw new IllegalArgumentException("failureRate + lostResponseRate must be at most 1, was "
                    + (failureRate + lostResponseRate));
        }
    }

    private static void checkRate(String name, double rate) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1], was " + rate);
        }
    }
}
