package org.mxpolicy.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxpolicy.testing.ExternalTool;

/**
 * The policy server's TLS settings as OpenSSL's client sees them. OpenSSL can be told to offer
 * what the JDK client refuses to (TLS 1.1, static RSA, CBC), so these refusals are the server's.
 */
class ServerTlsOpensslIT {

    private static final String HOST = "mta-sts.example.com";
    private static PolicyServer server;

    @BeforeAll
    static void start() throws Exception {
        server = PolicyServer.start(
                ServedHosts.of(ExampleHosts.hosts()),
                new ListenAddress("127.0.0.1", 0),
                new ListenAddress("127.0.0.1", 0),
                ServerLimits.DEFAULT,
                line -> {});
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** {@code openssl s_client} against the server with SNI {@code sni} and the test CA. */
    private static ExternalTool.Result handshake(String sni, String... options) {
        List<String> args = new ArrayList<>(List.of(
                "s_client",
                "-connect",
                "127.0.0.1:" + server.port(),
                "-CAfile",
                ExampleHosts.ROOT_CA.toString(),
                "-verify_return_error",
                "-brief"));
        if (sni != null) {
            args.addAll(List.of("-servername", sni));
        } else {
            args.add("-noservername");
        }
        args.addAll(List.of(options));
        return ExternalTool.require("openssl").run(args.toArray(String[]::new));
    }

    @Test
    void tls13AndTls12AeadSucceedWithTheHostsCertificate() {
        ExternalTool.Result tls13 = handshake(HOST, "-tls1_3");
        assertThat(tls13.exitCode()).as(tls13.stderr()).isZero();
        assertThat(tls13.stderr()).contains("Protocol version: TLSv1.3").contains("Verification: OK");
        ExternalTool.Result tls12 = handshake(HOST, "-tls1_2");
        assertThat(tls12.exitCode()).as(tls12.stderr()).isZero();
        assertThat(tls12.stderr())
                .contains("Protocol version: TLSv1.2")
                .containsPattern("Ciphersuite: ECDHE-\\S+-GCM-");
    }

    @Test
    void oldVersionsAreRefusedByTheServer() {
        for (String version : List.of("-tls1_1", "-tls1")) {
            ExternalTool.Result result = handshake(HOST, version, "-cipher", "DEFAULT@SECLEVEL=0");
            assertThat(result.exitCode()).as(version + ": " + result.stderr()).isNotZero();
        }
    }

    @Test
    void tls12WithoutForwardSecrecyOrWithCbcOrChaCha20IsRefused() {
        for (String ciphers : List.of(
                "AES128-GCM-SHA256:AES256-GCM-SHA384",
                "ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA384",
                "DHE-RSA-AES128-GCM-SHA256",
                "ECDHE-ECDSA-CHACHA20-POLY1305")) {
            ExternalTool.Result result = handshake(HOST, "-tls1_2", "-cipher", ciphers);
            assertThat(result.exitCode()).as(ciphers + ": " + result.stderr()).isNotZero();
        }
    }

    /**
     * A returning client resumes its TLS 1.3 session from the server's ticket (RFC 8446 section
     * 2.2): a resumption skips the certificate and its signature, so a sender that fetches the
     * policy again pays about a third of a full handshake.
     */
    @Test
    void aReturningClientResumesItsSession(@TempDir Path dir) throws Exception {
        Path session = dir.resolve("session.pem");
        byte[] request = ("GET /.well-known/mta-sts.txt HTTP/1.1\r\nHost: " + HOST + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        ExternalTool openssl = ExternalTool.require("openssl");
        List<String> connect = List.of(
                "s_client",
                "-connect",
                "127.0.0.1:" + server.port(),
                "-servername",
                HOST,
                "-CAfile",
                ExampleHosts.ROOT_CA.toString(),
                "-verify_return_error",
                "-tls1_3",
                "-ign_eof");
        ExternalTool.Result first = openssl.run(request, concat(connect, "-sess_out", session.toString()));
        assertThat(first.stdout()).as(first.stderr()).contains("New, TLSv1.3").contains("HTTP/1.1 200");
        assertThat(session).as("the client kept the server's session ticket").isNotEmptyFile();
        ExternalTool.Result second = openssl.run(request, concat(connect, "-sess_in", session.toString()));
        assertThat(second.stdout())
                .as(second.stderr())
                .contains("Reused, TLSv1.3")
                .contains("HTTP/1.1 200");
    }

    private static String[] concat(List<String> first, String... more) {
        List<String> all = new ArrayList<>(first);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @Test
    void noSniAndUnknownSniAreRefused() {
        assertThat(handshake(null, "-tls1_3").exitCode()).isNotZero();
        assertThat(handshake("mta-sts.example.org", "-tls1_3").exitCode()).isNotZero();
    }
}
