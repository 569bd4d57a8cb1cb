package org.mxpolicy.status;

import java.util.Objects;

/** One judged column of a row: its level and a short text saying why. */
public record Cell(Level level, String text) {

    public static final Cell NONE = new Cell(Level.NONE, "not configured");

    public Cell {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(text, "text");
    }
}
