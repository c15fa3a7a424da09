package dev.bulwark.examples;

import java.util.Collection;
import java.util.Locale;

/**
 * Percentiles of a set of durations, in milliseconds (nearest-rank).
 *
 * @param count how many durations
 * @param p50 the median
 * @param p90 the 90th percentile
 * @param p99 the 99th percentile
 * @param max the longest
 */
public record LatencyStats(int count, double p50, double p90, double p99, double max) {

    /** The percentiles of {@code nanos}; all zero when empty. */
    public static LatencyStats ofNanos(Collection<Long> nanos) {
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        if (sorted.length == 0) {
            return new LatencyStats(0, 0, 0, 0, 0);
        }
        return new LatencyStats(sorted.length, rank(sorted, 50), rank(sorted, 90), rank(sorted, 99),
                sorted[sorted.length - 1] / 1e6);
    }

    private static double rank(long[] sorted, double percentile) {
        int index = (int) Math.ceil(percentile / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }

    /** Like {@code "p50 12.3 ms   p90 45.0 ms   p99 250.1 ms   max 260.0 ms   (812 calls)"}. */
    public String format(String unit) {
        return String.format(Locale.ROOT, "p50 %6.1f ms   p90 %6.1f ms   p99 %6.1f ms   max %6.1f ms   (%d %s)",
                p50, p90, p99, max, count, unit);
    }
}
