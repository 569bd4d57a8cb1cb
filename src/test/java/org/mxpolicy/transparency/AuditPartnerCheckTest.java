package org.mxpolicy.transparency;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mxpolicy.audit.MxAudit;
import org.mxpolicy.dns.DnsAnswer;
import org.mxpolicy.dns.DnsLookup;
import org.mxpolicy.scan.CertificateInfo;
import org.mxpolicy.scan.CipherOrder;
import org.mxpolicy.scan.EndpointScanner;
import org.mxpolicy.scan.TlsScan;
import org.mxpolicy.scan.VersionScan;
import org.mxpolicy.tls.TlsRuleSet;
import org.mxpolicy.transparency.Assessment.State;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.Type;

/** The partner check over {@code audit} with the DNS and the scanner faked (the audit is real). */
class AuditPartnerCheckTest {

    private static final TlsRuleSet RULES =
            TlsRuleSet.inForceAt(LocalDate.of(2026, 12, 8)).orElseThrow();

    private final Map<String, DnsAnswer> answers = new HashMap<>();

    private final DnsLookup dns = (name, type) -> answers.getOrDefault(
            name + " " + Type.string(type),
            new DnsAnswer(
                    name, type, Rcode.NOERROR, DnsAnswer.Security.SECURE, List.of(), List.of(), Optional.empty()));

    /** Every MX within the profile; plain.example's MX offers no STARTTLS. */
    private final EndpointScanner scanner = endpoint -> endpoint.host().equals("mx.plain.example")
            ? new TlsScan(endpoint, true, Optional.of("no STARTTLS offered"), List.of(), List.of(), 1)
            : new TlsScan(
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

    private void answer(String name, int type, DnsAnswer.Security security, Record... records) {
        Name owner = Name.fromConstantString(name);
        answers.put(
                owner + " " + Type.string(type),
                new DnsAnswer(owner, type, Rcode.NOERROR, security, List.of(records), List.of(), Optional.empty()));
    }

    private void mx(String domain, DnsAnswer.Security security, String address) throws Exception {
        Name owner = Name.fromConstantString(domain + ".");
        Name host = Name.fromConstantString("mx." + domain + ".");
        answer(domain + ".", Type.MX, security, new MXRecord(owner, DClass.IN, 300, 10, host));
        answer(host.toString(), Type.A, security, new ARecord(host, DClass.IN, 300, InetAddress.getByName(address)));
    }

    @Test
    void daneIsTlsaPublishedForEveryMxAndTlsIsTheAuditsInboundVerdict() throws Exception {
        mx("dane.example", DnsAnswer.Security.SECURE, "192.0.2.25");
        Name tlsa = Name.fromConstantString("_25._tcp.mx.dane.example.");
        answer(
                tlsa.toString(),
                Type.TLSA,
                DnsAnswer.Security.SECURE,
                new TLSARecord(tlsa, DClass.IN, 300, 3, 1, 1, new byte[32]));
        mx("nodane.example", DnsAnswer.Security.SECURE, "192.0.2.26");
        mx("unsigned.example", DnsAnswer.Security.INSECURE, "192.0.2.27");
        mx("plain.example", DnsAnswer.Security.SECURE, "192.0.2.28");

        List<PartnerFindings> findings = new AuditPartnerCheck(new MxAudit(dns, scanner, RULES, 2, 25), dns)
                .check(List.of("dane.example", "nodane.example", "unsigned.example", "plain.example"));

        assertThat(findings)
                .extracting(f -> f.domain() + " dnssec=" + f.dnssec().state() + " dane="
                        + f.dane().state() + " tls=" + f.tls().state() + " mta-sts="
                        + f.mtaSts().state())
                .containsExactly(
                        "dane.example dnssec=MET dane=MET tls=MET mta-sts=NOT_CHECKED",
                        "nodane.example dnssec=MET dane=NOT_MET tls=MET mta-sts=NOT_CHECKED",
                        "unsigned.example dnssec=NOT_MET dane=NOT_MET tls=MET mta-sts=NOT_CHECKED",
                        "plain.example dnssec=MET dane=NOT_MET tls=NOT_MET mta-sts=NOT_CHECKED");
        assertThat(findings.get(0).dane().evidence()).isEqualTo("TLSA published for mx.dane.example (1 TLSA)");
        assertThat(findings.get(1).dane().evidence()).isEqualTo("no usable TLSA for mx.nodane.example (no TLSA)");

        PartnerVerdict dane = PartnerJudge.judge("dane.example", Optional.of(findings.get(0)), Optional.empty());
        assertThat(dane.meets().state()).isEqualTo(State.MET);
    }

    @Test
    void theLogOverrulesAPublishedTlsaWhenDeliveriesWentInCleartext() {
        PartnerFindings audited = new PartnerFindings(
                "dane.example",
                Assessment.met("MX RRset validated (DNSSEC secure)"),
                Assessment.met("TLSA published for mx.dane.example (2 TLSA)"),
                Assessment.notChecked("MTA-STS is not audited yet"),
                Assessment.met("STARTTLS per TR-03116-4 on 1 MX address"));
        PartnerTraffic traffic = new PartnerTraffic(
                "dane.example",
                Map.of(TlsLevel.PLAINTEXT, 2L),
                0,
                0,
                LocalDate.of(2026, 12, 7),
                LocalDate.of(2026, 12, 7),
                List.of());

        PartnerVerdict verdict = PartnerJudge.judge("dane.example", Optional.of(audited), Optional.of(traffic));

        assertThat(verdict.meets().state()).isEqualTo(State.NOT_MET);
        assertThat(verdict.dane().state()).isEqualTo(State.NOT_MET);
        assertThat(verdict.dane().evidence())
                .isEqualTo("TLSA published for mx.dane.example (2 TLSA); 0 of 2 deliveries authenticated (Verified)");
        assertThat(verdict.tls().evidence()).endsWith("; 2 of 2 deliveries without TLS");
    }
}
