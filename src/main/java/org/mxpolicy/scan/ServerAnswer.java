package org.mxpolicy.scan;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * What the server answered to one {@link Offer}.
 *
 * @param version the version it chose, when it answered with a ServerHello
 * @param suite the cipher suite it chose, or -1
 * @param group the key-exchange group it chose, or -1 when not seen
 * @param completed whether the handshake completed (the server's signature verified)
 * @param chain the certificates it sent, leaf first; empty when none was seen
 * @param problem why there was no ServerHello or no completed handshake, when that was asked for
 * @param reached whether a connection was made: false when it failed or timed out, which says
 *     nothing about the offer
 */
record ServerAnswer(
        Optional<String> version,
        int suite,
        int group,
        boolean completed,
        List<X509Certificate> chain,
        Optional<String> problem,
        boolean reached) {

    ServerAnswer {
        chain = List.copyOf(chain);
    }

    /** The server chose something of the offer. */
    boolean accepted() {
        return version.isPresent() && suite >= 0;
    }

    static ServerAnswer refused(String problem) {
        return new ServerAnswer(Optional.empty(), -1, -1, false, List.of(), Optional.of(problem), true);
    }

    static ServerAnswer unreachable(String problem) {
        return new ServerAnswer(Optional.empty(), -1, -1, false, List.of(), Optional.of(problem), false);
    }
}
