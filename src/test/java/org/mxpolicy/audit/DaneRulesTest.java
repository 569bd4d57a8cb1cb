package org.mxpolicy.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mxpolicy.audit.AuditFixtures.plaintext;
import static org.mxpolicy.audit.AuditFixtures.scan;
import static org.mxpolicy.audit.AuditFixtures.tlsaAnswer;
import static org.mxpolicy.audit.AuditFixtures.unreachable;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mxpolicy.cert.InMemoryPki;
import org.mxpolicy.dns.DnsAnswer;
import org.mxpolicy.record.TlsaRecord;
import org.mxpolicy.scan.RuleFinding;
import org.mxpolicy.scan.Verdict;

class DaneRulesTest {

    private static final String MX = "mx.example.test";
    private static final InMemoryPki.Issuer ROOT = InMemoryPki.rootCa("Root");
    private static final InMemoryPki.Issuer CA = InMemoryPki.intermediateCa("Issuing CA", ROOT);
    private static final KeyPair KEY = InMemoryPki.ec("secp256r1");
    private static final X509Certificate LEAF = InMemoryPki.issued(KEY, MX, CA, false, MX);
    private static final List<X509Certificate> CHAIN = List.of(LEAF, CA.certificate());
    private static final TlsaRecord EE = TlsaRecord.of(3, 1, 1, LEAF);
    private static final TlsaRecord TA = TlsaRecord.of(2, 1, 1, CA.certificate());

    private static RuleFinding match(List<TlsaRecord> records, List<X509Certificate> chain) {
        return DaneRules.match(MX, records, scan(MX, chain));
    }

    @Test
    void theMxRrsetMustBeSecureForDaneSendersToLookFurther() {
        assertThat(DaneRules.mxSigned(DnsAnswer.Security.SECURE).verdict()).isEqualTo(Verdict.PASS);
        assertThat(DaneRules.mxSigned(DnsAnswer.Security.INSECURE).verdict()).isEqualTo(Verdict.FAIL);
        assertThat(DaneRules.mxSigned(DnsAnswer.Security.BOGUS).verdict()).isEqualTo(Verdict.FAIL);
        assertThat(DaneRules.mxSigned(DnsAnswer.Security.FAILED).verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(DaneRules.mxSigned(DnsAnswer.Security.SECURE).requirement()).isEqualTo("05-M");
        assertThat(DaneRules.hostSigned(MX, DnsAnswer.Security.INSECURE).evidence())
                .contains("DANE senders do not look up its TLSA records");
    }

    @Test
    void secureUsableRecordsPassAndAreKeptForMatching() {
        DaneRules.TlsaJudgement judged =
                DaneRules.tlsa("_25._tcp." + MX, tlsaAnswer(DnsAnswer.Security.SECURE, EE, TA));

        assertThat(judged.finding().verdict()).isEqualTo(Verdict.PASS);
        assertThat(judged.finding().check()).isEqualTo("dane.tlsa");
        assertThat(judged.usable()).containsExactly(EE, TA);
    }

    @Test
    void recordsOfUsage0Or1OrAnUnknownSelectorAreUnusableInSmtp() {
        TlsaRecord pkixEe = TlsaRecord.of(1, 1, 1, LEAF);
        TlsaRecord pkixTa = TlsaRecord.of(0, 1, 1, CA.certificate());
        TlsaRecord selector2 = new TlsaRecord(3, 2, 1, EE.data());

        DaneRules.TlsaJudgement judged =
                DaneRules.tlsa("_25._tcp." + MX, tlsaAnswer(DnsAnswer.Security.SECURE, pkixEe, pkixTa, selector2));

        assertThat(judged.usable()).isEmpty();
        assertThat(judged.finding().verdict()).isEqualTo(Verdict.FAIL);
        assertThat(judged.finding().evidence()).startsWith("no usable TLSA record at _25._tcp." + MX);
    }

    @Test
    void insecureBogusOrMissingTlsaFailsAndNoAnswerIsUnknown() {
        assertThat(DaneRules.tlsa("o", tlsaAnswer(DnsAnswer.Security.INSECURE, EE))
                        .finding()
                        .evidence())
                .contains("is not signed: DANE senders ignore it");
        assertThat(DaneRules.tlsa("o", tlsaAnswer(DnsAnswer.Security.BOGUS))
                        .finding()
                        .verdict())
                .isEqualTo(Verdict.FAIL);
        DaneRules.TlsaJudgement none = DaneRules.tlsa("o", tlsaAnswer(DnsAnswer.Security.SECURE));
        assertThat(none.finding().verdict()).isEqualTo(Verdict.FAIL);
        assertThat(none.finding().evidence()).startsWith("no TLSA records at o (DNSSEC secure denial)");
        assertThat(DaneRules.tlsa(
                                "o",
                                new DnsAnswer(
                                        org.xbill.DNS.Name.root,
                                        52,
                                        2,
                                        DnsAnswer.Security.FAILED,
                                        List.of(),
                                        List.of(),
                                        java.util.Optional.of("timed out")))
                        .finding()
                        .verdict())
                .isEqualTo(Verdict.UNKNOWN);
    }

    @Test
    void daneEeMatchesTheLeafKeyWhateverItsNamesAndIssuer() {
        X509Certificate selfSigned = InMemoryPki.selfSigned(KEY, "some other name", false, "other.example");

        RuleFinding byLeaf = match(List.of(EE), List.of(selfSigned));

        assertThat(byLeaf.verdict()).isEqualTo(Verdict.PASS);
        assertThat(byLeaf.evidence()).contains("DANE-EE; names and dates not checked");
    }

    @Test
    void daneTaMatchesACaOfTheChainWhenTheLeafNamesTheMxHost() {
        assertThat(match(List.of(TA), CHAIN).verdict()).isEqualTo(Verdict.PASS);

        X509Certificate wrongName = InMemoryPki.issued(KEY, "elsewhere", CA, false, "elsewhere.example");
        assertThat(match(List.of(TA), List.of(wrongName, CA.certificate())).verdict())
                .isEqualTo(Verdict.FAIL);
    }

    @Test
    void aRecordOfAnotherKeyDoesNotMatch() {
        TlsaRecord otherKey = TlsaRecord.of(3, 1, 1, InMemoryPki.selfSigned(InMemoryPki.ec("secp256r1"), "x", false));

        RuleFinding finding = match(List.of(otherKey), CHAIN);

        assertThat(finding.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(finding.evidence()).contains("no usable TLSA record matches the chain presented");
    }

    @Test
    void withoutTlsDaneSendersDeferAndWithoutConnectionItIsUnknown() {
        RuleFinding plain = DaneRules.match(MX, List.of(EE), plaintext(MX));
        assertThat(plain.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(plain.evidence()).contains("offers no TLS (STARTTLS not offered)");

        assertThat(DaneRules.match(MX, List.of(EE), unreachable(MX)).verdict()).isEqualTo(Verdict.UNKNOWN);
    }

    @Test
    void aRecordIsShownByItsFieldsAndTheStartOfItsData() {
        assertThat(DaneRules.brief(EE)).matches("3 1 1 [0-9a-f]{16}\\.\\.\\.");
    }
}
