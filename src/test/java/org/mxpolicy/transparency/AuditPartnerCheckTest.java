package org.mxpolicy.transparency;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mxpolicy.audit.DomainReport;
import org.mxpolicy.scan.RuleFinding;
import org.mxpolicy.scan.Verdict;
import org.mxpolicy.transparency.Assessment.State;

/** The audit's table of requirements read as the report's criteria. */
class AuditPartnerCheckTest {

    private static RuleFinding finding(String requirement, String check, Verdict verdict, String evidence) {
        return new RuleFinding(requirement, check, "source", verdict, evidence);
    }

    private static String states(PartnerFindings f) {
        return "dnssec=" + f.dnssec().state() + " dane=" + f.dane().state() + " tls="
                + f.tls().state() + " mta-sts=" + f.mtaSts().state();
    }

    @Test
    void eachCriterionIsItsRequirementsVerdict() {
        DomainReport report = new DomainReport(
                "dane.example",
                List.of(
                        finding("03-M", "mx.rrset", Verdict.PASS, "10 mx.dane.example. (DNSSEC SECURE)"),
                        finding("05-M", "dnssec.mx", Verdict.PASS, "the MX RRset is DNSSEC-secure"),
                        finding("05-M", "dane.match", Verdict.PASS, "3 1 1 matches the leaf"),
                        finding("07-R", "mta-sts.mode", Verdict.WARN, "mode testing"),
                        finding("03-M", "tls.suites", Verdict.WARN, "TLSv1.2: TLS_RSA_WITH_AES_128_CBC_SHA")),
                List.of());

        PartnerFindings findings = AuditPartnerCheck.findings(report);

        // a legacy suite is tolerated at the lowest priority (TR-03108 4.3.2); MTA-STS testing is no enforcement
        assertThat(states(findings)).isEqualTo("dnssec=MET dane=MET tls=MET mta-sts=NOT_MET");
        assertThat(findings.mtaSts().evidence()).startsWith("not enforced: ").contains("mode testing");
    }

    @Test
    void aFailureIsNotMetAndAnUnknownStaysUnknown() {
        DomainReport report = new DomainReport(
                "tls.example",
                List.of(
                        finding("05-M", "dnssec.mx", Verdict.PASS, "the MX RRset is DNSSEC-secure"),
                        finding("05-M", "dane.tlsa", Verdict.FAIL, "no TLSA records for mx.tls.example"),
                        finding("07-R", "mta-sts.txt", Verdict.FAIL, "no v=STSv1 TXT record"),
                        finding("03-M", "tls.connect", Verdict.UNKNOWN, "no connection")),
                List.of());

        PartnerFindings findings = AuditPartnerCheck.findings(report);

        assertThat(states(findings)).isEqualTo("dnssec=MET dane=NOT_MET tls=UNKNOWN mta-sts=NOT_MET");
        assertThat(findings.dane().evidence()).contains("no TLSA records for mx.tls.example");
        assertThat(PartnerJudge.judge("tls.example", Optional.of(findings), Optional.empty())
                        .meets()
                        .state())
                .isEqualTo(State.NOT_MET);
    }

    @Test
    void aDomainThatAcceptsNoMailIsNotJudged() {
        DomainReport report = new DomainReport(
                "nomail.example", List.of(finding("03-M", "mx.rrset", Verdict.NOT_APPLICABLE, "null MX")), List.of());

        assertThat(states(AuditPartnerCheck.findings(report)))
                .isEqualTo("dnssec=NOT_CHECKED dane=NOT_CHECKED tls=NOT_CHECKED mta-sts=NOT_CHECKED");
    }

    @Test
    void theLogOverrulesPublishedTlsaWhenDeliveriesWentInCleartext() {
        PartnerFindings audited = new PartnerFindings(
                "dane.example",
                Assessment.met("the MX RRset is DNSSEC-secure"),
                Assessment.met("4 checks pass (dnssec.mx, dnssec.mx-host, dane.tlsa, dane.match)"),
                Assessment.notMet("no v=STSv1 TXT record"),
                Assessment.met("STARTTLS per TR-03116-4"));
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
                .isEqualTo("4 checks pass (dnssec.mx, dnssec.mx-host, dane.tlsa, dane.match);"
                        + " 0 of 2 deliveries authenticated (Verified)");
        assertThat(verdict.tls().evidence()).endsWith("; 2 of 2 deliveries without TLS");
    }
}
