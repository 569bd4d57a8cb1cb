package org.mxpolicy.finding;

import java.util.Objects;

/**
 * A place in an input file, for messages in the {@code file:line:column:} form that editors and
 * terminals make clickable. Line and column count from 1; 0 means "unknown".
 */
public record SourcePosition(String source, int line, int column) {

    public SourcePosition {
        Objects.requireNonNull(source, "source");
        if (line < 0 || column < 0) {
            throw new IllegalArgumentException("negative position " + line + ":" + column);
        }
    }

    /** A whole file, when no finer position is known. */
    public static SourcePosition file(String source) {
        return new SourcePosition(source, 0, 0);
    }

    public static SourcePosition at(String source, int line, int column) {
        return new SourcePosition(source, line, column);
    }

    @Override
    public String toString() {
        if (line == 0) {
            return source;
        }
        return column == 0 ? source + ":" + line : source + ":" + line + ":" + column;
    }
}
