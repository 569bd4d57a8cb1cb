package org.mxpolicy.desired;

import java.util.List;
import org.mxpolicy.cert.CertificateChain;
import org.mxpolicy.cert.SubjectPublicKey;
import org.xbill.DNS.Name;

/**
 * An MX host as the config wants it: where it listens, the chain it should present (from disk),
 * the keys the config names for its next certificate, and the TLSA matching type of its records.
 */
public record DesiredMx(
        String host, int port, CertificateChain chain, List<SubjectPublicKey> nextKeys, int tlsaMatching) {

    public DesiredMx {
        nextKeys = List.copyOf(nextKeys);
    }

    /** {@code _<port>._tcp.<host>.}, the owner of its TLSA records (RFC 7672 section 2.2.3). */
    public Name tlsaOwner() {
        return Name.fromConstantString("_" + port + "._tcp." + host + ".");
    }
}
