package org.mxpolicy.server;

import java.security.PrivateKey;
import java.util.Objects;
import org.mxpolicy.cert.CertificateChain;
import org.mxpolicy.record.MtaStsPolicy;

/**
 * One host the server answers for: {@code mta-sts.<domain>}, the policy it serves and the
 * certificate and key it presents when a client names it by SNI.
 *
 * @param host the policy host, lower case, without trailing dot
 * @param policy the policy served at {@code /.well-known/mta-sts.txt}
 * @param chain the certificate chain presented, leaf first
 * @param key the private key of the chain's leaf
 */
public record PolicyHost(String host, MtaStsPolicy policy, CertificateChain chain, PrivateKey key) {

    public PolicyHost {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(chain, "chain");
        Objects.requireNonNull(key, "key");
    }

    /** The key material of this host. */
    public HostCertificate certificate() {
        return new HostCertificate(host, chain, key);
    }

    /** Never shows the key: this string may end up in logs. */
    @Override
    public String toString() {
        return "PolicyHost[" + host + ", " + policy + ", cert=" + chain.source() + "]";
    }
}
