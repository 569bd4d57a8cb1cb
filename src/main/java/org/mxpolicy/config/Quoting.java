package org.mxpolicy.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Values as messages quote them: in single quotes and cut to {@link #SHOWN_LENGTH} characters,
 * so that a huge value in the config makes a readable one-line message, not a megabyte of stderr.
 */
final class Quoting {

    static final int SHOWN_LENGTH = 80;

    private static final Pattern QUOTED = Pattern.compile("'([^'\\x0A]{81,})'");

    private Quoting() {}

    /** {@code 'value'}, or its first {@value #SHOWN_LENGTH} characters and an ellipsis. */
    static String quote(String value) {
        return "'" + shorten(value) + "'";
    }

    /** A parser's message with every quoted value in it cut as {@link #quote} cuts it. */
    static String shortenQuoted(String message) {
        return QUOTED.matcher(message).replaceAll(m -> Matcher.quoteReplacement(quote(m.group(1))));
    }

    /** The value, or its first {@value #SHOWN_LENGTH} characters and {@code ...}. */
    static String shorten(String value) {
        return value.length() <= SHOWN_LENGTH ? value : value.substring(0, SHOWN_LENGTH) + "...";
    }
}
