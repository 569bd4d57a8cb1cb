package org.mxpolicy.cert;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * Which host names a server certificate is valid for, as RFC 6125 section 6.4 says: the
 * subjectAltName dNSName entries, or the subject common name only when the certificate has no
 * dNSName at all (section 6.4.4). Names compare case-insensitively, ignoring a trailing dot. A
 * wildcard counts only as the whole leftmost label and stands for exactly one label
 * (section 6.4.3), and never directly below a top-level label ({@code *.com}).
 */
public final class HostNames {

    /** GeneralName tag of dNSName, RFC 5280 section 4.2.1.6. */
    private static final int DNS_NAME = 2;

    private static final String WILDCARD_LABEL = "*.";

    private HostNames() {}

    /** The dNSName entries of the subjectAltName extension, as written in the certificate. */
    public static List<String> dnsNames(X509Certificate cert) {
        Collection<List<?>> names;
        try {
            names = cert.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            // A damaged extension names nothing; the host check then reports the certificate.
            return List.of();
        }
        if (names == null) {
            return List.of();
        }
        List<String> dns = new ArrayList<>();
        for (List<?> name : names) {
            if (name.size() >= 2 && Integer.valueOf(DNS_NAME).equals(name.get(0)) && name.get(1) instanceof String s) {
                dns.add(s);
            }
        }
        return List.copyOf(dns);
    }

    /**
     * The names the certificate is checked against: its dNSNames, or its subject common names
     * when it has no dNSName.
     */
    public static List<String> presentedNames(X509Certificate cert) {
        List<String> dns = dnsNames(cert);
        return dns.isEmpty() ? commonNames(cert) : dns;
    }

    /** Whether the certificate is valid for the host name. */
    public static boolean covers(X509Certificate cert, String host) {
        return presentedNames(cert).stream().anyMatch(name -> matches(name, host));
    }

    /** Whether a presented name is a wildcard ({@code *.example.org}). */
    public static boolean isWildcard(String presentedName) {
        return presentedName.startsWith(WILDCARD_LABEL);
    }

    /** Whether any name the certificate is checked against is a wildcard. */
    public static boolean isWildcard(X509Certificate cert) {
        return presentedNames(cert).stream().anyMatch(HostNames::isWildcard);
    }

    /** RFC 6125 section 6.4.3 matching of one presented name against a host name. */
    static boolean matches(String presentedName, String host) {
        String presented = normalize(presentedName);
        String reference = normalize(host);
        if (presented.isEmpty() || reference.isEmpty()) {
            return false;
        }
        if (!isWildcard(presented)) {
            return !presented.contains("*") && presented.equals(reference);
        }
        String parent = presented.substring(WILDCARD_LABEL.length());
        if (parent.contains("*") || !parent.contains(".")) {
            return false;
        }
        int firstDot = reference.indexOf('.');
        return firstDot > 0 && reference.substring(firstDot + 1).equals(parent);
    }

    private static String normalize(String name) {
        String lower = name.strip().toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    private static List<String> commonNames(X509Certificate cert) {
        X500Name subject = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
        return Arrays.stream(subject.getRDNs(BCStyle.CN))
                .map(RDN::getFirst)
                .map(cn -> cn.getValue() instanceof ASN1String text
                        ? text.getString()
                        : IETFUtils.valueToString(cn.getValue()))
                .toList();
    }
}
