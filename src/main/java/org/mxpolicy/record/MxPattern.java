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
     * @throws IllegalArgumentException with a message fit for the user when it is not a valid
     *     pattern
     */
    public static MxPattern parse(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.endsWith(".")) {
            value = value.substring(0, value.length() - 1);
        }
        if (value.isEmpty()) {
            throw new IllegalArgumentException("empty mx pattern");
        }
        if (IPV4.matcher(value).matches() || value.contains(":") || value.startsWith("[")) {
            throw new IllegalArgumentException("'" + text + "' is an IP address; mx patterns name hosts (RFC 8461 section 4.1)");
        }
        boolean wildcard = value.startsWith("*.");
        String suffix = wildcard ? value.substring(2) : value;
        if (suffix.contains("*")) {
            throw new IllegalArgumentException("'" + text + "': a wildcard must be the whole leftmost label, as in *.example.com (RFC 8461 section 4.1)");
        }
        String[] labels = suffix.split("\\.", -1);
        if (labels.length < 2) {
            throw new IllegalArgumentException("'" + text + "' is not a fully qualified host name");
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                throw new IllegalArgumentException("'" + text + "' is not a valid host name (label '" + label + "')");
            }
        }
        if (suffix.length() > 253) {
            throw new IllegalArgumentException("'" + text + "' is longer than 253 characters");
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
