package dev.bulwark.resilience;

/**
 * An {@link AdaptiveBulkhead} refused a call because as many calls as its current limit were in flight. The
 * message names the bulkhead, the limit at the time and its range, as in
 * {@code "adaptive bulkhead 'search' is full (limit=12, minLimit=1, maxLimit=200)"}.
 *
 * <p>A type of its own rather than a {@link BulkheadFullException}: a fixed bulkhead's rejection says a
 * configured limit was reached, this one says the dependency's measured capacity was, which callers may
 * well treat differently (for example shed load instead of retrying). Instances carry no stack trace; a
 * bulkhead reuses one instance for as long as its limit stays the same.
 */
public final class AdaptiveBulkheadFullException extends RejectedException {
    private static final long serialVersionUID = 1L;

    private final int limit;

    AdaptiveBulkheadFullException(String bulkheadName, int limit, AdaptiveBulkheadConfig config) {
        super(bulkheadName, "adaptive bulkhead '" + bulkheadName + "' is full (limit=" + limit + ", minLimit="
                + config.minLimit() + ", maxLimit=" + config.maxLimit() + ")");
        this.limit = limit;
    }

    /** The bulkhead's limit when it refused the call. */
    public int limit() {
        return limit;
    }
}
