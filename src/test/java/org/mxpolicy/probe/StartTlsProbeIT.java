package org.mxpolicy.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxpolicy.cert.CertificateChainReader;
import org.mxpolicy.cert.InMemoryPki;
import org.mxpolicy.testing.PostfixServer;

/** The STARTTLS probe against a real Postfix smtpd on loopback. */
class StartTlsProbeIT {

    private static final String MX1 = "mx1.example.com";
    private static final String MX2 = "mx2.example.com";
    private static final Path CERTS = Path.of("examples/certs");
    private static final Duration RELOAD_LIMIT = Duration.ofSeconds(20);

    private final StartTlsProbe probe = new StartTlsProbe(Duration.ofSeconds(10), "check.example.test");

    private static Path key(String host) {
        return CERTS.resolve(host).resolve("privkey.pem");
    }

    private static Path fullchain(String host) {
        return CERTS.resolve(host).resolve("fullchain.pem");
    }

    private static List<X509Certificate> chainIn(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return CertificateChainReader.read(in, file.toString()).certificates();
        }
    }

    @Test
    void withStarttlsTheProbeSeesTheConfiguredChainOverForwardSecretTls12OrNewer() throws Exception {
        try (PostfixServer postfix =
                PostfixServer.builder(MX1).certificate(key(MX1), fullchain(MX1)).start()) {
            SmtpObservation seen = probe.probe(MX1, postfix.address());

            assertThat(seen.problem()).as(postfix.log()).isEmpty();
            assertThat(seen.tlsEstablished()).isTrue();
            assertThat(seen.greeting()).contains("220 " + MX1 + " ESMTP");
            assertThat(seen.starttlsOffered()).isTrue();
            assertThat(seen.chain()).containsExactlyElementsOf(chainIn(fullchain(MX1)));
            assertThat(seen.protocol()).get().isIn("TLSv1.2", "TLSv1.3");
            assertThat(seen.forwardSecret()).isTrue();
            assertThat(seen.address()).isEqualTo(postfix.address());
        }
    }

    @Test
    void withoutStarttlsTheProbeReportsItNotOffered() throws Exception {
        try (PostfixServer postfix = PostfixServer.builder(MX1).starttls(false).start()) {
            SmtpObservation seen = probe.probe(MX1, postfix.address());

            assertThat(seen.starttlsOffered()).isFalse();
            assertThat(seen.problem()).contains("STARTTLS not offered");
            assertThat(seen.greeting()).contains("220 " + MX1 + " ESMTP");
            assertThat(seen.chain()).isEmpty();
            assertThat(seen.protocol()).isEmpty();
        }
    }

    @Test
    void aStoppedMxIsConnectionRefused() throws Exception {
        InetSocketAddress address;
        try (PostfixServer postfix = PostfixServer.builder(MX1).starttls(false).start()) {
            address = postfix.address();
            assertThat(probe.probe(MX1, address).greeting()).isPresent();
        }

        SmtpObservation seen = probe.probe(MX1, address);

        assertThat(seen.problem()).contains("connection refused");
        assertThat(seen.greeting()).isEmpty();
    }

    @Test
    void afterACertificateRenewalAndReloadTheProbeSeesTheNewChain(@TempDir Path dir) throws Exception {
        InMemoryPki.Issuer ca = InMemoryPki.rootCa("Renewal Test CA");
        KeyPair renewedKey = InMemoryPki.ec("secp256r1");
        X509Certificate renewed = InMemoryPki.issued(renewedKey, MX1, ca, false, MX1);
        Path newKey = dir.resolve("privkey.pem");
        Path newChain = dir.resolve("fullchain.pem");
        Files.writeString(
                newKey,
                InMemoryPki.pem("PRIVATE KEY", renewedKey.getPrivate().getEncoded()),
                StandardCharsets.US_ASCII);
        Files.writeString(newChain, InMemoryPki.pem(List.of(renewed, ca.certificate())), StandardCharsets.US_ASCII);

        try (PostfixServer postfix =
                PostfixServer.builder(MX1).certificate(key(MX1), fullchain(MX1)).start()) {
            assertThat(probe.probe(MX1, postfix.address()).chain()).containsExactlyElementsOf(chainIn(fullchain(MX1)));

            postfix.replaceCertificate(newKey, newChain);

            SmtpObservation seen = probe.probe(MX1, postfix.address());
            long deadline = System.nanoTime() + RELOAD_LIMIT.toNanos();
            while (!seen.chain().contains(renewed) && System.nanoTime() < deadline) {
                Thread.sleep(200);
                seen = probe.probe(MX1, postfix.address());
            }
            assertThat(seen.problem()).as(postfix.log()).isEmpty();
            assertThat(seen.chain())
                    .as("the chain %s s after the reload", RELOAD_LIMIT.toSeconds())
                    .containsExactly(renewed, ca.certificate());
        }
    }

    @Test
    void twoPostfixInstancesRunSideBySideEachWithItsOwnCertificate() throws Exception {
        try (PostfixServer one = PostfixServer.builder(MX1)
                        .certificate(key(MX1), fullchain(MX1))
                        .start();
                PostfixServer two = PostfixServer.builder(MX2)
                        .certificate(key(MX2), fullchain(MX2))
                        .start()) {
            assertThat(one.port()).isNotEqualTo(two.port());

            SmtpObservation first = probe.probe(MX1, one.address());
            SmtpObservation second = probe.probe(MX2, two.address());

            assertThat(first.greeting()).contains("220 " + MX1 + " ESMTP");
            assertThat(second.greeting()).contains("220 " + MX2 + " ESMTP");
            assertThat(first.chain()).containsExactlyElementsOf(chainIn(fullchain(MX1)));
            assertThat(second.chain()).containsExactlyElementsOf(chainIn(fullchain(MX2)));
        }
    }

    @Test
    void staticRsaKeyExchangeInTls12IsNotForwardSecret(@TempDir Path dir) throws Exception {
        InMemoryPki.Issuer ca = InMemoryPki.rootCa("RSA Test CA");
        KeyPair rsa = InMemoryPki.rsa(2048);
        X509Certificate leaf = InMemoryPki.issued(rsa, MX1, ca, false, MX1);
        Path key = dir.resolve("rsa.key");
        Path chain = dir.resolve("rsa.pem");
        Files.writeString(
                key, InMemoryPki.pem("PRIVATE KEY", rsa.getPrivate().getEncoded()), StandardCharsets.US_ASCII);
        Files.writeString(chain, InMemoryPki.pem(List.of(leaf, ca.certificate())), StandardCharsets.US_ASCII);

        try (PostfixServer postfix = PostfixServer.builder(MX1)
                .certificate(key, chain)
                .set("smtpd_tls_protocols", "!SSLv2, !SSLv3, !TLSv1, !TLSv1.1, !TLSv1.3")
                .set("smtpd_tls_ciphers", "high")
                .set("tls_high_cipherlist", "kRSA+AESGCM")
                .start()) {
            SmtpObservation seen = probe.probe(MX1, postfix.address());

            assertThat(seen.problem()).as(postfix.log()).isEmpty();
            assertThat(seen.protocol()).contains("TLSv1.2");
            assertThat(seen.cipherSuite()).get().asString().startsWith("TLS_RSA_");
            assertThat(seen.forwardSecret()).isFalse();
            assertThat(seen.chain()).containsExactly(leaf, ca.certificate());
        }
    }

    @Test
    void aServerWithOnlyTls11IsAHandshakeFailureThatSaysWhy() throws Exception {
        try (PostfixServer postfix = PostfixServer.builder(MX1)
                .certificate(key(MX1), fullchain(MX1))
                .set("smtpd_tls_protocols", "!SSLv2, !SSLv3, !TLSv1.2, !TLSv1.3")
                .set("smtpd_tls_ciphers", "medium")
                .set("tls_medium_cipherlist", "DEFAULT:@SECLEVEL=0")
                .start()) {
            SmtpObservation seen = probe.probe(MX1, postfix.address());

            assertThat(seen.starttlsOffered()).isTrue();
            assertThat(seen.tlsEstablished()).isFalse();
            assertThat(seen.problem())
                    .get()
                    .asString()
                    .startsWith("TLS handshake failed: ")
                    .endsWith("(this probe offers TLS 1.2 and 1.3 only; does the server offer only older versions?)");
        }
    }
}
