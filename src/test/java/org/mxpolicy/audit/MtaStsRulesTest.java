package org.mxpolicy.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mxpolicy.audit.AuditFixtures.answer;
import static org.mxpolicy.audit.AuditFixtures.scan;
import static org.mxpolicy.audit.AuditFixtures.txt;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mxpolicy.cert.InMemoryPki;
import org.mxpolicy.dns.DnsAnswer;
import org.mxpolicy.probe.PolicyObservation;
import org.mxpolicy.record.MtaStsMode;
import org.mxpolicy.record.MtaStsPolicy;
import org.mxpolicy.scan.RuleFinding;
import org.mxpolicy.scan.Verdict;
import org.xbill.DNS.Type;

class MtaStsRulesTest {

    private static final String OWNER = "_mta-sts.example.test.";
    private static final InMemoryPki.Issuer ROOT = InMemoryPki.rootCa("Lab Root");
    private static final InMemoryPki.Issuer CA = InMemoryPki.intermediateCa("Lab CA", ROOT);
    private static final KeyPair KEY = InMemoryPki.ec("secp256r1");
    private static final PkixTrust TRUST = PkixTrust.of(List.of(ROOT.certificate()));
    private static final URI URL = URI.create("https://mta-sts.example.test/.well-known/mta-sts.txt");

    private static MtaStsRules.TxtJudgement txtOf(String... values) {
        return MtaStsRules.txt(
                "example.test",
                answer(
                        OWNER,
                        Type.TXT,
                        DnsAnswer.Security.INSECURE,
                        java.util.Arrays.stream(values).map(v -> txt(OWNER, v)).toArray(org.xbill.DNS.Record[]::new)));
    }

    private static PolicyObservation fetched(String body, X509Certificate... chain) {
        return new PolicyObservation(
                URL,
                Optional.of(200),
                Optional.of("text/plain"),
                body.getBytes(StandardCharsets.UTF_8),
                Optional.empty(),
                List.of(chain));
    }

    @Test
    void oneStsTxtRecordWithAnIdPassesAndGivesTheId() {
        MtaStsRules.TxtJudgement ok = txtOf("v=STSv1; id=20260101T000000", "some other text");

        assertThat(ok.finding().verdict()).isEqualTo(Verdict.PASS);
        assertThat(ok.id()).contains("20260101T000000");
        assertThat(ok.finding().requirement()).isEqualTo("07-R");
    }

    @Test
    void noneTwoOrOneWithoutIdFail() {
        assertThat(txtOf().finding().verdict()).isEqualTo(Verdict.FAIL);
        assertThat(txtOf("v=STSv1; id=a", "v=STSv1; id=b").finding().evidence())
                .contains("senders take that as no policy");
        MtaStsRules.TxtJudgement noId = txtOf("v=STSv1; id=has-dash");
        assertThat(noId.finding().verdict()).isEqualTo(Verdict.FAIL);
        assertThat(noId.id()).isEmpty();
    }

    @Test
    void anEnforcedPolicyCoveringEveryMxPasses() {
        MtaStsRules.PolicyJudgement judged = MtaStsRules.policy(
                fetched("version: STSv1\nmode: enforce\nmx: *.example.test\nmax_age: 604800\n"),
                List.of("mx1.example.test", "mx2.example.test"));

        assertThat(judged.policy()).map(MtaStsPolicy::mode).contains(MtaStsMode.ENFORCE);
        assertThat(judged.findings())
                .extracting(RuleFinding::check)
                .containsExactly("mta-sts.policy", "mta-sts.mode", "mta-sts.max-age", "mta-sts.mx-patterns");
        assertThat(judged.findings()).allSatisfy(f -> assertThat(f.verdict()).isEqualTo(Verdict.PASS));
    }

    @Test
    void anMxOutsideThePatternsFailsUnderEnforceAndWarnsUnderTesting() {
        List<String> hosts = List.of("mx1.example.test", "backup.example.net");
        RuleFinding enforce = MtaStsRules.policy(
                        fetched("version: STSv1\nmode: enforce\nmx: mx1.example.test\nmax_age: 604800\n"), hosts)
                .findings()
                .get(3);
        RuleFinding testing = MtaStsRules.policy(
                        fetched("version: STSv1\nmode: testing\nmx: mx1.example.test\nmax_age: 3600\n"), hosts)
                .findings()
                .get(3);

        assertThat(enforce.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(enforce.evidence()).startsWith("MX backup.example.net not matched");
        assertThat(testing.verdict()).isEqualTo(Verdict.WARN);
    }

    @Test
    void modeAndMaxAge() {
        assertThat(MtaStsRules.mode(MtaStsMode.TESTING).verdict()).isEqualTo(Verdict.WARN);
        assertThat(MtaStsRules.mode(MtaStsMode.NONE).verdict()).isEqualTo(Verdict.FAIL);
        assertThat(MtaStsRules.maxAge(3600).verdict()).isEqualTo(Verdict.WARN);
        assertThat(MtaStsRules.maxAge(86_400).verdict()).isEqualTo(Verdict.PASS);
    }

    @Test
    void aPolicySendersWouldNotAcceptFailsWithTheFetchProblem() {
        PolicyObservation refused = new PolicyObservation(
                URL,
                Optional.empty(),
                Optional.empty(),
                new byte[0],
                Optional.of("certificate of mta-sts.example.test does not chain to a trusted CA"));

        MtaStsRules.PolicyJudgement judged = MtaStsRules.policy(refused, List.of());

        assertThat(judged.policy()).isEmpty();
        assertThat(judged.findings()).singleElement().satisfies(f -> {
            assertThat(f.verdict()).isEqualTo(Verdict.FAIL);
            assertThat(f.evidence()).endsWith("does not chain to a trusted CA");
        });
        assertThat(MtaStsRules.policyHostCertificate(refused).verdict()).isEqualTo(Verdict.NOT_APPLICABLE);
    }

    @Test
    void aWildcardPolicyHostCertificateFails08R() {
        X509Certificate wildcard = InMemoryPki.issued(KEY, "*.example.test", CA, false, "*.example.test");
        X509Certificate exact = InMemoryPki.issued(KEY, "mta-sts.example.test", CA, false, "mta-sts.example.test");

        RuleFinding wild = MtaStsRules.policyHostCertificate(fetched("", wildcard));
        RuleFinding fine = MtaStsRules.policyHostCertificate(fetched("", exact));

        assertThat(wild.requirement()).isEqualTo("08-R");
        assertThat(wild.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(wild.evidence()).contains("wildcard certificate (*.example.test)");
        assertThat(fine.verdict()).isEqualTo(Verdict.PASS);
    }

    @Test
    void anMxCertificateMustChainToATrustedCaAndNameTheHost() {
        MtaStsPolicy enforce = new MtaStsPolicy(MtaStsMode.ENFORCE, List.of("mx.example.test"), 604800);
        X509Certificate leaf = InMemoryPki.issued(KEY, "mx.example.test", CA, false, "mx.example.test");
        List<X509Certificate> chain = List.of(leaf, CA.certificate());

        RuleFinding valid = MtaStsRules.mxCertificate(
                enforce, "mx.example.test", scan("mx.example.test", chain), TRUST, InMemoryPki.NOW);
        RuleFinding otherName = MtaStsRules.mxCertificate(
                enforce, "mx2.example.test", scan("mx2.example.test", chain), TRUST, InMemoryPki.NOW);
        RuleFinding untrusted = MtaStsRules.mxCertificate(
                enforce,
                "mx.example.test",
                scan("mx.example.test", chain),
                PkixTrust.of(List.of(InMemoryPki.rootCa("Another Root").certificate())),
                InMemoryPki.NOW);
        RuleFinding expired = MtaStsRules.mxCertificate(
                enforce,
                "mx.example.test",
                scan("mx.example.test", chain),
                TRUST,
                Instant.parse("2030-01-01T00:00:00Z"));

        assertThat(valid.verdict()).isEqualTo(Verdict.PASS);
        assertThat(otherName.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(otherName.evidence()).startsWith("the certificate is not valid for mx2.example.test");
        assertThat(untrusted.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(untrusted.evidence()).startsWith("the chain does not lead to a trusted CA");
        assertThat(expired.verdict()).isEqualTo(Verdict.FAIL);
    }
}
