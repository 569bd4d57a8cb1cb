package org.mxpolicy.server;

import java.nio.ByteBuffer;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLParameters;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * A JSSE client engine trusting the examples' CA and a server engine from the policy server's TLS
 * factory, exchanging records in memory: for tests of what the server does between a handshake's
 * flights. The client answers on its own; the server wraps only when a test says so.
 * {@link #close()} stops the server's factory.
 */
final class EnginePair implements AutoCloseable {

    static final String HOST = "mta-sts.example.com";

    private final SslContextFactory.Server factory;
    private final SSLEngine client;
    private final SSLEngine server;
    /** Records the client has sent and the server not yet read. */
    private final ByteBuffer toServer = ByteBuffer.allocate(1 << 16);
    /** Bytes of records the server has wrapped so far. */
    private long serverBytesOut;

    private EnginePair(SslContextFactory.Server factory, SSLEngine client, SSLEngine server) {
        this.factory = factory;
        this.client = client;
        this.server = server;
    }

    /** A pair whose client offers only {@code protocol} and has sent its ClientHello. */
    static EnginePair start(TlsEngine engine, String protocol) throws Exception {
        SslContextFactory.Server factory = ServerTls.forCertificates(
                ExampleHosts.hosts().stream().map(PolicyHost::certificate).toList(), engine);
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
        EnginePair pair = new EnginePair(factory, client, server);
        pair.clientSends();
        return pair;
    }

    SSLEngine client() {
        return client;
    }

    SSLEngine server() {
        return server;
    }

    /** What the server has sent so far, as Jetty's {@code SslConnection.getBytesOut()} counts it. */
    long serverBytesOut() {
        return serverBytesOut;
    }

    /**
     * Drives the handshake until the server has read the client's Finished: the server's next
     * records are what follows the handshake (a TLS 1.3 session ticket).
     */
    void untilServerHasReadTheClientsFinished() throws Exception {
        serverReads();
        clientReads(serverWraps());
        serverReads();
    }

    /** The server reads what the client has sent, as far as it can before it has to send. */
    void serverReads() throws Exception {
        toServer.flip();
        unwrapAll(server, toServer);
        toServer.compact();
    }

    /** The server's records, one {@code wrap} per record, until it has nothing more to send. */
    ByteBuffer serverWraps() throws Exception {
        ByteBuffer records = ByteBuffer.allocate(1 << 16);
        ByteBuffer nothing = ByteBuffer.allocate(0);
        while (server.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
            serverBytesOut += server.wrap(nothing, records).bytesProduced();
            runTasks(server);
        }
        return records.flip();
    }

    /**
     * The client reads the server's records, sending what it has to send in between (TLS 1.3's
     * ChangeCipherSpec comes before the client may read on); returns the application data.
     */
    ByteBuffer clientReads(ByteBuffer records) throws Exception {
        ByteBuffer plain = ByteBuffer.allocate(1 << 16);
        while (records.hasRemaining()) {
            if (client.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                clientSends();
            } else if (client.unwrap(records, plain).bytesConsumed() == 0) {
                break;
            }
            runTasks(client);
        }
        clientSends();
        return plain.flip();
    }

    private void clientSends() throws Exception {
        ByteBuffer nothing = ByteBuffer.allocate(0);
        while (client.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
            client.wrap(nothing, toServer);
            runTasks(client);
        }
    }

    private static void unwrapAll(SSLEngine engine, ByteBuffer records) throws Exception {
        ByteBuffer plain = ByteBuffer.allocate(1 << 16);
        while (records.hasRemaining() && engine.unwrap(records, plain).bytesConsumed() > 0) {
            runTasks(engine);
        }
    }

    private static void runTasks(SSLEngine engine) {
        for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
            task.run();
        }
    }

    @Override
    public void close() throws Exception {
        factory.stop();
    }
}
