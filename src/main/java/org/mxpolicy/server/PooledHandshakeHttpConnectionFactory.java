package org.mxpolicy.server;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.io.ssl.SslHandshakeListener;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.Callback;

/**
 * HTTP/1.1 over TLS with the handshake on a pool thread and the requests after it on the
 * selector thread.
 *
 * <p>{@link PolicyFirstSequence} lets the selector thread that decrypts a request answer it, which
 * for a keep-alive request saves a hand-off to another thread. A TLS handshake is different: a
 * millisecond of key exchange and signing on the selector thread would hold up every other
 * connection of that selector (measured: the 99th percentile latency of 256 keep-alive
 * connections went from tens to hundreds of milliseconds while wrk opened them). So until the
 * handshake has succeeded the connection asks to be read from a pool thread, and the operating
 * system shares the cores between handshakes and requests.
 */
final class PooledHandshakeHttpConnectionFactory extends HttpConnectionFactory {

    PooledHandshakeHttpConnectionFactory(HttpConfiguration configuration) {
        super(configuration);
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        HttpConnection connection = new HandshakeAwareConnection(getHttpConfiguration(), connector, endPoint);
        connection.setTransferEncodingChunkMaxLength(getTransferEncodingChunkMaxLength());
        return configure(connection, connector, endPoint);
    }

    private static final class HandshakeAwareConnection extends HttpConnection {
        private volatile boolean handshaken;

        HandshakeAwareConnection(HttpConfiguration configuration, Connector connector, EndPoint endPoint) {
            super(configuration, connector, endPoint);
            if (endPoint instanceof SslConnection.SslEndPoint tls) {
                tls.getSslConnection().addHandshakeListener(new SslHandshakeListener() {
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
        public void fillInterested(Callback callback) {
            super.fillInterested(handshaken ? callback : new Blocking(callback));
        }
    }

    /** The same callback, declared blocking, so that the selector hands it to a pool thread. */
    private record Blocking(Callback callback) implements Callback {
        @Override
        public void succeeded() {
            callback.succeeded();
        }

        @Override
        public void failed(Throwable failure) {
            callback.failed(failure);
        }

        @Override
        public InvocationType getInvocationType() {
            return InvocationType.BLOCKING;
        }
    }
}
