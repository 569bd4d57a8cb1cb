package org.mxpolicy.server;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLSession;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.CyclicTimeout;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.io.ssl.SslHandshakeListener;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.Callback;

/**
 * The HTTP/1.1 connections of the HTTPS listener: the costly part of the TLS handshake read by
 * the {@link HandshakeWorkers} and everything after it on the selector thread, and a deadline for
 * every request.
 *
 * <p><b>Handshakes off the selector.</b> {@link PolicyFirstSequence} lets the selector thread that
 * decrypts a request answer it, which for a keep-alive request saves a hand-off to another
 * thread. A TLS handshake is different: a millisecond of key exchange and signing on the selector
 * thread would hold up every other connection of that selector (measured: the 99th percentile
 * latency of 256 keep-alive connections went from tens to hundreds of milliseconds while wrk
 * opened them). So while the handshake's key exchange or signature is ahead, the selector thread
 * only queues the connection's read for the handshake workers (one pool thread per core, first
 * come first served), and the operating system shares the cores between handshakes and
 * requests. On TLS 1.3 that is only the ClientHello: the client's Finished, which usually comes
 * with the first request, is read on the selector thread; a second hand-off to the pool per
 * connection cost about a sixth of the CPU time of a connection that makes one request
 * (bench/serve.sh). On TLS 1.2 the server still has the client's key share to process, and the
 * whole handshake is read by the handshake workers.
 *
 * <p><b>Request deadline.</b> The idle timeout closes a connection on which no bytes move; a
 * client that sends a byte now and then (slowloris) never trips it and could hold a connection
 * for hours with 8 KiB of headers. Each connection therefore has to deliver a complete request
 * (handshake, headers, body) within {@link ServerLimits#requestTimeout()} of being opened or of
 * its previous answer, or it is closed. (The time the server takes to answer counts too; for
 * answers of a few hundred bytes that is nothing.)
 */
final class HttpsConnectionFactory extends HttpConnectionFactory {

    private final Duration requestTimeout;
    private final Executor handshakeWorkers;

    /**
     * @param handshakeWorkers where the costly part of handshakes runs ({@link HandshakeWorkers})
     */
    HttpsConnectionFactory(HttpConfiguration configuration, Duration requestTimeout, Executor handshakeWorkers) {
        super(configuration);
        this.requestTimeout = requestTimeout;
        this.handshakeWorkers = handshakeWorkers;
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        HttpConnection connection = new HttpsConnection(getHttpConfiguration(), connector, endPoint, requestTimeout,
                handshakeWorkers);
        connection.setTransferEncodingChunkMaxLength(getTransferEncodingChunkMaxLength());
        return configure(connection, connector, endPoint);
    }

    private static final class HttpsConnection extends HttpConnection {
        private final Duration requestTimeout;
        private final Executor handshakeWorkers;
        /** Jetty's timer for timeouts moved on every request: rescheduling allocates and locks nothing. */
        private final CyclicTimeout deadline;
        private volatile boolean handshaken;
        /** The TLS connection under this one, null without TLS. */
        private final SslConnection tls;

        HttpsConnection(HttpConfiguration configuration, Connector connector, EndPoint endPoint, Duration requestTimeout,
                Executor handshakeWorkers) {
            super(configuration, connector, endPoint);
            this.requestTimeout = requestTimeout;
            this.handshakeWorkers = handshakeWorkers;
            this.deadline = new CyclicTimeout(connector.getScheduler()) {
                @Override
                public void onTimeoutExpired() {
                    getEndPoint().close(new TimeoutException("no complete request within " + requestTimeout.toSeconds() + " s"));
                }
            };
            this.tls = endPoint instanceof SslConnection.SslEndPoint tlsEndPoint ? tlsEndPoint.getSslConnection() : null;
            if (tls != null) {
                tls.addHandshakeListener(new SslHandshakeListener() {
                    @Override
                    public void handshakeSucceeded(Event event) {
                        handshaken = true;
                    }
                });
            } else {
                handshaken = true;
            }
        }

        @Override
        public void onOpen() {
            startDeadline();
            super.onOpen();
        }

        @Override
        public void onClose(Throwable cause) {
            deadline.destroy();
            super.onClose(cause);
        }

        @Override
        public void fillInterested(Callback callback) {
            super.fillInterested(handshaken ? callback : new HandshakeCallback(callback, this));
        }

        /** Whether what the connection reads next may still cost the server a key exchange or a signature. */
        boolean handshakeWorkAhead() {
            return !handshaken && (tls == null || !serverFlightSent(tls.getSSLEngine(), tls.getBytesOut()));
        }

        @Override
        protected HttpStreamOverHTTP1 newHttpStream(String method, String uri, HttpVersion version) {
            return new DeadlineStream(method, uri, version);
        }

        /** The next request has {@code requestTimeout} from now to arrive. */
        private void startDeadline() {
            deadline.schedule(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
            // Scheduled first, checked after: a close in between cannot leave a timer behind.
            if (!getEndPoint().isOpen()) {
                deadline.destroy();
            }
        }

        /**
         * A request and its answer; when it ends, however it ends (Jetty's own error answers
         * too), the deadline of the next request starts.
         */
        private final class DeadlineStream extends HttpStreamOverHTTP1 {
            DeadlineStream(String method, String uri, HttpVersion version) {
                super(method, uri, version);
            }

            @Override
            public void succeeded() {
                super.succeeded();
                startDeadline();
            }

            @Override
            public void failed(Throwable failure) {
                super.failed(failure);
                startDeadline();
            }
        }
    }

    /**
     * Fewer bytes than any server answer to a TLS 1.3 ClientHello (ServerHello, ChangeCipherSpec,
     * encrypted extensions and Finished: at least about 200), more than a HelloRetryRequest with
     * its ChangeCipherSpec (about 100).
     */
    static final long MIN_FLIGHT_BYTES = 160;

    /**
     * Whether the server's part of a TLS 1.3 handshake is done: it has answered the ClientHello
     * (key exchange and, unless the session is resumed, certificate and signature) and waits for
     * the client's Finished, which costs a MAC to check. On TLS 1.2 the server still has the
     * client's key share to process after its first flight, so this stays false until the
     * handshake has succeeded. After a HelloRetryRequest it stays false too: the second
     * ClientHello is still to be answered. JSSE has no handshake session then, Conscrypt does;
     * the bytes sent tell the two apart, and are checked first, because Conscrypt remembers the
     * protocol it reports the first time it is asked, even before the version is agreed.
     *
     * @param bytesOut what the connection has written so far
     */
    static boolean serverFlightSent(SSLEngine engine, long bytesOut) {
        if (bytesOut < MIN_FLIGHT_BYTES || engine.getHandshakeStatus() != HandshakeStatus.NEED_UNWRAP) {
            return false;
        }
        SSLSession session = engine.getHandshakeSession();
        return session != null && "TLSv1.3".equals(session.getProtocol());
    }

    /**
     * The callback, queued for the handshake workers while the handshake's costly part is ahead
     * (the selector thread only queues it); after that, run as the wrapped callback runs, so
     * that the selector thread reads the client's Finished and the request itself.
     */
    private record HandshakeCallback(Callback callback, HttpsConnection connection) implements Callback {
        @Override
        public void succeeded() {
            if (connection.handshakeWorkAhead()) {
                connection.handshakeWorkers.execute(callback::succeeded);
            } else {
                callback.succeeded();
            }
        }

        @Override
        public void failed(Throwable failure) {
            callback.failed(failure);
        }

        @Override
        public InvocationType getInvocationType() {
            return connection.handshakeWorkAhead() ? InvocationType.NON_BLOCKING : callback.getInvocationType();
        }
    }
}
