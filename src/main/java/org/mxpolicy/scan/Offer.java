package org.mxpolicy.scan;

import java.util.List;

/**
 * What one ClientHello offers, by code point.
 *
 * @param versions the protocol versions, newest first
 * @param suites the cipher suites, in the client's order of preference
 * @param groups the supported groups; in TLS 1.3 the first gets a key share
 * @param signatureSchemes the signature_algorithms (TLS 1.2 and 1.3)
 * @param helloOnly stop at the ServerHello (enough to learn the version, suite and TLS 1.3 group)
 *     instead of completing the handshake (needed to see the certificate and a signature)
 */
record Offer(
        List<TlsNames.Version> versions,
        List<Integer> suites,
        List<Integer> groups,
        List<Integer> signatureSchemes,
        boolean helloOnly) {

    Offer {
        versions = List.copyOf(versions);
        suites = List.copyOf(suites);
        groups = List.copyOf(groups);
        signatureSchemes = List.copyOf(signatureSchemes);
        if (versions.isEmpty() || suites.isEmpty()) {
            throw new IllegalArgumentException("an offer needs a version and a cipher suite");
        }
    }

    Offer withSuites(List<Integer> other) {
        return new Offer(versions, other, groups, signatureSchemes, helloOnly);
    }
}
