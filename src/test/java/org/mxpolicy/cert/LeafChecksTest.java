package org.mxpolicy.cert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mxpolicy.cert.InMemoryPki.NOW;

import java.security.KeyPair;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.Severity;
import org.mxpolicy.finding.SourcePosition;

class LeafChecksTest {

    private static final KeyPair KEY = InMemoryPki.ec("secp256r1");
    private static final SourcePosition WHERE = SourcePosition.at("mxpolicy.yaml", 12, 11);
    private static final String HOST = "mx.example.org";

    @Test
    void aGoodCertificateHasNoFindings() {
        assertThat(check(NOW.minus(10, ChronoUnit.DAYS), NOW.plus(80, ChronoUnit.DAYS), HOST))
                .isEmpty();
    }

    @Test
    void wrongHost() {
        List<Finding> findings =
                check(NOW.minus(1, ChronoUnit.DAYS), NOW.plus(80, ChronoUnit.DAYS), "www.example.org", "*.example.com");

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.ERROR);
            assertThat(f.id()).isEqualTo("cert.wrong-host");
            assertThat(f.position()).isEqualTo(WHERE);
            assertThat(f.message())
                    .isEqualTo("the certificate in fullchain.pem is not valid for mx.example.org:"
                            + " it covers www.example.org, *.example.com; use the certificate of mx.example.org or add"
                            + " mx.example.org to its subjectAltName");
        });
    }

    @Test
    void expired() {
        Instant notAfter = NOW.minus(3, ChronoUnit.DAYS).minus(2, ChronoUnit.HOURS);

        List<Finding> findings = check(NOW.minus(90, ChronoUnit.DAYS), notAfter, HOST);

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
            assertThat(f.id()).isEqualTo("cert.expired");
            assertThat(f.position()).isEqualTo(WHERE);
            assertThat(f.message())
                    .startsWith(
                            "the certificate in fullchain.pem expired 3 days ago" + " (notAfter 2026-02-26T10:00:00Z)");
        });
    }

    @Test
    void notYetValid() {
        List<Finding> findings =
                check(NOW.plus(1, ChronoUnit.DAYS).plus(1, ChronoUnit.HOURS), NOW.plus(90, ChronoUnit.DAYS), HOST);

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.id()).isEqualTo("cert.not-yet-valid");
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
            assertThat(f.message())
                    .startsWith("the certificate in fullchain.pem is not valid for another 1 day"
                            + " (notBefore 2026-03-02T13:00:00Z)");
        });
    }

    @Test
    void expiresSoon() {
        assertThat(check(NOW.minus(80, ChronoUnit.DAYS), NOW.plus(13, ChronoUnit.DAYS), HOST))
                .singleElement()
                .satisfies(f -> {
                    assertThat(f.id()).isEqualTo("cert.expires-soon");
                    assertThat(f.severity()).isEqualTo(Severity.WARNING);
                    assertThat(f.message())
                            .startsWith("the certificate in fullchain.pem expires in 13 days"
                                    + " (notAfter 2026-03-14T12:00:00Z)");
                });
        assertThat(check(NOW.minus(80, ChronoUnit.DAYS), NOW.plus(14, ChronoUnit.DAYS), HOST))
                .isEmpty();
    }

    @Test
    void reportsHostAndDateTogether() {
        assertThat(check(NOW.minus(90, ChronoUnit.DAYS), NOW.minus(1, ChronoUnit.DAYS), "other.example.org"))
                .extracting(Finding::id)
                .containsExactly("cert.wrong-host", "cert.expired");
    }

    private static List<Finding> check(Instant notBefore, Instant notAfter, String... dnsNames) {
        var cert = InMemoryPki.certificate(KEY, HOST, HOST, KEY.getPrivate(), false, notBefore, notAfter, dnsNames);
        return LeafChecks.check(new CertificateChain("fullchain.pem", List.of(cert)), HOST, NOW, WHERE);
    }
}
