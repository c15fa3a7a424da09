package dev.bulwark.saga;

/**
 * The saga store could not be read or written (for PostgreSQL, the cause is the {@link java.sql.SQLException}).
 * A saga whose transition could not be recorded is resumed from its last recorded transition once its lease
 * expires.
 */
public final class SagaStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was being done
     * @param cause what went wrong
     */
    public SagaStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
