package org.mxpolicy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mxpolicy.audit.DomainReport;
import org.mxpolicy.audit.MxAddress;
import org.mxpolicy.audit.MxHost;
import org.mxpolicy.check.CheckStatus;
import org.mxpolicy.scan.RuleFinding;
import org.mxpolicy.scan.ScanGap;
import org.mxpolicy.scan.TlsEndpoint;
import org.mxpolicy.scan.TlsScan;
import org.mxpolicy.scan.TlsStart;
import org.mxpolicy.scan.Verdict;
import org.mxpolicy.tls.TlsRuleSet;

class AuditOutputTest {

    private static final TlsRuleSet RULES =
            TlsRuleSet.inForceAt(LocalDate.of(2026, 1, 1)).orElseThrow();

    private static List<DomainReport> reportWith(RuleFinding finding) {
        TlsEndpoint endpoint = new TlsEndpoint(
                "mx.example.test", new InetSocketAddress(InetAddress.getLoopbackAddress(), 25), TlsStart.SMTP);
        TlsScan scan = new TlsScan(endpoint, true, Optional.empty(), List.of(), List.of(), 3);
        RuleFinding mx = new RuleFinding("03-M", "mx.rrset", "RFC 5321 5.1", Verdict.PASS, "10 mx.example.test.");
        return List.of(new DomainReport(
                "example.test",
                List.of(mx),
                List.of(new MxHost("mx.example.test", 10, List.of(), List.of(new MxAddress(scan, List.of(finding)))))));
    }

    private static RuleFinding finding(String requirement, Verdict verdict) {
        return new RuleFinding(requirement, "tls.priority", "TR-03108 4.3.2", verdict, "seen");
    }

    @Test
    void theStatusIsCheckStatusOfTheWorstFinding() {
        assertThat(AuditOutput.status(reportWith(finding("03-M", Verdict.PASS))))
                .isEqualTo(CheckStatus.OK);
        assertThat(AuditOutput.status(reportWith(finding("03-M", Verdict.NOT_APPLICABLE))))
                .isEqualTo(CheckStatus.OK);
        assertThat(AuditOutput.status(reportWith(finding("03-M", Verdict.WARN))))
                .isEqualTo(CheckStatus.WARNING);
        assertThat(AuditOutput.status(reportWith(finding("12-R", Verdict.FAIL))))
                .isEqualTo(CheckStatus.WARNING);
        assertThat(AuditOutput.status(reportWith(finding("03-M", Verdict.FAIL))))
                .isEqualTo(CheckStatus.CRITICAL);
        assertThat(AuditOutput.status(reportWith(finding("03-M", Verdict.UNKNOWN))))
                .isEqualTo(CheckStatus.UNKNOWN);
    }

    @Test
    void textIsOneRowPerFindingUnderItsDomainAndAddress() {
        String text = AuditOutput.text.render(reportWith(finding("03-M", Verdict.FAIL)), RULES);

        assertThat(text)
                .contains("rules: TR-03116-4 (Stand 2022, 2022-01-24)")
                .contains("\nexample.test\n")
                .contains("  MX 10 mx.example.test\n")
                .contains("    127.0.0.1 port 25: no TLS (3 handshakes)\n")
                .containsPattern("\n      03-M  fail +tls.priority +TR-03108 4.3.2 +seen\n")
                .endsWith("1 domain, 1 MX address: 1 fail, 0 warn, 0 unknown; CRITICAL\n");
    }

    @Test
    void jsonCarriesTheStatusTheFindingsAndTheScan() throws Exception {
        JsonNode json =
                new ObjectMapper().readTree(AuditOutput.json.render(reportWith(finding("12-R", Verdict.FAIL)), RULES));

        assertThat(json.path("status").asText()).isEqualTo("WARNING");
        assertThat(json.path("exit_code").asInt()).isEqualTo(1);
        JsonNode address =
                json.path("domains").get(0).path("mx").get(0).path("addresses").get(0);
        assertThat(address.path("address").asText()).isEqualTo("127.0.0.1");
        assertThat(address.path("findings").get(0).path("verdict").asText()).isEqualTo("fail");
        assertThat(address.path("findings").get(0).path("requirement").asText()).isEqualTo("12-R");
    }

    @Test
    void anAddressWhoseProbesWentUnansweredIsNoAnswerNotNoTls() {
        TlsEndpoint endpoint = new TlsEndpoint(
                "mx.example.test", new InetSocketAddress(InetAddress.getLoopbackAddress(), 25), TlsStart.SMTP);
        TlsScan scan = new TlsScan(
                endpoint,
                true,
                Optional.empty(),
                List.of(),
                List.of(),
                12,
                List.of(new ScanGap(ScanGap.Probe.VERSION, "TLSv1.3", "timed out")));
        List<DomainReport> reports = List.of(new DomainReport(
                "example.test",
                List.of(),
                List.of(new MxHost(
                        "mx.example.test",
                        10,
                        List.of(),
                        List.of(new MxAddress(scan, List.of(finding("03-M", Verdict.UNKNOWN))))))));

        assertThat(AuditOutput.text.render(reports, RULES))
                .contains("    127.0.0.1 port 25: no answer (12 handshakes; incomplete, 1 probe(s) unanswered)\n")
                .doesNotContain("no TLS");
    }

    @Test
    void csvIsOneRowPerDomainAndRequirementQuotedAsRfc4180Says() {
        RuleFinding quoted =
                new RuleFinding("03-M", "tls.priority", "TR-03108 4.3.2", Verdict.FAIL, "order \"client\", then: a,b");

        String csv = AuditOutput.csv.render(reportWith(quoted), RULES);

        String[] lines = csv.split("\r\n", -1);
        assertThat(lines[0]).isEqualTo("domain,requirement,title,verdict,evidence");
        assertThat(lines).hasSize(1 + 8 + 1);
        assertThat(lines[lines.length - 1]).isEmpty();
        assertThat(lines[1])
                .isEqualTo("example.test,01-M,MUA to MHS communication,not applicable,"
                        + "client endpoints are audited for own domains only (-c)");
        assertThat(lines[3])
                .isEqualTo("example.test,03-M,MTA to MTA inbound transport encryption,fail,"
                        + "\"mx.example.test[127.0.0.1]:25: tls.priority: order \"\"client\"\", then: a,b\"");
        assertThat(csv).doesNotContain("\n\n").doesNotContainPattern("[^\r]\n");
    }

    @Test
    void textStartsEachDomainWithItsRequirementTable() {
        String text = AuditOutput.text.render(reportWith(finding("03-M", Verdict.WARN)), RULES);

        assertThat(text)
                .contains("\nexample.test\n  TR-03108-01-M  not applicable client endpoints are audited")
                .containsPattern("\n  TR-03108-03-M  warn +mx.example.test\\[127.0.0.1\\]:25: tls.priority: seen\n")
                .containsPattern("\n  TR-03108-05-M  not applicable +nothing to judge");
    }

    @Test
    void fieldsAreQuotedOnlyWhenTheyMustBe() {
        assertThat(AuditOutput.field("plain text")).isEqualTo("plain text");
        assertThat(AuditOutput.field("a,b")).isEqualTo("\"a,b\"");
        assertThat(AuditOutput.field("line\nbreak")).isEqualTo("\"line\nbreak\"");
        assertThat(AuditOutput.field("say \"x\"")).isEqualTo("\"say \"\"x\"\"\"");
    }

    @Test
    void fieldsASpreadsheetWouldTakeForFormulasStartWithAnApostrophe() {
        assertThat(AuditOutput.field("=HYPERLINK(\"http://x.test\")"))
                .isEqualTo("\"'=HYPERLINK(\"\"http://x.test\"\")\"");
        assertThat(AuditOutput.field("+1")).isEqualTo("'+1");
        assertThat(AuditOutput.field("-2+3")).isEqualTo("'-2+3");
        assertThat(AuditOutput.field("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(AuditOutput.field("\t=1")).isEqualTo("'\t=1");
        assertThat(AuditOutput.field("a=1")).isEqualTo("a=1");
        assertThat(AuditOutput.field("")).isEmpty();
    }
}
