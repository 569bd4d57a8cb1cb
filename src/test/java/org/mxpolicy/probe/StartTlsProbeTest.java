package org.mxpolicy.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The SMTP side of the probe against scripted peers on loopback: the replies a real Postfix does
 * not give. The TLS side runs against Postfix in {@code StartTlsProbeIT}.
 */
class StartTlsProbeTest {

    private static final String HOST = "mx1.example.test";
    private static final StartTlsProbe PROBE = new StartTlsProbe(Duration.ofSeconds(10), "check.example.test");

    @Test
    void withoutStarttlsInTheEhloResponseTheProbeSaysSoAndQuits() throws Exception {
        try (ScriptedSmtpPeer peer = new ScriptedSmtpPeer(
                "220 mx1.example.test ESMTP\r\n",
                "250-mx1.example.test\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250 8BITMIME\r\n")) {
            SmtpObservation seen = PROBE.probe(HOST, peer.address());

            assertThat(seen.greeting()).contains("220 mx1.example.test ESMTP");
            assertThat(seen.starttlsOffered()).isFalse();
            assertThat(seen.problem()).contains("STARTTLS not offered");
            assertThat(seen.tlsEstablished()).isFalse();
            assertThat(seen.chain()).isEmpty();
            assertThat(peer.commands()).containsExactly("EHLO check.example.test", "QUIT");
        }
    }

    @Test
    void aMultiLineGreetingIsReadToItsEndBeforeEhlo() throws Exception {
        try (ScriptedSmtpPeer peer = new ScriptedSmtpPeer(
                "220-mx1.example.test ESMTP\r\n220-more text\r\n220 ready\r\n",
                "250-mx1.example.test\r\n250 STARTTLS\r\n",
                "454 4.7.0 TLS not available due to local problem\r\n")) {
            SmtpObservation seen = PROBE.probe(HOST, peer.address());

            assertThat(seen.greeting()).contains("220-mx1.example.test ESMTP");
            assertThat(seen.starttlsOffered()).isTrue();
            assertThat(seen.problem()).contains("STARTTLS refused: 454 4.7.0 TLS not available due to local problem");
            assertThat(peer.commands()).containsExactly("EHLO check.example.test", "STARTTLS", "QUIT");
        }
    }

    @Test
    void starttlsIsFoundWhateverItsCaseAndNotInsideOtherKeywords() throws Exception {
        try (ScriptedSmtpPeer peer =
                new ScriptedSmtpPeer("220 mx\r\n", "250-mx\r\n250-XSTARTTLS\r\n250 NOSTARTTLS\r\n")) {
            assertThat(PROBE.probe(HOST, peer.address()).starttlsOffered()).isFalse();
        }
        try (ScriptedSmtpPeer peer = new ScriptedSmtpPeer("220 mx\r\n", "250-mx\r\n250 starttls\r\n", "502 no\r\n")) {
            SmtpObservation seen = PROBE.probe(HOST, peer.address());
            assertThat(seen.starttlsOffered()).isTrue();
            assertThat(seen.problem()).contains("STARTTLS refused: 502 no");
        }
    }

    @Test
    void bareLfLineEndsAreAccepted() throws Exception {
        try (ScriptedSmtpPeer peer = new ScriptedSmtpPeer("220 mx1.example.test\n", "250-mx1\n250 SIZE\n")) {
            SmtpObservation seen = PROBE.probe(HOST, peer.address());

            assertThat(seen.greeting()).contains("220 mx1.example.test");
            assertThat(seen.problem()).contains("STARTTLS not offered");
        }
    }

    @Test
    void aGreetingOtherThan220EndsTheProbe() throws Exception {
        try (ScriptedSmtpPeer peer = new ScriptedSmtpPeer("554 5.7.1 no service for you\r\n")) {
            SmtpObservation seen = PROBE.probe(HOST, peer.address());

            assertThat(seen.greeting()).contains("554 5.7.1 no service for you");
            assertThat(seen.problem()).contains("greeting is not 220: 554 5.7.1 no service for you");
        }
    }

    @Test
    void anEhloRefusalIsReported() throws Exception {
        try (ScriptedSmtpPeer peer = new ScriptedSmtpPeer("220 mx\r\n", "500 5.5.1 what?\r\n")) {
            assertThat(PROBE.probe(HOST, peer.address()).problem()).contains("EHLO refused: 500 5.5.1 what?");
        }
    }

    @Test
    void silenceAfterConnectTimesOutWithTheConfiguredTimeout() throws Exception {
        StartTlsProbe impatient = new StartTlsProbe(Duration.ofMillis(300), "check.example.test");
        try (ScriptedSmtpPeer peer = new ScriptedSmtpPeer(null)) {
            SmtpObservation seen = impatient.probe(HOST, peer.address());

            assertThat(seen.problem()).contains("timed out after 300 ms waiting for the greeting");
            assertThat(seen.greeting()).isEmpty();
        }
    }

    @Test
    void aServerThatNeverEndsItsGreetingLineIsCutOff() throws Exception {
        try (ScriptedSmtpPeer peer = new ScriptedSmtpPeer("220 " + "x".repeat(10_000) + "\r\n")) {
            assertThat(PROBE.probe(HOST, peer.address()).problem())
                    .contains("reply line longer than 2048 bytes in the greeting");
        }
    }

    @Test
    void aServerThatNeverEndsItsReplyIsCutOff() throws Exception {
        try (ScriptedSmtpPeer peer = new ScriptedSmtpPeer("220 mx\r\n", "250-mx\r\n".repeat(500))) {
            assertThat(PROBE.probe(HOST, peer.address()).problem())
                    .contains("more than 100 lines in the EHLO response");
        }
    }

    @Test
    void somethingOtherThanSmtpIsReportedShownSafely() throws Exception {
        try (ScriptedSmtpPeer peer = new ScriptedSmtpPeer("SSH-2.0-OpenSSH_9.2\u001b[31m\r\n")) {
            assertThat(PROBE.probe(HOST, peer.address()).problem())
                    .contains("not an SMTP reply in the greeting: SSH-2.0-OpenSSH_9.2\\x1b[31m");
        }
    }

    @Test
    void aServerThatHangsUpIsReported() throws Exception {
        try (ScriptedSmtpPeer peer = new ScriptedSmtpPeer("220 mx\r\n")) {
            assertThat(PROBE.probe(HOST, peer.address()).problem())
                    .contains("connection closed by the server while waiting for the EHLO response");
        }
    }

    @Test
    void aClosedPortIsConnectionRefused() throws IOException {
        InetSocketAddress closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closed = new InetSocketAddress(socket.getInetAddress(), socket.getLocalPort());
        }

        SmtpObservation seen = PROBE.probe(HOST, closed);

        assertThat(seen.problem()).contains("connection refused");
        assertThat(seen.address()).isEqualTo(closed);
        assertThat(seen.host()).isEqualTo(HOST);
        assertThat(seen.greeting()).isEmpty();
    }

    @Test
    void anUnresolvedAddressIsAProblemNotAnException() {
        SmtpObservation seen = PROBE.probe(HOST, InetSocketAddress.createUnresolved("mx1.invalid", 25));

        assertThat(seen.problem()).contains("no address for mx1.invalid");
    }

    @Test
    void forwardSecrecyIsAlwaysSoInTls13AndOnlyWithEphemeralKeyExchangeIn12() {
        assertThat(StartTlsProbe.forwardSecret("TLSv1.3", "TLS_AES_128_GCM_SHA256"))
                .isTrue();
        assertThat(StartTlsProbe.forwardSecret("TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"))
                .isTrue();
        assertThat(StartTlsProbe.forwardSecret("TLSv1.2", "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384"))
                .isTrue();
        assertThat(StartTlsProbe.forwardSecret("TLSv1.2", "TLS_RSA_WITH_AES_128_GCM_SHA256"))
                .isFalse();
    }

    @Test
    void theEhloNameCannotCarryACommand() {
        assertThatThrownBy(() -> new StartTlsProbe(Duration.ofSeconds(1), "check.example.test\r\nRCPT TO:<x>"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StartTlsProbe(Duration.ZERO, "check.example.test"))
                .isInstanceOf(IllegalArgumentException.class);
        new StartTlsProbe(Duration.ofSeconds(1), "[192.0.2.1]");
    }
}
