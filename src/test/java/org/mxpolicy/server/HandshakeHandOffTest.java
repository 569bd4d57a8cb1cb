package org.mxpolicy.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLParameters;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * When a connection's reads move from the pool to the selector thread
 * ({@link HttpsConnectionFactory#serverFlightSent}): on TLS 1.3 once the server has answered the
 * ClientHello, on TLS 1.2 not before the handshake has succeeded (the client's key share is still
 * to come). Client and server engines exchange records in memory, on both TLS engines.
 */
class HandshakeHandOffTest {

    private static final String HOST = "mta-sts.example.com";

    private SslContextFactory.Server factory;

    @BeforeEach
    void noFactoryYet() {
        factory = null;
    }

    @AfterEach
    void stop() throws Exception {
        if (factory != null) {
            factory.stop();
        }
    }

    @ParameterizedTest
    @MethodSource("org.mxpolicy.server.TlsEnginesTest#engines")
    void onTls13TheSelectorTakesOverOnceTheServerHasAnsweredTheClientHello(TlsEngine engine) throws Exception {
        Pair pair = pair(engine, "TLSv1.3");
        assertThat(HttpsConnectionFactory.serverFlightSent(pair.server)).as("before the ClientHello").isFalse();

        pair.clientToServer();
        assertThat(HttpsConnectionFactory.serverFlightSent(pair.server)).as("ClientHello read, answer not yet made").isFalse();
        pair.serverToClient();
        assertThat(pair.server.getHandshakeStatus()).isEqualTo(HandshakeStatus.NEED_UNWRAP);
        assertThat(HttpsConnectionFactory.serverFlightSent(pair.server)).as("answer made, client's Finished ahead").isTrue();
    }

    @ParameterizedTest
    @MethodSource("org.mxpolicy.server.TlsEnginesTest#engines")
    void onTls12ThePoolKeepsTheHandshakeUntilTheClientsKeyShareIsIn(TlsEngine engine) throws Exception {
        Pair pair = pair(engine, "TLSv1.2");
        pair.clientToServer();
        pair.serverToClient();
        assertThat(pair.server.getHandshakeStatus()).as("waiting for the client's key exchange")
                .isEqualTo(HandshakeStatus.NEED_UNWRAP);
        assertThat(HttpsConnectionFactory.serverFlightSent(pair.server)).isFalse();
    }

    private Pair pair(TlsEngine engine, String protocol) throws Exception {
        factory = ServerTls.forCertificates(ExampleHosts.hosts().stream().map(PolicyHost::certificate).toList(), engine);
        factory.start();
        SSLEngine server = factory.newSSLEngine();
        server.setUseClientMode(false);
        SSLEngine client = ExampleHosts.clientTrustingTestCa().createSSLEngine(HOST, 443);
        client.setUseClientMode(true);
        SSLParameters parameters = client.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName(HOST)));
        parameters.setProtocols(new String[] {protocol});
        client.setSSLParameters(parameters);
        client.beginHandshake();
        return new Pair(client, server);
    }

    /** A client and a server engine and the records between them. */
    private record Pair(SSLEngine client, SSLEngine server) {

        /** The client's next flight, read by the server (with its delegated tasks run). */
        void clientToServer() throws Exception {
            move(client, server);
        }

        /** The server's next flight, read by the client. */
        void serverToClient() throws Exception {
            move(server, client);
        }

        private static void move(SSLEngine from, SSLEngine to) throws Exception {
            ByteBuffer records = ByteBuffer.allocate(1 << 16);
            ByteBuffer nothing = ByteBuffer.allocate(0);
            while (from.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                from.wrap(nothing, records);
                runTasks(from);
            }
            records.flip();
            ByteBuffer plain = ByteBuffer.allocate(1 << 16);
            while (records.hasRemaining() && to.unwrap(records, plain).bytesConsumed() > 0) {
                runTasks(to);
            }
        }

        private static void runTasks(SSLEngine engine) {
            for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
                task.run();
            }
        }
    }
}
