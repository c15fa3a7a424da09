package dev.bulwark.saga;

import java.util.Objects;
import java.util.regex.Pattern;

/** The shape of saga names and step ids: safe in idempotency keys, logs, SQL values and Mermaid labels. */
final class Ids {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    /** The longest saga id a caller may choose: room for a business key and a prefix, short enough for an index. */
    static final int MAX_SAGA_ID_LENGTH = 200;

    private Ids() {}

    static String check(String what, String value) {
        Objects.requireNonNull(value, what);
        if (!ID.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " must be 1 to 100 letters, digits, '.', '_' or '-', was '" + value + "'");
        }
        return value;
    }

    /**
     * A caller-chosen saga id: any text that is not blank, has no control character (it goes into logs and
     * idempotency keys, {@code sagaId + "/" + stepId}) and is at most {@value #MAX_SAGA_ID_LENGTH} characters long.
     */
    static String checkSagaId(String sagaId) {
        Objects.requireNonNull(sagaId, "sagaId");
        if (sagaId.isBlank()) {
            throw new IllegalArgumentException("sagaId must not be blank, was '" + sagaId + "'");
        }
        if (sagaId.length() > MAX_SAGA_ID_LENGTH) {
            throw new IllegalArgumentException("sagaId must be at most " + MAX_SAGA_ID_LENGTH + " characters, was "
                    + sagaId.length() + ": '" + sagaId.substring(0, 40) + "...'");
        }
        if (sagaId.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("sagaId must not contain control characters, was '"
                    + sagaId.replaceAll("\\p{Cntrl}", "?") + "'");
        }
        return sagaId;
    }
}
