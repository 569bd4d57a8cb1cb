package org.mxpolicy.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mxpolicy.audit.AuditFixtures.answer;
import static org.mxpolicy.audit.AuditFixtures.txt;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mxpolicy.dns.DnsAnswer;
import org.mxpolicy.scan.RuleFinding;
import org.mxpolicy.scan.Verdict;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

class TlsRptRulesTest {

    private static final String OWNER = "_smtp._tls.example.test.";

    private static TlsRptRules.PolicyJudgement policy(String... values) {
        Record[] records = new Record[values.length];
        for (int i = 0; i < values.length; i++) {
            records[i] = txt(OWNER, values[i]);
        }
        return TlsRptRules.policy("example.test", answer(OWNER, Type.TXT, DnsAnswer.Security.SECURE, records));
    }

    @Test
    void reportsByMailOnlyPassAndNameTheMailboxDomains() {
        TlsRptRules.PolicyJudgement judged =
                policy("v=TLSRPTv1; rua=mailto:tlsrpt@reports.example.net,mailto:Ops@Example.Test");

        assertThat(judged.finding().verdict()).isEqualTo(Verdict.PASS);
        assertThat(judged.finding().requirement()).isEqualTo("10-M");
        assertThat(judged.mailboxDomains()).containsExactly("reports.example.net", "example.test");
    }

    @Test
    void anHttpsReportUriFails10M() {
        RuleFinding finding = policy("v=TLSRPTv1;rua=mailto:a@example.test,https://reports.example.test/tlsrpt")
                .finding();

        assertThat(finding.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(finding.evidence()).contains("https://reports.example.test/tlsrpt (TR-03108 10-M: mailto only)");
    }

    @Test
    void noRecordTwoRecordsOrNoRuaFail() {
        assertThat(policy().finding().verdict()).isEqualTo(Verdict.FAIL);
        assertThat(policy("v=STSv1; id=1").finding().verdict()).isEqualTo(Verdict.FAIL);
        assertThat(policy("v=TLSRPTv1; rua=mailto:a@b.test", "v=TLSRPTv1; rua=mailto:c@d.test")
                        .finding()
                        .evidence())
                .contains("senders use none");
        assertThat(policy("v=TLSRPTv1").finding().evidence()).endsWith("has no rua");
    }

    @Test
    void aMailboxDomainEnforcingDaneOrMtaStsIsAWarning() {
        assertThat(TlsRptRules.mailbox(new TlsRptRules.MailboxDomain("r.test", true, false, Optional.empty())))
                .satisfies(f -> {
                    assertThat(f.verdict()).isEqualTo(Verdict.WARN);
                    assertThat(f.evidence()).contains("enforces TLS by DANE");
                });
        assertThat(TlsRptRules.mailbox(new TlsRptRules.MailboxDomain("r.test", false, true, Optional.empty()))
                        .evidence())
                .contains("MTA-STS enforce");
        assertThat(TlsRptRules.mailbox(new TlsRptRules.MailboxDomain("r.test", false, false, Optional.empty()))
                        .verdict())
                .isEqualTo(Verdict.PASS);
        assertThat(TlsRptRules.mailbox(new TlsRptRules.MailboxDomain("r.test", false, false, Optional.of("timed out")))
                        .verdict())
                .isEqualTo(Verdict.UNKNOWN);
    }
}
