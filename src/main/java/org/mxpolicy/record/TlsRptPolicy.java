package org.mxpolicy.record;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * A TLS-RPT policy (RFC 8460 section 3): where sending MTAs mail their reports about TLS
 * failures towards a domain. Published as TXT at {@code _smtp._tls.<domain>}; for DANE the
 * reports concern the MX host, so the same record is published under each MX host name too.
 *
 * <p>TR-03108-10-M: reports by e-mail only. {@code https:} URIs are accepted here only when the
 * caller has let them through (the config's {@code allow_https}).
 */
public record TlsRptPolicy(List<String> rua) {

    public TlsRptPolicy {
        if (rua.isEmpty()) {
            throw new IllegalArgumentException("a TLS-RPT policy needs at least one rua URI");
        }
        LinkedHashSet<String> unique = new LinkedHashSet<>();
        for (String uri : rua) {
            String scheme = uri.substring(0, Math.max(0, uri.indexOf(':'))).toLowerCase(Locale.ROOT);
            if (!scheme.equals("mailto") && !scheme.equals("https")) {
                throw new IllegalArgumentException(
                        "rua '" + uri + "': only mailto: and https: are defined (RFC 8460 section 3)");
            }
            unique.add(escape(uri));
        }
        rua = List.copyOf(unique);
    }

    /** The TXT value: {@code v=TLSRPTv1; rua=mailto:a@example.com,mailto:b@example.com}. */
    public String txtValue() {
        return "v=TLSRPTv1; rua=" + String.join(",", rua);
    }

    /** The union of several policies' URIs, first appearance first. */
    public static TlsRptPolicy union(List<TlsRptPolicy> policies) {
        LinkedHashSet<String> all = new LinkedHashSet<>();
        policies.forEach(p -> all.addAll(p.rua()));
        return new TlsRptPolicy(List.copyOf(all));
    }

    /**
     * RFC 8460 section 3: commas and exclamation marks inside a URI would be read as separators
     * (and semicolons end the field), so they are percent-encoded.
     */
    private static String escape(String uri) {
        return uri.replace(",", "%2C").replace("!", "%21").replace(";", "%3B");
    }
}
