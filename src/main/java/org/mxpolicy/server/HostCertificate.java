package org.mxpolicy.server;

import java.security.PrivateKey;
import java.util.Objects;
import org.mxpolicy.cert.CertificateChain;

/**
 * The key material the server presents for one host name, chosen by SNI.
 *
 * @param host the host name, lower case, without trailing dot
 * @param chain the certificate chain presented, leaf first
 * @param key the private key of the chain's leaf
 */
public record HostCertificate(String host, CertificateChain chain, PrivateKey key) {

    public HostCertificate {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(chain, "chain");
        Objects.requireNonNull(key, "key");
    }

    /** Never shows the key: this string may end up in logs. */
    @Override
    public String toString() {
        return "HostCertificate[" + host + ", cert=" + chain.source() + "]";
    }
}
