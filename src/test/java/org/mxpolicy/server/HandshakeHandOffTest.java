package org.mxpolicy.server;

import static org.assertj.core.api.Assertions.assertThat;

import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * When a connection's reads move from the pool to the selector thread
 * ({@link HttpsConnectionFactory#serverFlightSent}): on TLS 1.3 once the server has answered the
 * ClientHello, on TLS 1.2 not before the handshake has succeeded (the client's key share is still
 * to come). Client and server engines exchange records in memory, on both TLS engines.
 */
class HandshakeHandOffTest {

    @ParameterizedTest
    @MethodSource("org.mxpolicy.server.TlsEnginesTest#engines")
    void onTls13TheSelectorTakesOverOnceTheServerHasAnsweredTheClientHello(TlsEngine engine) throws Exception {
        try (EnginePair pair = EnginePair.start(engine, "TLSv1.3")) {
            assertThat(HttpsConnectionFactory.serverFlightSent(pair.server(), pair.serverBytesOut())).as("before the ClientHello").isFalse();

            pair.serverReads();
            assertThat(HttpsConnectionFactory.serverFlightSent(pair.server(), pair.serverBytesOut())).as("ClientHello read, answer not yet made").isFalse();
            pair.clientReads(pair.serverWraps());
            assertThat(pair.server().getHandshakeStatus()).isEqualTo(HandshakeStatus.NEED_UNWRAP);
            assertThat(HttpsConnectionFactory.serverFlightSent(pair.server(), pair.serverBytesOut())).as("answer made, client's Finished ahead").isTrue();
            assertThat(pair.serverBytesOut()).isGreaterThan(HttpsConnectionFactory.MIN_FLIGHT_BYTES);
            // The same state after no more than a HelloRetryRequest (and its ChangeCipherSpec) had
            // gone out would mean a second ClientHello ahead, with the key exchange and signature.
            assertThat(HttpsConnectionFactory.serverFlightSent(pair.server(), 100)).as("a HelloRetryRequest's size").isFalse();

            pair.serverReads();
            assertThat(HttpsConnectionFactory.serverFlightSent(pair.server(), pair.serverBytesOut())).as("Finished read, session ticket to send").isFalse();
        }
    }

    @ParameterizedTest
    @MethodSource("org.mxpolicy.server.TlsEnginesTest#engines")
    void onTls12ThePoolKeepsTheHandshakeUntilTheClientsKeyShareIsIn(TlsEngine engine) throws Exception {
        try (EnginePair pair = EnginePair.start(engine, "TLSv1.2")) {
            pair.serverReads();
            pair.clientReads(pair.serverWraps());
            assertThat(pair.server().getHandshakeStatus()).as("waiting for the client's key exchange")
                    .isEqualTo(HandshakeStatus.NEED_UNWRAP);
            assertThat(HttpsConnectionFactory.serverFlightSent(pair.server(), pair.serverBytesOut())).isFalse();
        }
    }
}
