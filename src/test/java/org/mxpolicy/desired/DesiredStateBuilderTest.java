package org.mxpolicy.desired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mxpolicy.cert.CertificateChain;
import org.mxpolicy.cert.InMemoryPki;
import org.mxpolicy.cert.SubjectPublicKey;
import org.mxpolicy.config.ConfigLoader;
import org.mxpolicy.config.FileReference;
import org.mxpolicy.config.ProviderConfig;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.SourcePosition;
import org.mxpolicy.zone.RecordText;
import org.mxpolicy.zone.ZoneFragment;

/** The desired state from a config and certificates made in memory (no files). */
class DesiredStateBuilderTest {

    private static final InMemoryPki.Issuer ROOT = InMemoryPki.rootCa("Test Root");
    private static final InMemoryPki.Issuer CA = InMemoryPki.intermediateCa("Test CA", ROOT);

    /** Certificates by the path the config names them with. */
    private final Map<String, Object> files = new HashMap<>();

    private final CertificateSource source = new CertificateSource() {
        @Override
        public CertificateChain chain(FileReference file) throws InvalidInputException {
            Object o = lookup(file);
            if (o instanceof CertificateChain chain) {
                return chain;
            }
            throw new InvalidInputException(
                    "cert.not-a-certificate", SourcePosition.file(file.path()), "not a certificate");
        }

        @Override
        public SubjectPublicKey publicKey(FileReference file) throws InvalidInputException {
            return (SubjectPublicKey) lookup(file);
        }

        @Override
        public List<X509Certificate> certificates(FileReference file) throws InvalidInputException {
            return chain(file).certificates();
        }

        private Object lookup(FileReference file) throws InvalidInputException {
            Object o = files.get(file.path());
            if (o == null) {
                throw new InvalidInputException("input.unreadable", file.position(), "no such file");
            }
            return o;
        }
    };

    private void serverCertificate(String path, String host) {
        KeyPair key = InMemoryPki.ec("secp256r1");
        X509Certificate leaf = InMemoryPki.issued(key, host, CA, false, host);
        files.put(path, new CertificateChain(path, List.of(leaf, CA.certificate())));
    }

    private static ProviderConfig config(String yaml) throws InvalidInputException {
        return ConfigLoader.load(new StringReader(yaml), "test.yaml").config();
    }

    private DesiredState build(String yaml) throws InvalidInputException {
        return new DesiredStateBuilder(source, InMemoryPki.NOW).build(config(yaml));
    }

    private static List<String> lines(ZoneFragment zone) {
        return zone.records().stream().map(RecordText::line).toList();
    }

    @Test
    void recordsGoToTheMostSpecificConfiguredZone() throws Exception {
        serverCertificate("mx.pem", "mx.mail.example.com");

        DesiredState state = build("""
                zones:
                  example.com: {}
                  mail.example.com: { ttl: 300 }
                domains:
                  - name: example.com
                    mx: [{ host: mx.mail.example.com, cert: mx.pem }]
                    tls_rpt: { rua: mailto:tlsrpt@example.com }
                """);

        assertThat(state.zones()).extracting(ZoneFragment::zoneName).containsExactly("example.com", "mail.example.com");
        assertThat(lines(state.zones().get(0)))
                .containsExactly("_smtp._tls.example.com. 3600 IN TXT \"v=TLSRPTv1; rua=mailto:tlsrpt@example.com\"");
        assertThat(lines(state.zones().get(1)))
                .anyMatch(l -> l.startsWith("_25._tcp.mx.mail.example.com. 600 IN TLSA 3 1 1 "))
                .anyMatch(l -> l.startsWith("_25._tcp.mx.mail.example.com. 600 IN TLSA 2 1 1 "))
                .contains("_smtp._tls.mx.mail.example.com. 300 IN TXT \"v=TLSRPTv1; rua=mailto:tlsrpt@example.com\"");
    }

    @Test
    void sharedMxHostGetsOneTlsaRrsetAndTheUnionOfReportAddresses() throws Exception {
        serverCertificate("mx.pem", "mx.example.com");

        DesiredState state = build("""
                zones: { example.com: {}, example.net: {} }
                domains:
                  - name: example.com
                    mx: [{ host: mx.example.com, cert: mx.pem }]
                    tls_rpt: { rua: mailto:a@example.com }
                  - name: example.net
                    mx: [{ host: mx.example.com, cert: mx.pem }]
                    tls_rpt: { rua: mailto:b@example.net }
                """);

        List<String> com = lines(state.zones().get(0));
        assertThat(com.stream().filter(l -> l.contains(" TLSA 3 1 1 "))).hasSize(1);
        assertThat(com)
                .contains(
                        "_smtp._tls.mx.example.com. 3600 IN TXT \"v=TLSRPTv1; rua=mailto:a@example.com,mailto:b@example.net\"");
    }

    @Test
    void oneZoneAloneHasTheSameRecordsAsInTheWholeStateWithTheOtherDomainsReportAddresses() throws Exception {
        serverCertificate("mx.pem", "mx.example.com");
        String yaml = """
                zones: { example.com: {}, example.net: {}, example.org: {} }
                domains:
                  - name: example.net
                    mx: [{ host: mx.example.com, cert: mx.pem }]
                    mta_sts: { mode: enforce }
                    tls_rpt: { rua: mailto:b@example.net }
                  - name: example.com
                    mx: [{ host: mx.example.com, cert: mx.pem }]
                    mta_sts: { mode: testing }
                    tls_rpt: { rua: mailto:a@example.com }
                  - name: example.org
                    mx: [{ host: mx.example.com, cert: mx.pem }]
                """;

        ZoneFragment alone = new DesiredStateBuilder(source, InMemoryPki.NOW).zone(config(yaml), "example.com");

        assertThat(lines(alone)).isEqualTo(lines(build(yaml).zones().get(0)));
        assertThat(lines(alone))
                .contains("_smtp._tls.mx.example.com. 3600 IN TXT"
                        + " \"v=TLSRPTv1; rua=mailto:b@example.net,mailto:a@example.com\"")
                .noneMatch(l -> l.contains("example.net. ") && !l.contains("mailto:"));
    }

    @Test
    void describesWhatACheckObserves() throws Exception {
        serverCertificate("mx.pem", "mx.example.com");
        files.put(
                "next.pem",
                SubjectPublicKey.of(InMemoryPki.issued(
                        InMemoryPki.ec("secp256r1"), "mx.example.com", CA, false, "mx.example.com")));

        DesiredState state = build("""
                zones:
                  example.com: { nameservers: [192.0.2.53] }
                  example.net: {}
                domains:
                  - name: example.com
                    mx: [{ host: mx.example.com, port: 2525, cert: mx.pem, next_key: next.pem }]
                    tls_rpt: { rua: "mailto:a@example.com" }
                  - name: example.net
                    mx: [{ host: mx.example.com, port: 2525, cert: mx.pem, next_key: next.pem }]
                """);

        assertThat(state.mxHosts()).singleElement().satisfies(mx -> {
            assertThat(mx.tlsaOwner()).hasToString("_2525._tcp.mx.example.com.");
            assertThat(mx.chain().leaf()).isEqualTo(((CertificateChain) files.get("mx.pem")).leaf());
            assertThat(mx.nextKeys()).containsExactly((SubjectPublicKey) files.get("next.pem"));
        });
        assertThat(state.domains())
                .containsExactly(
                        new DesiredDomain("example.com", List.of("mx.example.com"), true),
                        new DesiredDomain("example.net", List.of("mx.example.com"), false));
        assertThat(state.nameservers())
                .containsEntry("example.com", List.of(new Nameserver("192.0.2.53", 53)))
                .containsEntry("example.net", List.of());
        assertThat(state.httpsReportOwners()).isEmpty();
    }

    @Test
    void everyCertificateProblemOfEveryHostIsReportedTogether() throws Exception {
        serverCertificate("mx1.pem", "mx1.example.com");

        assertThatThrownBy(() -> build("""
                zones: { example.com: {} }
                domains:
                  - name: example.com
                    mx:
                      - { host: mx1.example.com, cert: mx1.pem, next_key: missing.key }
                      - { host: mx2.example.com, cert: mx1.pem }
                      - { host: mx3.example.com, cert: missing.pem }
                """))
                .isInstanceOfSatisfying(
                        InvalidInputException.class,
                        e -> assertThat(e.findings())
                                .extracting(Finding::id)
                                .containsExactlyInAnyOrder("input.unreadable", "cert.wrong-host", "input.unreadable"));
    }

    @Test
    void mxHostsNotCoveredByTheMtaStsPolicyAreWarnedAbout() throws Exception {
        serverCertificate("mx1.pem", "mx1.example.com");
        serverCertificate("mx2.pem", "mx2.example.org");

        DesiredState state = build("""
                zones: { example.com: {}, example.org: {} }
                domains:
                  - name: example.com
                    mx:
                      - { host: mx1.example.com, cert: mx1.pem }
                      - { host: mx2.example.org, cert: mx2.pem }
                    mta_sts: { mode: enforce, mx: ["*.example.com"] }
                """);

        assertThat(state.findings()).extracting(Finding::id).containsExactly("mta-sts.mx-not-covered");
        assertThat(state.findings().get(0).message()).contains("mx2.example.org");
        DomainPolicy policy = state.policy("example.com").orElseThrow();
        assertThat(lines(state.zones().get(0)))
                .contains("_mta-sts.example.com. 3600 IN TXT \"v=STSv1; id="
                        + policy.policy().id() + "\"");
    }

    @Test
    void mtaStsPolicyDefaultsToTheDomainsMxHosts() throws Exception {
        serverCertificate("mx1.pem", "mx1.example.com");

        DesiredState state = build("""
                zones: { example.com: {} }
                domains:
                  - name: example.com
                    mx: [{ host: mx1.example.com, cert: mx1.pem }]
                    mta_sts: { mode: testing }
                """);

        assertThat(state.policy("example.com").orElseThrow().policy().text())
                .isEqualTo("version: STSv1\r\nmode: testing\r\nmx: mx1.example.com\r\nmax_age: 604800\r\n");
        assertThat(state.findings()).isEmpty();
    }

    @Test
    void longTxtValuesAreSplitIntoStringsOf255Octets() {
        String value = "v=TLSRPTv1; rua=" + "mailto:" + "a".repeat(300) + "@example.com";

        var record = DesiredStateBuilder.txt("_smtp._tls.example.com", 3600, value);

        assertThat(record.getStrings()).hasSize(2);
        assertThat(record.getStrings().get(0)).hasSize(255);
        assertThat(String.join("", record.getStrings())).isEqualTo(value);
    }
}
