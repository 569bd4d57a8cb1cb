package org.mxpolicy.config;

/**
 * Values as messages quote them: in single quotes and cut to {@link #SHOWN_LENGTH} characters,
 * so that a huge value in the config makes a readable one-line message, not a megabyte of stderr.
 */
final class Quoting {

    static final int SHOWN_LENGTH = 80;

    private Quoting() {}

    /** {@code 'value'}, or its first {@value #SHOWN_LENGTH} characters and an ellipsis. */
    static String quote(String value) {
        return "'" + shorten(value) + "'";
    }

    /** The value, or its first {@value #SHOWN_LENGTH} characters and {@code ...}. */
    static String shorten(String value) {
        return value.length() <= SHOWN_LENGTH ? value : value.substring(0, SHOWN_LENGTH) + "...";
    }
}
