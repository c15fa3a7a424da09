package dev.bulwark.examples;

/**
 * A call to a remote service did not succeed. {@link #retryable()} tells whether trying again may help (no answer,
 * or a 5xx) or not (a 4xx: the service understood and said no); {@link #status()} is the HTTP status, or 0 when no
 * answer came.
 */
public final class RemoteServiceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String service;
    private final int status;

    RemoteServiceException(String service, int status, String message, Throwable cause) {
        super(message, cause);
        this.service = service;
        this.status = status;
    }

    /** The service called, such as {@code "payment-service"}. */
    public String service() {
        return service;
    }

    /** The HTTP status of the answer, or 0 when there was none (connection failed, timed out, interrupted). */
    public int status() {
        return status;
    }

    /** Whether the failure may be transient: no answer, or a 5xx. */
    public boolean retryable() {
        return status == 0 || status >= 500;
    }
}
