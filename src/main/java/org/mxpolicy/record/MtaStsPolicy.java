package org.mxpolicy.record;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeSet;

/**
 * An MTA-STS policy (RFC 8461 section 3.2) in normal form: {@code mx} patterns lower-cased,
 * de-duplicated and sorted. The served text and the {@code id} of the {@code _mta-sts} TXT record
 * are both derived from that normal form, so the same policy always yields the same bytes and id
 * and any change to the policy yields a new id (senders refetch only when the id changes,
 * RFC 8461 section 3.1).
 */
public final class MtaStsPolicy {

    /** Upper bound of {@code max_age}: one year, RFC 8461 section 3.2. */
    public static final long MAX_AGE_LIMIT = 31_557_600;
    /** Below one day senders refetch often and a short DNS outage can lapse the policy. */
    public static final long MAX_AGE_RECOMMENDED_MINIMUM = 86_400;
    /** The id field is 1 to 32 letters or digits, RFC 8461 section 3.1. */
    public static final int ID_LENGTH = 32;

    private static final String CRLF = "\r\n";

    private final MtaStsMode mode;
    private final List<String> mx;
    private final long maxAge;
    private final String text;
    private final String id;

    public MtaStsPolicy(MtaStsMode mode, List<String> mxPatterns, long maxAge) {
        this.mode = Objects.requireNonNull(mode, "mode");
        if (maxAge < 0 || maxAge > MAX_AGE_LIMIT) {
            throw new IllegalArgumentException("max_age " + maxAge + " outside 0.." + MAX_AGE_LIMIT);
        }
        TreeSet<String> normal = new TreeSet<>();
        for (String pattern : mxPatterns) {
            normal.add(MxPattern.parse(pattern).toString());
        }
        if (normal.isEmpty() && mode != MtaStsMode.NONE) {
            throw new IllegalArgumentException("a policy in mode " + mode.keyword() + " needs at least one mx pattern");
        }
        this.mx = List.copyOf(normal);
        this.maxAge = maxAge;
        this.text = render();
        this.id = idOf(text);
    }

    public MtaStsMode mode() {
        return mode;
    }

    /** The normalised {@code mx} patterns, sorted. */
    public List<String> mx() {
        return mx;
    }

    public long maxAge() {
        return maxAge;
    }

    /** The policy file as served at {@code /.well-known/mta-sts.txt}: CRLF line endings. */
    public String text() {
        return text;
    }

    public byte[] bytes() {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The policy id: the first 128 bits of the SHA-256 of the policy text, lower-case hex. */
    public String id() {
        return id;
    }

    /** The value of the {@code _mta-sts.<domain>} TXT record, RFC 8461 section 3.1. */
    public String txtValue() {
        return "v=STSv1; id=" + id;
    }

    /** The patterns of this policy that match {@code host} (RFC 8461 section 4.1). */
    public boolean covers(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        return mx.stream().map(MxPattern::parse).anyMatch(p -> p.matches(name));
    }

    /** The hosts in {@code hosts} that no pattern of this policy matches. */
    public List<String> uncovered(List<String> hosts) {
        List<String> out = new ArrayList<>();
        for (String host : hosts) {
            if (!covers(host)) {
                out.add(host);
            }
        }
        return out;
    }

    private String render() {
        StringBuilder sb = new StringBuilder();
        sb.append("version: STSv1").append(CRLF);
        sb.append("mode: ").append(mode.keyword()).append(CRLF);
        for (String pattern : mx) {
            sb.append("mx: ").append(pattern).append(CRLF);
        }
        sb.append("max_age: ").append(maxAge).append(CRLF);
        return sb.toString();
    }

    private static String idOf(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, ID_LENGTH / 2);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MtaStsPolicy other && text.equals(other.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return "MtaStsPolicy[" + mode.keyword() + ", mx=" + mx + ", max_age=" + maxAge + "]";
    }
}
