package dev.bulwark.saga;

import java.util.Objects;
import java.util.regex.Pattern;

/** The shape of saga names and step ids: safe in idempotency keys, logs, SQL values and Mermaid labels. */
final class Ids {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,100}");

    private Ids() {}

    static String check(String what, String value) {
        Objects.requireNonNull(value, what);
        if (!ID.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " must be 1 to 100 letters, digits, '.', '_' or '-', was '" + value + "'");
        }
        return value;
    }
}
