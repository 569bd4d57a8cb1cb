package org.mxpolicy.scan;

import java.util.List;

/**
 * What a server accepts in one protocol version.
 *
 * @param version the JSSE name, e.g. {@code TLSv1.2}
 * @param suites IANA names of the cipher suites accepted, in the server's order of preference when
 *     {@code order} is {@link CipherOrder#SERVER}
 * @param order whose order decides
 * @param groups IANA names of the key-exchange groups accepted (elliptic curves for ECDHE before
 *     TLS 1.3), in the order tried
 * @param signatureSchemes IANA names of the signature schemes the server signs its key exchange
 *     with, when offered alone; empty before TLS 1.2
 */
public record VersionScan(
        String version, List<String> suites, CipherOrder order, List<String> groups, List<String> signatureSchemes) {

    public VersionScan {
        suites = List.copyOf(suites);
        groups = List.copyOf(groups);
        signatureSchemes = List.copyOf(signatureSchemes);
    }

    /** The suite the server chooses when offered all it accepts (the first of its order). */
    public String firstChoice() {
        return suites.isEmpty() ? "" : suites.get(0);
    }
}
