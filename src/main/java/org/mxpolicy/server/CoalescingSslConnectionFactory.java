package org.mxpolicy.server;

import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Jetty's TLS connections, writing the records that go out together with one system call.
 *
 * <p>JSSE's {@link SSLEngine} gives one record per {@code wrap}, and Jetty's {@link SslConnection}
 * writes each to the socket before asking for the next. A TLS 1.3 server's answer to a
 * ClientHello is three records (ServerHello, ChangeCipherSpec, the encrypted rest): three writes,
 * where nginx makes one. Here the records of a flight are wrapped into the same buffer and
 * written at once. (A session ticket with application data behind it is joined the same way;
 * in this server the ticket still goes out alone, as Jetty sends it as soon as it has read the
 * client's Finished, before the request is answered. Conscrypt's {@code wrap} already gives all
 * it has at once; nothing changes for it.)
 *
 * <p>JSSE wraps a record only into a buffer with room for a whole packet
 * ({@code getPacketBufferSize()}, 16,709 bytes); Jetty's buffer pool hands out 20,480 bytes for
 * that, which leaves room for the few hundred bytes of a flight before it. In a buffer without
 * that room the flight goes out in several writes, as it did before.
 */
final class CoalescingSslConnectionFactory extends SslConnectionFactory {

    CoalescingSslConnectionFactory(SslContextFactory.Server tls, String nextProtocol) {
        super(tls, nextProtocol);
    }

    @Override
    protected SslConnection newSslConnection(Connector connector, EndPoint endPoint, SSLEngine engine) {
        return new SslConnection(connector.getByteBufferPool(), connector.getExecutor(), getSslContextFactory(), endPoint,
                engine, isDirectBuffersForEncryption(), isDirectBuffersForDecryption()) {
            @Override
            protected SSLEngineResult wrap(SSLEngine sslEngine, ByteBuffer[] input, ByteBuffer output) throws SSLException {
                return wrapTogether(sslEngine, input, output);
            }
        };
    }

    /**
     * Wraps as long as the engine has more records to send right away: handshake records
     * ({@code NEED_WRAP}), or application data behind a handshake record that consumed none of
     * it (a session ticket, which JSSE reports as {@code FINISHED}). Stops at a delegated task,
     * when the engine wants to read, and when the buffer has no room for another record. What
     * was wrapped is reported as one result, as if the engine had made it in one call, and
     * {@code FINISHED} is kept: Jetty learns from it that the handshake has succeeded.
     */
    static SSLEngineResult wrapTogether(SSLEngine engine, ByteBuffer[] input, ByteBuffer output) throws SSLException {
        SSLEngineResult result = engine.wrap(input, output);
        int consumed = result.bytesConsumed();
        int produced = result.bytesProduced();
        boolean finished = result.getHandshakeStatus() == HandshakeStatus.FINISHED;
        boolean joined = false;
        while (result.getStatus() == Status.OK && result.bytesProduced() > 0 && moreToSend(result, engine, input)) {
            SSLEngineResult next = engine.wrap(input, output);
            if (next.getStatus() == Status.BUFFER_OVERFLOW) {
                // Nothing was done; Jetty writes what there is and wraps again.
                break;
            }
            result = next;
            consumed += next.bytesConsumed();
            produced += next.bytesProduced();
            finished |= next.getHandshakeStatus() == HandshakeStatus.FINISHED;
            joined = true;
        }
        if (!joined) {
            return result;
        }
        return new SSLEngineResult(result.getStatus(), finished ? HandshakeStatus.FINISHED : result.getHandshakeStatus(),
                consumed, produced);
    }

    private static boolean moreToSend(SSLEngineResult result, SSLEngine engine, ByteBuffer[] input) {
        return switch (result.getHandshakeStatus()) {
            case NEED_WRAP -> true;
            case NOT_HANDSHAKING -> result.bytesConsumed() == 0 && hasRemaining(input);
            // Only application data may follow: the handshake must be over for good.
            case FINISHED -> result.bytesConsumed() == 0 && hasRemaining(input)
                    && engine.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING;
            default -> false;
        };
    }

    private static boolean hasRemaining(ByteBuffer[] buffers) {
        for (ByteBuffer buffer : buffers) {
            if (buffer.hasRemaining()) {
                return true;
            }
        }
        return false;
    }
}
