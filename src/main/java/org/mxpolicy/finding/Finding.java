package org.mxpolicy.finding;

import java.util.Comparator;
import java.util.Objects;

/**
 * One problem or remark about the input or the world, with a stable id that scripts can match
 * on (for example {@code tlsrpt.https-uri}) and, where known, the place in the input it is about.
 */
public record Finding(Severity severity, String id, SourcePosition position, String message) {

    /** Findings in file order, so a report reads top to bottom like the file. */
    public static final Comparator<Finding> BY_POSITION = Comparator.comparing(
                    (Finding f) -> f.position() == null ? "" : f.position().source())
            .thenComparingInt(f -> f.position() == null ? 0 : f.position().line())
            .thenComparingInt(f -> f.position() == null ? 0 : f.position().column());

    public Finding {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(message, "message");
    }

    public static Finding error(String id, SourcePosition position, String message) {
        return new Finding(Severity.ERROR, id, position, message);
    }

    public static Finding warning(String id, SourcePosition position, String message) {
        return new Finding(Severity.WARNING, id, position, message);
    }

    public static Finding note(String id, SourcePosition position, String message) {
        return new Finding(Severity.NOTE, id, position, message);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** {@code file:line:col: error: message [id]}, the one-line form printed on stderr. */
    public String format() {
        String where = position == null ? "" : position + ": ";
        return where + severity.label() + ": " + message + " [" + id + "]";
    }
}
