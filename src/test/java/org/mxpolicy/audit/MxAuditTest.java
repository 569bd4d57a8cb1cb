package org.mxpolicy.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.mxpolicy.dns.DnsAnswer;
import org.mxpolicy.dns.DnsLookup;
import org.mxpolicy.scan.CertificateInfo;
import org.mxpolicy.scan.CipherOrder;
import org.mxpolicy.scan.EndpointScanner;
import org.mxpolicy.scan.RuleFinding;
import org.mxpolicy.scan.TlsEndpoint;
import org.mxpolicy.scan.TlsScan;
import org.mxpolicy.scan.TlsStart;
import org.mxpolicy.scan.Verdict;
import org.mxpolicy.scan.VersionScan;
import org.mxpolicy.tls.TlsRuleSet;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

class MxAuditTest {

    private static final TlsRuleSet RULES =
            TlsRuleSet.inForceAt(LocalDate.of(2026, 1, 1)).orElseThrow();

    /** Answers from a map; anything not in it is NODATA, insecure. */
    private final Map<String, DnsAnswer> answers = new HashMap<>();

    private final ConcurrentLinkedQueue<TlsEndpoint> scanned = new ConcurrentLinkedQueue<>();

    private final DnsLookup dns = (name, type) -> answers.getOrDefault(
            name + " " + Type.string(type),
            new DnsAnswer(
                    name, type, Rcode.NOERROR, DnsAnswer.Security.INSECURE, List.of(), List.of(), Optional.empty()));

    /** Every endpoint within the profile. */
    private final EndpointScanner scanner = endpoint -> {
        scanned.add(endpoint);
        return new TlsScan(
                endpoint,
                true,
                Optional.empty(),
                List.of(new VersionScan(
                        "TLSv1.3",
                        List.of("TLS_AES_256_GCM_SHA384"),
                        CipherOrder.ONE_SUITE,
                        List.of("secp256r1"),
                        List.of("ecdsa_secp256r1_sha256"))),
                List.of(new CertificateInfo(
                        "CN=" + endpoint.host(),
                        "CN=CA",
                        "EC",
                        256,
                        "SHA256withECDSA",
                        Optional.of("SHA-256"),
                        Instant.EPOCH)),
                5);
    };

    private void answer(String name, int type, DnsAnswer.Security security, Record... records) {
        Name owner = Name.fromConstantString(name);
        answers.put(
                owner + " " + Type.string(type),
                new DnsAnswer(owner, type, Rcode.NOERROR, security, List.of(records), List.of(), Optional.empty()));
    }

    private static MXRecord mx(String domain, int preference, String host) {
        return new MXRecord(Name.fromConstantString(domain), DClass.IN, 300, preference, Name.fromConstantString(host));
    }

    private static ARecord a(String host, String address) throws Exception {
        return new ARecord(Name.fromConstantString(host), DClass.IN, 300, InetAddress.getByName(address));
    }

    private List<DomainReport> audit(String... domains) throws InterruptedException {
        return new MxAudit(dns, scanner, RULES, 4, MxAudit.SMTP_PORT).audit(List.of(domains));
    }

    @Test
    void everyAddressOfEveryMxIsScannedOnPort25WithStarttlsAndJudged() throws Exception {
        answer(
                "example.test.",
                Type.MX,
                DnsAnswer.Security.SECURE,
                mx("example.test.", 20, "mx2.example.test."),
                mx("example.test.", 10, "mx1.example.test."));
        answer("mx1.example.test.", Type.A, DnsAnswer.Security.SECURE, a("mx1.example.test.", "192.0.2.1"));
        answer("mx2.example.test.", Type.A, DnsAnswer.Security.SECURE, a("mx2.example.test.", "192.0.2.2"));
        answer(
                "mx2.example.test.",
                Type.AAAA,
                DnsAnswer.Security.SECURE,
                new AAAARecord(
                        Name.fromConstantString("mx2.example.test."),
                        DClass.IN,
                        300,
                        InetAddress.getByName("2001:db8::2")));

        DomainReport report = audit("example.test").get(0);

        assertThat(report.domain()).isEqualTo("example.test");
        assertThat(report.findings()).first().satisfies(f -> {
            assertThat(f.check()).isEqualTo("mx.rrset");
            assertThat(f.verdict()).isEqualTo(Verdict.PASS);
            assertThat(f.evidence()).isEqualTo("10 mx1.example.test., 20 mx2.example.test. (DNSSEC SECURE)");
        });
        assertThat(report.hosts()).extracting(MxHost::name).containsExactly("mx1.example.test", "mx2.example.test");
        assertThat(report.hosts().get(1).addresses()).hasSize(2);
        assertThat(scanned)
                .extracting(TlsEndpoint::toString)
                .containsExactlyInAnyOrder(
                        "mx1.example.test[192.0.2.1]:25",
                        "mx2.example.test[192.0.2.2]:25",
                        "mx2.example.test[2001:db8:0:0:0:0:0:2]:25");
        assertThat(scanned).allSatisfy(e -> assertThat(e.start()).isEqualTo(TlsStart.SMTP));
        MxAddress first = report.hosts().get(0).addresses().get(0);
        assertThat(first.findings()).extracting(RuleFinding::requirement).contains("03-M", "12-R");
        assertThat(first.findings()).allSatisfy(f -> assertThat(f.verdict()).isEqualTo(Verdict.PASS));
        assertThat(report.requirement(Requirement.INBOUND_TLS).verdict()).isEqualTo(Verdict.PASS);
    }

    @Test
    void anMxSharedByTwoDomainsIsScannedOnce() throws Exception {
        answer("a.test.", Type.MX, DnsAnswer.Security.INSECURE, mx("a.test.", 10, "mx.shared.test."));
        answer("b.test.", Type.MX, DnsAnswer.Security.INSECURE, mx("b.test.", 10, "mx.shared.test."));
        answer("mx.shared.test.", Type.A, DnsAnswer.Security.INSECURE, a("mx.shared.test.", "192.0.2.9"));

        List<DomainReport> reports = audit("a.test", "b.test");

        assertThat(scanned).hasSize(1);
        assertThat(reports)
                .allSatisfy(r -> assertThat(r.hosts().get(0).addresses()).hasSize(1));
    }

    @Test
    void withoutMxTheDomainItselfIsTheExchange() throws Exception {
        answer("plain.test.", Type.A, DnsAnswer.Security.INSECURE, a("plain.test.", "192.0.2.7"));

        DomainReport report = audit("plain.test").get(0);

        assertThat(report.hosts())
                .singleElement()
                .satisfies(h -> assertThat(h.name()).isEqualTo("plain.test"));
        assertThat(report.findings().get(0).evidence()).startsWith("no MX records; the domain itself");
    }

    @Test
    void aNullMxIsNotApplicableAndAFailedLookupUnknown() throws Exception {
        answer("nomail.test.", Type.MX, DnsAnswer.Security.SECURE, mx("nomail.test.", 0, "."));
        Name broken = Name.fromConstantString("broken.test.");
        answers.put(
                broken + " MX",
                new DnsAnswer(
                        broken,
                        Type.MX,
                        Rcode.SERVFAIL,
                        DnsAnswer.Security.FAILED,
                        List.of(),
                        List.of(),
                        Optional.of("timed out")));

        List<DomainReport> reports = audit("nomail.test", "broken.test");

        assertThat(reports.get(0).findings().get(0).verdict()).isEqualTo(Verdict.NOT_APPLICABLE);
        assertThat(reports.get(1).findings().get(0).verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(reports.get(1).findings().get(0).evidence()).isEqualTo("MX lookup failed: timed out");
        assertThat(reports.get(0).requirement(Requirement.INBOUND_DANE).verdict())
                .isEqualTo(Verdict.NOT_APPLICABLE);
        assertThat(reports.get(0).requirement(Requirement.INBOUND_DANE).evidence())
                .startsWith("not judged: null MX (RFC 7505)");
        assertThat(reports.get(1).requirement(Requirement.TLS_RPT).verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(scanned).isEmpty();
    }

    @Test
    void anMxWithoutAddressFails() throws Exception {
        answer("lost.test.", Type.MX, DnsAnswer.Security.INSECURE, mx("lost.test.", 10, "nowhere.lost.test."));

        MxHost host = audit("lost.test").get(0).hosts().get(0);

        assertThat(host.findings()).first().satisfies(f -> {
            assertThat(f.check()).isEqualTo("mx.address");
            assertThat(f.verdict()).isEqualTo(Verdict.FAIL);
            assertThat(f.evidence()).isEqualTo("no A or AAAA records");
        });
        assertThat(new ArrayList<>(scanned)).isEmpty();
    }

    @Test
    void aSignedDomainWithMatchingTlsaAndNoPoliciesIsTabledPerRequirement() throws Exception {
        answer("signed.test.", Type.MX, DnsAnswer.Security.SECURE, mx("signed.test.", 10, "mx.signed.test."));
        answer("mx.signed.test.", Type.A, DnsAnswer.Security.SECURE, a("mx.signed.test.", "192.0.2.5"));
        answer("mx.signed.test.", Type.AAAA, DnsAnswer.Security.SECURE);
        answer(
                "_25._tcp.mx.signed.test.",
                Type.TLSA,
                DnsAnswer.Security.SECURE,
                new org.xbill.DNS.TLSARecord(
                        Name.fromConstantString("_25._tcp.mx.signed.test."), DClass.IN, 300, 3, 1, 1, new byte[32]));

        DomainReport report = audit("signed.test").get(0);

        assertThat(report.hosts().get(0).findings())
                .extracting(RuleFinding::check)
                .containsExactly("dnssec.mx-host", "dane.tlsa");
        // The scanner's certificate carries no bytes: the match cannot be judged.
        assertThat(report.finding("dane.match").orElseThrow().finding().verdict())
                .isEqualTo(Verdict.UNKNOWN);
        assertThat(report.requirements())
                .extracting(r -> r.requirement().id() + " " + r.verdict())
                .containsExactly(
                        "01-M NOT_APPLICABLE",
                        "02-R NOT_APPLICABLE",
                        "03-M PASS",
                        "05-M UNKNOWN",
                        "07-R FAIL",
                        "08-R NOT_APPLICABLE",
                        "10-M FAIL",
                        "12-R PASS");
        assertThat(report.requirement(Requirement.INBOUND_MTA_STS).evidence())
                .isEqualTo("signed.test: mta-sts.txt: no v=STSv1 TXT record at _mta-sts.signed.test");
    }

    @Test
    void anInsecureMxRrsetFailsDaneWithoutLookingForTlsa() throws Exception {
        answer("open.test.", Type.MX, DnsAnswer.Security.INSECURE, mx("open.test.", 10, "mx.open.test."));
        answer("mx.open.test.", Type.A, DnsAnswer.Security.INSECURE, a("mx.open.test.", "192.0.2.6"));

        DomainReport report = audit("open.test").get(0);

        assertThat(report.requirement(Requirement.INBOUND_DANE).verdict()).isEqualTo(Verdict.FAIL);
        assertThat(report.requirement(Requirement.INBOUND_DANE).evidence())
                .startsWith("open.test: dnssec.mx: the MX RRset is not signed");
        assertThat(report.hosts().get(0).findings())
                .extracting(RuleFinding::verdict)
                .containsExactly(Verdict.NOT_APPLICABLE);
        assertThat(report.finding("dane.match")).isEmpty();
    }

    @Test
    void ownEndpointsAreScannedWithTheirStartAndJudgedUnderTheirRequirement() throws Exception {
        answer("own.test.", Type.MX, DnsAnswer.Security.SECURE, mx("own.test.", 10, "mx.own.test."));
        answer("mx.own.test.", Type.A, DnsAnswer.Security.SECURE, a("mx.own.test.", "192.0.2.20"));
        answer("mail.own.test.", Type.A, DnsAnswer.Security.SECURE, a("mail.own.test.", "192.0.2.21"));
        answer("mta-sts.own.test.", Type.A, DnsAnswer.Security.SECURE, a("mta-sts.own.test.", "192.0.2.22"));
        List<OwnEndpoint> own = List.of(
                new OwnEndpoint("submissions", "mail.own.test", 465, TlsStart.IMPLICIT, Requirement.CLIENT_TLS),
                new OwnEndpoint("imap", "mail.own.test", 143, TlsStart.IMAP, Requirement.CLIENT_TLS_COMPATIBILITY),
                new OwnEndpoint("mta-sts", "mta-sts.own.test", 443, TlsStart.IMPLICIT, Requirement.INBOUND_MTA_STS),
                new OwnEndpoint("autoconfig", "autoconfig.own.test", 443, TlsStart.IMPLICIT, Requirement.CLIENT_TLS));

        DomainReport report = new MxAudit(dns, scanner, RULES, 4, MxAudit.SMTP_PORT)
                .audit(List.of("own.test"), Map.of("own.test", own))
                .get(0);

        assertThat(scanned)
                .extracting(e -> e.toString() + " " + e.start())
                .contains(
                        "mail.own.test[192.0.2.21]:465 IMPLICIT",
                        "mail.own.test[192.0.2.21]:143 IMAP",
                        "mta-sts.own.test[192.0.2.22]:443 IMPLICIT");
        assertThat(report.endpoints())
                .extracting(ClientEndpoint::service)
                .containsExactly("submissions", "imap", "mta-sts", "autoconfig");
        assertThat(report.endpoints().get(1).findings())
                .filteredOn(f -> f.check().startsWith("tls."))
                .allSatisfy(f -> assertThat(f.requirement()).isEqualTo("02-R"));
        assertThat(report.endpoints().get(3).findings()).singleElement().satisfies(f -> {
            assertThat(f.check()).isEqualTo("client.address");
            assertThat(f.verdict()).isEqualTo(Verdict.FAIL);
        });
        assertThat(report.finding("client.implicit-tls").orElseThrow().finding().evidence())
                .isEqualTo("implicit TLS offered: submissions mail.own.test:465");
        assertThat(report.finding("client.starttls").orElseThrow().finding().evidence())
                .isEqualTo("STARTTLS offered: imap mail.own.test:143");
        assertThat(report.requirement(Requirement.CLIENT_TLS).verdict()).isEqualTo(Verdict.FAIL);
        assertThat(report.requirement(Requirement.CLIENT_TLS_COMPATIBILITY).verdict())
                .isEqualTo(Verdict.PASS);
    }

    @Test
    void tls10OnImplicitTlsFailsWhereTheMxAndStarttlsPortsAreOnlyWarned() throws Exception {
        answer("own.test.", Type.MX, DnsAnswer.Security.SECURE, mx("own.test.", 10, "mx.own.test."));
        answer("mx.own.test.", Type.A, DnsAnswer.Security.SECURE, a("mx.own.test.", "192.0.2.20"));
        answer("mail.own.test.", Type.A, DnsAnswer.Security.SECURE, a("mail.own.test.", "192.0.2.21"));
        answer("mta-sts.own.test.", Type.A, DnsAnswer.Security.SECURE, a("mta-sts.own.test.", "192.0.2.22"));
        // Every endpoint also accepts TLS 1.0, at the lowest priority as every server does.
        EndpointScanner legacy = endpoint -> {
            TlsScan within = scanner.scan(endpoint);
            List<VersionScan> versions = new ArrayList<>(within.versions());
            versions.add(new VersionScan(
                    "TLSv1",
                    List.of("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"),
                    CipherOrder.ONE_SUITE,
                    List.of(),
                    List.of()));
            return new TlsScan(endpoint, true, Optional.empty(), versions, within.chain(), within.handshakes());
        };
        List<OwnEndpoint> own = List.of(
                new OwnEndpoint("submissions", "mail.own.test", 465, TlsStart.IMPLICIT, Requirement.CLIENT_TLS),
                new OwnEndpoint("imap", "mail.own.test", 143, TlsStart.IMAP, Requirement.CLIENT_TLS_COMPATIBILITY),
                new OwnEndpoint("mta-sts", "mta-sts.own.test", 443, TlsStart.IMPLICIT, Requirement.INBOUND_MTA_STS));

        DomainReport report = new MxAudit(dns, legacy, RULES, 4, MxAudit.SMTP_PORT)
                .audit(List.of("own.test"), Map.of("own.test", own))
                .get(0);

        RuleFinding mxProtocols = report.hosts().get(0).addresses().get(0).findings().stream()
                .filter(f -> f.check().equals("tls.protocols"))
                .findFirst()
                .orElseThrow();
        assertThat(mxProtocols.verdict()).isEqualTo(Verdict.WARN);
        assertThat(report.endpoints())
                .extracting(e -> e.service() + " " + protocols(e).verdict())
                .containsExactly("submissions FAIL", "imap WARN", "mta-sts FAIL");
        assertThat(protocols(report.endpoints().get(0)).evidence()).contains("TR-03108 4.3.2");
        assertThat(report.requirement(Requirement.CLIENT_TLS).verdict()).isEqualTo(Verdict.FAIL);
        assertThat(report.requirement(Requirement.CLIENT_TLS_COMPATIBILITY).verdict())
                .isEqualTo(Verdict.WARN);
    }

    private static RuleFinding protocols(ClientEndpoint endpoint) {
        return endpoint.findings().stream()
                .filter(f -> f.check().equals("tls.protocols"))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void anOwnDomainWithoutClientServicesFails01MAndIsWarned02R() throws Exception {
        answer("bare.test.", Type.MX, DnsAnswer.Security.SECURE, mx("bare.test.", 10, "mx.bare.test."));
        answer("mx.bare.test.", Type.A, DnsAnswer.Security.SECURE, a("mx.bare.test.", "192.0.2.30"));

        DomainReport report = new MxAudit(dns, scanner, RULES, 4, MxAudit.SMTP_PORT)
                .audit(List.of("bare.test"), Map.of("bare.test", List.of()))
                .get(0);

        assertThat(report.requirement(Requirement.CLIENT_TLS).verdict()).isEqualTo(Verdict.FAIL);
        assertThat(report.requirement(Requirement.CLIENT_TLS).evidence())
                .endsWith("no mail service over implicit TLS (submissions, imaps, pop3s) is configured");
        assertThat(report.requirement(Requirement.CLIENT_TLS_COMPATIBILITY).verdict())
                .isEqualTo(Verdict.WARN);
    }
}
