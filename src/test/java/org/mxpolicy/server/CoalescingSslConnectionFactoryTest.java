package org.mxpolicy.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link CoalescingSslConnectionFactory#wrapTogether}: the records that go out together come out
 * of one call, so Jetty writes them with one system call, and the result reads to Jetty as one
 * wrap would (bytes, status, {@code FINISHED}). JSSE engines in memory.
 */
class CoalescingSslConnectionFactoryTest {

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void theServersAnswerToTheClientHelloIsWrappedInOneCall(String protocol) throws Exception {
        try (EnginePair pair = EnginePair.start(TlsEngine.JSSE, protocol)) {
            pair.serverReads();
            assertThat(pair.server().getHandshakeStatus()).isEqualTo(HandshakeStatus.NEED_WRAP);

            ByteBuffer records = ByteBuffer.allocate(1 << 16);
            SSLEngineResult result = CoalescingSslConnectionFactory.wrapTogether(pair.server(), new ByteBuffer[0], records);

            assertThat(result.getStatus()).isEqualTo(SSLEngineResult.Status.OK);
            assertThat(result.getHandshakeStatus()).as("the whole flight is out").isEqualTo(HandshakeStatus.NEED_UNWRAP);
            assertThat(result.bytesProduced()).isEqualTo(records.position());
            pair.clientReads(records.flip());
            assertThat(pair.client().getHandshakeStatus()).as("the client has read the whole flight and answered it")
                    .isIn(HandshakeStatus.NOT_HANDSHAKING, HandshakeStatus.NEED_UNWRAP);
            pair.serverReads();
            assertThat(pair.server().getHandshakeStatus()).as("the client's answer is complete").isEqualTo(HandshakeStatus.NEED_WRAP);
        }
    }

    @Test
    void inABufferWithRoomForOnePacketOnlyTheFlightGoesOutInSeveralWrapsAndNothingIsLost() throws Exception {
        try (EnginePair pair = EnginePair.start(TlsEngine.JSSE, "TLSv1.3")) {
            pair.serverReads();
            int packet = pair.server().getSession().getPacketBufferSize();
            ByteBuffer all = ByteBuffer.allocate(1 << 16);
            int calls = 0;
            while (pair.server().getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                ByteBuffer records = ByteBuffer.allocate(packet);
                SSLEngineResult result = CoalescingSslConnectionFactory.wrapTogether(pair.server(), new ByteBuffer[0], records);
                assertThat(result.getStatus()).isEqualTo(SSLEngineResult.Status.OK);
                assertThat(result.bytesProduced()).isEqualTo(records.position()).isPositive();
                all.put(records.flip());
                calls++;
            }
            assertThat(calls).as("no room for a second record after the first").isGreaterThan(1);
            pair.clientReads(all.flip());
            pair.serverReads();
            assertThat(pair.server().getHandshakeStatus()).as("the client got the whole flight and answered it")
                    .isEqualTo(HandshakeStatus.NEED_WRAP);
        }
    }

    @Test
    void aSessionTicketAndTheFirstAnswerAreWrappedInOneCallAndTheHandshakeReportedFinished() throws Exception {
        try (EnginePair pair = EnginePair.start(TlsEngine.JSSE, "TLSv1.3")) {
            pair.untilServerHasReadTheClientsFinished();
            assertThat(pair.server().getHandshakeStatus()).as("a session ticket to send").isEqualTo(HandshakeStatus.NEED_WRAP);

            byte[] answer = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            ByteBuffer records = ByteBuffer.allocate(1 << 16);
            SSLEngineResult result = CoalescingSslConnectionFactory.wrapTogether(pair.server(),
                    new ByteBuffer[] {ByteBuffer.wrap(answer)}, records);

            assertThat(result.getHandshakeStatus()).as("Jetty learns that the handshake succeeded")
                    .isEqualTo(HandshakeStatus.FINISHED);
            assertThat(result.bytesConsumed()).isEqualTo(answer.length);
            assertThat(result.bytesProduced()).isEqualTo(records.position());
            assertThat(pair.server().getHandshakeStatus()).isEqualTo(HandshakeStatus.NOT_HANDSHAKING);
            ByteBuffer plain = pair.clientReads(records.flip());
            assertThat(StandardCharsets.US_ASCII.decode(plain).toString()).isEqualTo(new String(answer, StandardCharsets.US_ASCII));
        }
    }

    @Test
    void applicationDataAloneIsOneWrapAsBefore() throws Exception {
        try (EnginePair pair = EnginePair.start(TlsEngine.JSSE, "TLSv1.3")) {
            pair.untilServerHasReadTheClientsFinished();
            pair.clientReads(pair.serverWraps());
            assertThat(pair.server().getHandshakeStatus()).isEqualTo(HandshakeStatus.NOT_HANDSHAKING);

            ByteBuffer first = ByteBuffer.wrap("first".getBytes(StandardCharsets.US_ASCII));
            ByteBuffer records = ByteBuffer.allocate(1 << 16);
            SSLEngineResult result = CoalescingSslConnectionFactory.wrapTogether(pair.server(), new ByteBuffer[] {first}, records);
            assertThat(result.getHandshakeStatus()).isEqualTo(HandshakeStatus.NOT_HANDSHAKING);
            assertThat(result.bytesConsumed()).isEqualTo(5);
            assertThat(StandardCharsets.US_ASCII.decode(pair.clientReads(records.flip())).toString()).isEqualTo("first");
        }
    }
}
