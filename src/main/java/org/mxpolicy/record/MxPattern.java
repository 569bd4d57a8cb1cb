package org.mxpolicy.record;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An {@code mx} pattern of an MTA-STS policy (RFC 8461 section 4.1): a host name, or a host name
 * whose whole leftmost label is {@code *}, which then matches exactly one label. IP addresses are
 * not allowed: policies name hosts, and the certificate check is against the host name.
 */
public record MxPattern(boolean wildcard, String suffix) {

    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    public MxPattern {
        if (suffix == null || suffix.isEmpty()) {
            throw new IllegalArgumentException("empty mx pattern");
        }
    }

    /**
     * Parses and normalises a pattern (lower case, no trailing dot).
     *
     * @throws IllegalArgumentException whose message says what is wrong, fit to follow
     *     "mx pattern '...' is not valid: "
     */
    public static MxPattern parse(String text) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        if (value.endsWith(".")) {
            value = value.substring(0, value.length() - 1);
        }
        if (value.isEmpty()) {
            throw new IllegalArgumentException("it is empty");
        }
        if (IPV4.matcher(value).matches() || value.contains(":") || value.startsWith("[")) {
            throw new IllegalArgumentException("it is an IP address; policies name MX hosts (RFC 8461 section 4.1)");
        }
        boolean wildcard = value.startsWith("*.");
        String suffix = wildcard ? value.substring(2) : value;
        if (suffix.contains("*")) {
            throw new IllegalArgumentException("a wildcard must be the whole leftmost label and appear once,"
                    + " as in '*.example.net' (RFC 8461 section 4.1)");
        }
        String[] labels = suffix.split("\\.", -1);
        if (labels.length < 2) {
            throw new IllegalArgumentException("it needs at least 2 labels, as in 'mx1.example.com'");
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                throw new IllegalArgumentException("label '" + label + "' is not a host name label"
                        + " (1 to 63 letters, digits and inner hyphens)");
            }
        }
        if (suffix.length() > 253) {
            throw new IllegalArgumentException("it is longer than 253 characters");
        }
        return new MxPattern(wildcard, suffix);
    }

    /** Whether the pattern matches a host name; a wildcard matches exactly one leftmost label. */
    public boolean matches(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (!wildcard) {
            return name.equals(suffix);
        }
        int dot = name.indexOf('.');
        return dot > 0 && name.substring(dot + 1).equals(suffix);
    }

    @Override
    public String toString() {
        return wildcard ? "*." + suffix : suffix;
    }
}
