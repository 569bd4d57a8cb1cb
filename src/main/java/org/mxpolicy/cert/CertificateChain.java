package org.mxpolicy.cert;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * The certificates a TLS server presents, leaf (end-entity) first, then each issuer in the
 * order of the chain, as TLS sends them (RFC 8446 section 4.4.2).
 *
 * @param source the file the chain was read from, for messages
 * @param certificates at least one certificate, leaf first
 */
public record CertificateChain(String source, List<X509Certificate> certificates) {

    public CertificateChain {
        Objects.requireNonNull(source, "source");
        certificates = List.copyOf(certificates);
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("a certificate chain needs at least the leaf");
        }
    }

    /** The server's own certificate, whose key DANE-EE (usage 3) records match. */
    public X509Certificate leaf() {
        return certificates.get(0);
    }

    /** The issuer certificates in chain order, candidates for DANE-TA (usage 2) records. */
    public List<X509Certificate> issuers() {
        return certificates.subList(1, certificates.size());
    }
}
