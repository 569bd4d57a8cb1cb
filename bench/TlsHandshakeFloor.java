import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.mxpolicy.cert.CertificateChain;
import org.mxpolicy.cert.PrivateKeyReader;
import org.mxpolicy.server.HostCertificate;
import org.mxpolicy.server.ServerTls;
import org.mxpolicy.server.TlsEngine;

/**
 * The floor under `mxpolicy serve`'s handshake rate: the server side of a TLS connection done by
 * the TLS engine alone, with no network, no Jetty and no HTTP. A JSSE client and the server's
 * engine (made by the same {@link ServerTls} factory as the server's, so the same suites, key
 * share and session tickets) exchange records through byte buffers in one thread: a TLS 1.3
 * handshake that resumes the previous session, as wrk's do in bench/serve.sh, one request record
 * in and one answer record out, and the server's close_notify. Only the time spent in the server
 * engine's calls is counted.
 *
 * <p>Run by bench/serve.sh: {@code java -cp target/mxpolicy.jar bench/TlsHandshakeFloor.java
 * ENGINE [resumed|full]}. Prints one line: {@code floor ENGINE MODE µs bytes}, the server engine's
 * time per connection and the bytes it sent.
 */
public final class TlsHandshakeFloor {

    private static final String HOST = "mta-sts.example.com";
    private static final byte[] REQUEST = ("GET /.well-known/mta-sts.txt HTTP/1.1\r\nHost: " + HOST + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ANSWER = "HTTP/1.1 200 OK\r\nContent-Length: 90\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private long serverNanos;
    private long serverBytes;

    public static void main(String[] args) throws Exception {
        TlsEngine engine = TlsEngine.of(args.length > 0 && args[0].equals("conscrypt")
                ? TlsEngine.Choice.CONSCRYPT : TlsEngine.Choice.JSSE);
        boolean resumed = args.length < 2 || args[1].equals("resumed");
        Path certs = Path.of("examples/certs", HOST);
        List<X509Certificate> chain;
        try (InputStream in = Files.newInputStream(certs.resolve("fullchain.pem"))) {
            chain = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(X509Certificate.class::cast).toList();
        }
        HostCertificate host;
        try (InputStream in = Files.newInputStream(certs.resolve("privkey.pem"))) {
            host = new HostCertificate(HOST, new CertificateChain("fullchain.pem", chain), PrivateKeyReader.read(in, "privkey.pem"));
        }
        SslContextFactory.Server server = ServerTls.forCertificates(List.of(host), engine);
        server.start();
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, new TrustManager[] {new TrustingEveryone()}, null);

        TlsHandshakeFloor floor = new TlsHandshakeFloor();
        // Warm-up rounds first (the JIT), then the measured one.
        int connections = 0;
        for (int round = 0; round < 4; round++) {
            floor.serverNanos = 0;
            floor.serverBytes = 0;
            connections = round < 3 ? 4000 : 8000;
            for (int i = 0; i < connections; i++) {
                // The same peer (host and port) lets the client offer its last session.
                floor.connection(server, client, resumed ? 443 : 10_000 + round * 10_000 + i);
            }
        }
        // The bytes tell a resumption (no certificate chain) from a full handshake.
        System.out.printf("floor %s %s %.0f us %d bytes%n", args.length > 0 ? args[0] : "jsse", resumed ? "resumed" : "full",
                floor.serverNanos / 1e3 / connections, floor.serverBytes / connections);
        server.stop();
    }

    private void connection(SslContextFactory.Server server, SSLContext clientContext, int port) throws Exception {
        SSLEngine client = clientContext.createSSLEngine(HOST, port);
        client.setUseClientMode(true);
        SSLParameters parameters = client.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName(HOST)));
        client.setSSLParameters(parameters);
        long start = System.nanoTime();
        SSLEngine engine = server.newSSLEngine();
        engine.setUseClientMode(false);
        serverNanos += System.nanoTime() - start;

        ByteBuffer toServer = ByteBuffer.allocate(1 << 16);
        ByteBuffer toClient = ByteBuffer.allocate(1 << 16);
        ByteBuffer clientPlain = ByteBuffer.allocate(1 << 16);
        ByteBuffer serverPlain = ByteBuffer.allocate(1 << 16);
        ByteBuffer nothing = ByteBuffer.allocate(0);
        ByteBuffer request = ByteBuffer.wrap(REQUEST);
        client.beginHandshake();
        for (int step = 0; step < 50 && clientPlain.position() == 0; step++) {
            // The client: handshake records, then the request once the handshake is done.
            boolean done = client.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING;
            client.wrap(done ? request : nothing, toServer);
            runTasks(client);
            toClient.flip();
            while (toClient.hasRemaining() && client.unwrap(toClient, clientPlain).bytesConsumed() > 0) {
                runTasks(client);
            }
            toClient.compact();

            start = System.nanoTime();
            toServer.flip();
            while (toServer.hasRemaining() && engine.unwrap(toServer, serverPlain).bytesConsumed() > 0) {
                runTasks(engine);
            }
            toServer.compact();
            if (serverPlain.position() > 0) {
                serverPlain.clear();
                ByteBuffer answer = ByteBuffer.wrap(ANSWER);
                // A wrap while the engine still has handshake records (the session ticket) sends those first.
                for (int i = 0; i < 4 && answer.hasRemaining(); i++) {
                    serverBytes += engine.wrap(answer, toClient).bytesProduced();
                    runTasks(engine);
                }
            } else {
                serverBytes += engine.wrap(nothing, toClient).bytesProduced();
                runTasks(engine);
            }
            serverNanos += System.nanoTime() - start;
        }
        if (clientPlain.position() == 0) {
            throw new IllegalStateException("no answer after 50 steps: client " + client.getHandshakeStatus()
                    + ", server " + engine.getHandshakeStatus());
        }
        start = System.nanoTime();
        engine.closeOutbound();
        engine.wrap(nothing, toClient);
        serverNanos += System.nanoTime() - start;
    }

    private static void runTasks(SSLEngine engine) {
        for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
            task.run();
        }
    }

    /** The client's trust is not what is measured; the server's certificate is the example one. */
    private static final class TrustingEveryone implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
