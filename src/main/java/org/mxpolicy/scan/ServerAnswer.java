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
 * @param dropped whether the connection was lost before the server answered the offer (timeout,
 *     reset, end before the whole ServerHello, STARTTLS put off with a 4xx): like an unreached server it says nothing
 *     about the offer, unlike an alert or a ServerHello
 */
record ServerAnswer(
        Optional<String> version,
        int suite,
        int group,
        boolean completed,
        List<X509Certificate> chain,
        Optional<String> problem,
        boolean reached,
        boolean dropped) {

    ServerAnswer {
        chain = List.copyOf(chain);
    }

    /** The server chose something of the offer. */
    boolean accepted() {
        return version.isPresent() && suite >= 0;
    }

    /** The connection failed or was lost before an answer: worth another try, and no answer if it stays so. */
    boolean transportFailed() {
        return !reached || dropped;
    }

    /** The server refused the offer: an alert, or a STARTTLS it does not offer. */
    static ServerAnswer refused(String problem) {
        return new ServerAnswer(Optional.empty(), -1, -1, false, List.of(), Optional.of(problem), true, false);
    }

    static ServerAnswer unreachable(String problem) {
        return new ServerAnswer(Optional.empty(), -1, -1, false, List.of(), Optional.of(problem), false, false);
    }

    static ServerAnswer dropped(String problem) {
        return new ServerAnswer(Optional.empty(), -1, -1, false, List.of(), Optional.of(problem), true, true);
    }
}
