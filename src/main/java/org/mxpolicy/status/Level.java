package org.mxpolicy.status;

import java.util.Locale;
import org.mxpolicy.check.CheckStatus;

/**
 * A status as the page shows it: a word and a sign beside the colour, so colour is never the
 * only signal, and {@link #NONE} where there is nothing to judge.
 */
public enum Level {
    NONE("n/a", "\u2013", 0),
    OK("OK", "\u2713", 1),
    WARNING("WARNING", "!", 2),
    UNKNOWN("UNKNOWN", "?", 3),
    CRITICAL("CRITICAL", "\u2717", 4);

    private final String word;
    private final String sign;
    private final int rank;

    Level(String word, String sign, int rank) {
        this.word = word;
        this.sign = sign;
        this.rank = rank;
    }

    public static Level of(CheckStatus status) {
        return switch (status) {
            case OK -> OK;
            case WARNING -> WARNING;
            case UNKNOWN -> UNKNOWN;
            case CRITICAL -> CRITICAL;
        };
    }

    /** The status word: what a screen reader says and what shows without colour. */
    public String word() {
        return word;
    }

    /** A sign shown before the word, hidden from screen readers. */
    public String sign() {
        return sign;
    }

    /** The class of the stylesheet that colours it. */
    public String css() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** How bad: higher is worse, the order of {@link CheckStatus#worse}. */
    public int rank() {
        return rank;
    }

    public Level worse(Level other) {
        return other.rank > rank ? other : this;
    }
}
