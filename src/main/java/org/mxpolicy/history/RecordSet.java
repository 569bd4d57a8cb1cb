package org.mxpolicy.history;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One record set as published or seen, in a canonical text, so that the same set read from a
 * zone, from DNS or from a TLS report's {@code policy-string} (RFC 8460 section 4.3) compares
 * equal: TLSA records as {@code usage selector matching hex} in lower case, sorted, one a line;
 * a policy as its lines without surrounding blanks, one a line.
 *
 * @param subject the MX host (for {@link RecordSetKind#TLSA}) or the mail domain, lower case
 *     without a trailing dot
 * @param value the canonical text
 */
public record RecordSet(RecordSetKind kind, String subject, String value) {

    public RecordSet {
        Objects.requireNonNull(kind, "kind");
        subject = name(subject);
        Objects.requireNonNull(value, "value");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("an empty " + kind.keyword() + " record set of " + subject);
        }
    }

    /** The TLSA RRset of {@code host}, from the records in presentation form. */
    public static RecordSet tlsa(String host, Collection<String> records) {
        return new RecordSet(RecordSetKind.TLSA, host, String.join("\n", canonicalLines(RecordSetKind.TLSA, records)));
    }

    /** The id of the {@code _mta-sts} TXT record of {@code domain}. */
    public static RecordSet stsId(String domain, String id) {
        return new RecordSet(RecordSetKind.STS_ID, domain, id.strip());
    }

    /** The MTA-STS policy of {@code domain}, as served (lines end in CRLF or LF). */
    public static RecordSet stsPolicy(String domain, String text) {
        return new RecordSet(
                RecordSetKind.STS_POLICY,
                domain,
                String.join("\n", canonicalLines(RecordSetKind.STS_POLICY, List.of(text.split("\r?\n")))));
    }

    /**
     * What versions are matched by: SHA-256 (lower-case hex) of the lines sorted, so that a
     * reporter listing the policy's lines or TLSA records in another order still matches.
     */
    public String digest() {
        return digest(kind, List.of(value.split("\n")));
    }

    /**
     * The digest of the lines of a report's {@code policy-string} for a record set of
     * {@code kind}, to compare with {@link #digest()}.
     */
    public static String digest(RecordSetKind kind, Collection<String> lines) {
        List<String> sorted = new ArrayList<>(canonicalLines(kind, lines));
        sorted.sort(null);
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HexFormat.of()
                    .formatHex(sha256.digest(String.join("\n", sorted).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static List<String> canonicalLines(RecordSetKind kind, Collection<String> lines) {
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            String text = line.strip();
            if (text.isEmpty()) {
                continue;
            }
            out.add(kind == RecordSetKind.TLSA ? tlsaLine(text) : policyLine(text));
        }
        if (kind == RecordSetKind.TLSA) {
            out.sort(null);
        }
        return out;
    }

    /**
     * {@code 3 1 1 ABCD EF} or {@code _25._tcp.mx1 300 IN TLSA 3 1 1 abcdef} as {@code 3 1 1
     * abcdef}: the data after a {@code TLSA} type where one is given, the hex joined and in lower
     * case.
     */
    private static String tlsaLine(String text) {
        List<String> tokens = new ArrayList<>(List.of(text.split("\\s+")));
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.get(i).equalsIgnoreCase("TLSA")) {
                tokens = tokens.subList(i + 1, tokens.size());
                break;
            }
        }
        if (tokens.size() < 4) {
            return text.toLowerCase(Locale.ROOT);
        }
        return String.join(" ", tokens.subList(0, 3)) + " "
                + String.join("", tokens.subList(3, tokens.size())).toLowerCase(Locale.ROOT);
    }

    /** {@code Mode:enforce} as {@code mode: enforce}: the key in lower case, one blank after the colon. */
    private static String policyLine(String text) {
        int colon = text.indexOf(':');
        if (colon < 0) {
            return text;
        }
        return text.substring(0, colon).strip().toLowerCase(Locale.ROOT) + ": "
                + text.substring(colon + 1).strip();
    }

    /** A host or domain name as the history keeps it: lower case, without a trailing dot. */
    public static String name(String name) {
        String lower = name.strip().toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
