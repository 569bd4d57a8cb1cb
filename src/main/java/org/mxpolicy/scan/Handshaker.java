package org.mxpolicy.scan;

import org.bouncycastle.tls.crypto.TlsCrypto;

/**
 * One ClientHello to one endpoint and what came back; {@link Handshake} is the real one, tests
 * put a simulated server behind it.
 */
interface Handshaker {

    /** Connects, offers, and reports; network trouble is an answer ({@link ServerAnswer#transportFailed()}). */
    ServerAnswer offer(TlsEndpoint endpoint, Offer offer);

    /** Whether the client can take part in a key exchange with {@code group}. */
    boolean supportsGroup(int group);

    TlsCrypto crypto();
}
