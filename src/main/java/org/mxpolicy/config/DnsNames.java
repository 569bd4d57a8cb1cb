package org.mxpolicy.config;

import java.net.IDN;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Host and zone names as the config accepts them: LDH labels (RFC 1123 section 2.1, RFC 5890
 * section 2.3.1), written without a trailing dot, compared in lower case.
 */
public final class DnsNames {

    /** RFC 1035 section 2.3.4: labels of at most 63 octets. */
    static final int MAX_LABEL_LENGTH = 63;
    /** RFC 1035 section 2.3.4: 255 octets on the wire, 253 characters in text without the root dot. */
    static final int MAX_NAME_LENGTH = 253;

    private static final Pattern LDH_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");
    private static final Pattern ALL_DIGITS = Pattern.compile("[0-9]+");
    private static final Pattern IPV6_ISH = Pattern.compile("\\[?[0-9a-f:.]*:[0-9a-f:.%]*]?");

    private DnsNames() {}

    /** Lower case, without the trailing dot of an absolute name. */
    static String normalise(String name) {
        String lower = name.strip().toLowerCase(Locale.ROOT);
        return lower.endsWith(".") && lower.length() > 1 ? lower.substring(0, lower.length() - 1) : lower;
    }

    /** Whether the text is an IPv4 or IPv6 address literal rather than a name. */
    static boolean isIpAddress(String text) {
        String value = normalise(text);
        if (IPV6_ISH.matcher(value).matches()) {
            return true;
        }
        String[] labels = value.split("\\.", -1);
        // RFC 3696 section 2: a top-level label is never all digits, so such a name is an address
        return labels.length == 4
                && ALL_DIGITS.matcher(labels[3]).matches()
                && java.util.Arrays.stream(labels)
                        .allMatch(l -> ALL_DIGITS.matcher(l).matches());
    }

    /**
     * What is wrong with a normalised name, or empty when it is a valid name of at least
     * {@code minLabels} labels.
     */
    static Optional<String> problem(String name, int minLabels) {
        if (name.isEmpty() || name.equals(".")) {
            return Optional.of("the name is empty");
        }
        if (isIpAddress(name)) {
            return Optional.of("it is an IP address; give the host name instead");
        }
        if (!name.chars().allMatch(c -> c < 0x80)) {
            return Optional.of("it has non-ASCII characters" + aLabelHint(name));
        }
        if (name.length() > MAX_NAME_LENGTH) {
            return Optional.of("it is longer than " + MAX_NAME_LENGTH + " characters");
        }
        String[] labels = name.split("\\.", -1);
        for (String label : labels) {
            if (label.isEmpty()) {
                return Optional.of("it has an empty label (two dots in a row, or a leading dot)");
            }
            if (label.length() > MAX_LABEL_LENGTH) {
                return Optional.of(
                        "label " + Quoting.quote(label) + " is longer than " + MAX_LABEL_LENGTH + " characters");
            }
            if (!LDH_LABEL.matcher(label).matches()) {
                return Optional.of(
                        "label " + Quoting.quote(label) + " may only hold letters, digits and inner hyphens");
            }
        }
        if (ALL_DIGITS.matcher(labels[labels.length - 1]).matches()) {
            return Optional.of("its last label is all digits");
        }
        if (labels.length < minLabels) {
            return Optional.of("it needs at least " + minLabels + " labels, as in 'mx1.example.com'");
        }
        return Optional.empty();
    }

    /**
     * What is wrong with an MX host name given on the command line (as {@code tlsa --host}), or
     * empty when it is one, by the rules the config applies to {@code mx[].host}. A wildcard is
     * refused by name: TLSA records are looked up below the MX host's own name (RFC 7672 section
     * 2.2), which is never a wildcard.
     */
    public static Optional<String> mxHostProblem(String text) {
        String name = normalise(text);
        if (name.startsWith("*")) {
            return Optional.of("a wildcard is no MX host name; TLSA records are looked up below the host's own"
                    + " name, so give the name the MX record points at");
        }
        return problem(name, 2);
    }

    /** Whether {@code name} equals {@code zone} or lies below it; both normalised. */
    static boolean isAtOrBelow(String name, String zone) {
        return name.equals(zone) || name.endsWith("." + zone);
    }

    private static String aLabelHint(String name) {
        try {
            return "; write it in A-label form: " + Quoting.quote(IDN.toASCII(name, IDN.USE_STD3_ASCII_RULES));
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
