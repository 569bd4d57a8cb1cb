package org.mxpolicy.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mxpolicy.tls.TlsRuleSet;

/** Real sockets: a local server that drops sessions or puts them off, with no TLS behind it. */
class TlsScannerDropTest {

    private static final TlsRuleSet RULES =
            TlsRuleSet.inForceAt(LocalDate.of(2026, 1, 1)).orElseThrow();

    private final AtomicInteger sessions = new AtomicInteger();
    private ServerSocket server;
    private Thread acceptor;

    /** How the server ends a session that is not SMTP. */
    private enum Close {
        RESET,
        QUIETLY
    }

    private InetSocketAddress serve(Close close) throws IOException {
        return serve(false, 0, close);
    }

    private InetSocketAddress serve(boolean smtp, int deferred) throws IOException {
        return serve(smtp, deferred, Close.QUIETLY);
    }

    /**
     * Each session: SMTP answers the first {@code deferred} with 421, the rest with an EHLO
     * response without STARTTLS; otherwise the ClientHello is read and the connection closed.
     */
    private InetSocketAddress serve(boolean smtp, int deferred, Close close) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket socket = server.accept()) {
                    int session = sessions.incrementAndGet();
                    if (!smtp) {
                        socket.getInputStream().read(new byte[512]);
                        if (close == Close.RESET) {
                            socket.setSoLinger(true, 0);
                        }
                        continue;
                    }
                    OutputStream out = socket.getOutputStream();
                    if (session <= deferred) {
                        out.write("421 4.7.0 try again later\r\n".getBytes(StandardCharsets.US_ASCII));
                        continue;
                    }
                    BufferedReader in = new BufferedReader(
                            new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
                    out.write("220 mx.example.test ESMTP\r\n".getBytes(StandardCharsets.US_ASCII));
                    in.readLine();
                    out.write("250-mx.example.test\r\n250 8BITMIME\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    in.readLine();
                } catch (IOException e) {
                    // closed by the test, or the client went away
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        acceptor.join(5000);
    }

    private static TlsScan scan(InetSocketAddress address, TlsStart start) throws InterruptedException {
        try (TlsScanner scanner = new TlsScanner(
                new AddressLimit(1),
                Duration.ofMillis(10),
                deadlines -> new Handshake(
                        new BcTlsCrypto(new SecureRandom()),
                        Duration.ofSeconds(5),
                        "scanner.example.test",
                        deadlines))) {
            return scanner.scan(new TlsEndpoint("mx.example.test", address, start));
        }
    }

    @Test
    void aServerThatResetsEveryConnectionGivesAnUnknownHandshakeAfterTheRetries() throws Exception {
        TlsScan scan = scan(serve(Close.RESET), TlsStart.IMPLICIT);

        assertThat(scan.connected()).as(scan.toString()).isTrue();
        assertThat(scan.gaps()).as(scan.toString()).extracting(ScanGap::probe).containsOnly(ScanGap.Probe.VERSION);
        assertThat(scan.gaps()).hasSize(TlsNames.VERSIONS.size());
        assertThat(sessions.get()).isEqualTo(3 * TlsNames.VERSIONS.size());
        List<RuleFinding> findings = TlsConformance.judge(scan, RULES, "03-M");
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.check()).isEqualTo("tls.handshake");
            assertThat(f.verdict()).isEqualTo(Verdict.UNKNOWN);
        });
    }

    @Test
    void aCloseWithoutAByteOfTlsIsARefusalAsDovecotMakesIt() throws Exception {
        TlsScan scan = scan(serve(Close.QUIETLY), TlsStart.IMPLICIT);

        assertThat(scan.gaps()).isEmpty();
        assertThat(sessions.get()).isEqualTo(TlsNames.VERSIONS.size());
        assertThat(TlsConformance.judge(scan, RULES, "03-M"))
                .extracting(RuleFinding::verdict)
                .containsExactly(Verdict.FAIL);
    }

    @Test
    void smtp421IsTriedAgainAndTheServersRealRefusalJudged() throws Exception {
        TlsScan scan = scan(serve(true, 2), TlsStart.SMTP);

        assertThat(scan.gaps()).isEmpty();
        assertThat(scan.problem()).get().asString().contains("STARTTLS not offered");
        assertThat(scan.handshakes()).isEqualTo(TlsNames.VERSIONS.size() + 2);
        List<RuleFinding> findings = TlsConformance.judge(scan, RULES, "03-M");
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.check()).isEqualTo("tls.handshake");
            assertThat(f.verdict()).isEqualTo(Verdict.FAIL);
        });
    }

    @Test
    void smtp421EveryTimeIsUnknownNotAFailure() throws Exception {
        TlsScan scan = scan(serve(true, Integer.MAX_VALUE), TlsStart.SMTP);

        assertThat(scan.gaps()).hasSize(TlsNames.VERSIONS.size());
        assertThat(scan.gaps().get(0).reason()).contains("421");
        assertThat(TlsConformance.judge(scan, RULES, "03-M"))
                .extracting(RuleFinding::verdict)
                .containsExactly(Verdict.UNKNOWN);
    }
}
