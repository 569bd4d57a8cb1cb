package org.mxpolicy.cert;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.Severity;
import org.mxpolicy.finding.SourcePosition;

class ServerCertificateChecksTest {

    private static final String HOST = "mta-sts.example.com";
    private static final SourcePosition WHERE = SourcePosition.at("provider.yaml", 20, 13);
    private static final InMemoryPki.Issuer CA = InMemoryPki.rootCa("Test Root");

    /** A certificate chain and the key presented with it. */
    private record Presented(CertificateChain chain, java.security.PrivateKey key) {}

    private static Presented host(KeyPair key, java.security.cert.X509Certificate leaf) {
        return new Presented(new CertificateChain("cert.pem", List.of(leaf, CA.certificate())), key.getPrivate());
    }

    private static List<Finding> check(Presented host, Instant now, SourcePosition where) {
        return ServerCertificateChecks.check(
                HOST, host.chain(), host.key(), ServerCertificateChecks.POLICY_CONSEQUENCE, now, where);
    }

    private static List<String> ids(List<Finding> findings) {
        return findings.stream().map(f -> f.severity() + " " + f.id()).toList();
    }

    @Test
    void aValidCertificateForTheHostPasses() {
        KeyPair key = InMemoryPki.ec("secp256r1");
        assertThat(check(host(key, InMemoryPki.issued(key, HOST, CA, false, HOST)), InMemoryPki.NOW, WHERE))
                .isEmpty();
    }

    @Test
    void aWildcardCertificateIsServedWithAWarning() {
        KeyPair key = InMemoryPki.ec("secp256r1");
        List<Finding> findings = check(
                host(key, InMemoryPki.issued(key, "*.example.com", CA, false, "*.example.com")),
                InMemoryPki.NOW,
                WHERE);
        assertThat(ids(findings)).containsExactly(Severity.WARNING + " serve.cert-wildcard");
        assertThat(findings.get(0).position()).isEqualTo(WHERE);
        assertThat(findings.get(0).message()).contains("TR-03108-08-R").contains(HOST);
    }

    @Test
    void aCertificateForAnotherHostIsServedWithAWarningNamingWhatItCovers() {
        KeyPair key = InMemoryPki.rsa(2048);
        List<Finding> findings = check(
                host(key, InMemoryPki.issued(key, "www.example.com", CA, false, "www.example.com")),
                InMemoryPki.NOW,
                WHERE);
        assertThat(ids(findings)).containsExactly(Severity.WARNING + " serve.cert-wrong-host");
        assertThat(findings.get(0).message()).contains("www.example.com").contains("add " + HOST);
    }

    @Test
    void anExpiredCertificateIsRefused() {
        KeyPair key = InMemoryPki.ec("secp256r1");
        var leaf = InMemoryPki.certificate(
                key,
                HOST,
                CA.cn(),
                CA.key().getPrivate(),
                false,
                InMemoryPki.NOW.minus(400, ChronoUnit.DAYS),
                InMemoryPki.NOW.minus(1, ChronoUnit.DAYS),
                HOST);
        List<Finding> findings = check(host(key, leaf), InMemoryPki.NOW, WHERE);
        assertThat(ids(findings)).containsExactly(Severity.ERROR + " serve.cert-expired");
        assertThat(findings.get(0).message()).contains("is not served").contains("renew");
    }

    @Test
    void expiryIsJudgedAtTheGivenTime() {
        KeyPair key = InMemoryPki.ec("secp256r1");
        var leaf = InMemoryPki.issued(key, HOST, CA, false, HOST);
        Instant afterExpiry = leaf.getNotAfter().toInstant().plusSeconds(1);
        assertThat(ids(check(host(key, leaf), afterExpiry, WHERE)))
                .containsExactly(Severity.ERROR + " serve.cert-expired");
        Instant beforeStart = leaf.getNotBefore().toInstant().minusSeconds(1);
        assertThat(ids(check(host(key, leaf), beforeStart, WHERE)))
                .containsExactly(Severity.ERROR + " serve.cert-not-yet-valid");
    }

    @Test
    void aKeyThatIsNotTheCertificatesIsRefused() {
        KeyPair key = InMemoryPki.ec("secp256r1");
        KeyPair other = InMemoryPki.ec("secp256r1");
        var leaf = InMemoryPki.issued(key, HOST, CA, false, HOST);
        assertThat(ids(check(host(other, leaf), InMemoryPki.NOW, WHERE)))
                .containsExactly(Severity.ERROR + " serve.key-mismatch");
        KeyPair rsa = InMemoryPki.rsa(2048);
        assertThat(ids(check(host(rsa, leaf), InMemoryPki.NOW, WHERE)))
                .containsExactly(Severity.ERROR + " serve.key-mismatch");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        KeyPair key = InMemoryPki.ec("secp256r1");
        var leaf = InMemoryPki.certificate(
                key,
                "*.example.org",
                CA.cn(),
                CA.key().getPrivate(),
                false,
                InMemoryPki.NOW.minus(400, ChronoUnit.DAYS),
                InMemoryPki.NOW.minus(1, ChronoUnit.DAYS),
                "*.example.org");
        assertThat(ids(check(host(InMemoryPki.ec("secp256r1"), leaf), InMemoryPki.NOW, WHERE)))
                .containsExactly(
                        Severity.ERROR + " serve.cert-expired",
                        Severity.ERROR + " serve.key-mismatch",
                        Severity.WARNING + " serve.cert-wrong-host");
    }
}
