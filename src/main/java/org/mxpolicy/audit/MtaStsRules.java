package org.mxpolicy.audit;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.mxpolicy.cert.HostNames;
import org.mxpolicy.dns.DnsAnswer;
import org.mxpolicy.probe.PolicyObservation;
import org.mxpolicy.record.MtaStsMode;
import org.mxpolicy.record.MtaStsPolicy;
import org.mxpolicy.record.MtaStsPolicyParser;
import org.mxpolicy.scan.CertificateInfo;
import org.mxpolicy.scan.RuleFinding;
import org.mxpolicy.scan.TlsScan;
import org.mxpolicy.scan.Verdict;
import org.xbill.DNS.TXTRecord;

/**
 * TR-03108 07-R (MTA-STS offered, RFC 8461) and 08-R (the policy host's certificate) judged as a
 * sender finds them: the {@code _mta-sts} TXT record (section 3.1), the policy fetched over
 * HTTPS with a PKIX-valid certificate (section 3.3), its mode, max_age and mx patterns against the
 * real MX hosts (section 4.1), and each MX address's certificate as a PKIX sender checks it.
 * Pure: answers, observations and scans in, findings out.
 */
public final class MtaStsRules {

    /** RFC 8461 section 3.1: {@code v=STSv1}, then fields; the id is 1 to 32 letters and digits. */
    private static final Pattern VERSION = Pattern.compile("^v=STSv1(;|$)");

    private static final Pattern ID = Pattern.compile("(?:^|;)\\s*id=([A-Za-z0-9]{1,32})\\s*(?:;|$)");

    private static final String INBOUND = Requirement.INBOUND_MTA_STS.id();

    private MtaStsRules() {}

    /** The TXT record's verdict and, when a sender would go on to fetch the policy, its id. */
    public record TxtJudgement(Optional<String> id, RuleFinding finding) {}

    /** {@code mta-sts.txt}: exactly one TXT record at {@code _mta-sts.<domain>} that starts with {@code v=STSv1}. */
    public static TxtJudgement txt(String domain, DnsAnswer answer) {
        String owner = "_mta-sts." + domain;
        if (answer.security() == DnsAnswer.Security.FAILED) {
            return new TxtJudgement(
                    Optional.empty(),
                    finding(
                            "mta-sts.txt",
                            "RFC 8461 3.1",
                            Verdict.UNKNOWN,
                            "the TXT lookup of " + owner + " did not answer: "
                                    + answer.problem().orElse("no answer")));
        }
        if (answer.security() == DnsAnswer.Security.BOGUS) {
            return new TxtJudgement(
                    Optional.empty(),
                    finding("mta-sts.txt", "RFC 8461 3.1", Verdict.FAIL, "the TXT RRset of " + owner + " is bogus"));
        }
        List<String> sts = new ArrayList<>();
        for (var record : answer.records()) {
            if (record instanceof TXTRecord txt) {
                String text = String.join("", txt.getStrings());
                if (VERSION.matcher(text).find()) {
                    sts.add(text);
                }
            }
        }
        if (sts.isEmpty()) {
            return new TxtJudgement(
                    Optional.empty(),
                    finding("mta-sts.txt", "RFC 8461 3.1", Verdict.FAIL, "no v=STSv1 TXT record at " + owner));
        }
        if (sts.size() > 1) {
            return new TxtJudgement(
                    Optional.empty(),
                    finding(
                            "mta-sts.txt",
                            "RFC 8461 3.1",
                            Verdict.FAIL,
                            sts.size() + " v=STSv1 TXT records at " + owner + ": senders take that as no policy"));
        }
        var id = ID.matcher(sts.get(0));
        if (!id.find()) {
            return new TxtJudgement(
                    Optional.empty(),
                    finding(
                            "mta-sts.txt",
                            "RFC 8461 3.1",
                            Verdict.FAIL,
                            "\"" + sts.get(0) + "\" has no valid id (1 to 32 letters and digits)"));
        }
        return new TxtJudgement(
                Optional.of(id.group(1)),
                finding("mta-sts.txt", "RFC 8461 3.1", Verdict.PASS, owner + " \"" + sts.get(0) + "\""));
    }

    /** The fetched policy's verdicts and the policy itself when senders would accept it. */
    public record PolicyJudgement(Optional<MtaStsPolicy> policy, List<RuleFinding> findings) {

        public PolicyJudgement {
            findings = List.copyOf(findings);
        }
    }

    /**
     * {@code mta-sts.policy}, {@code mta-sts.mode}, {@code mta-sts.max-age} and
     * {@code mta-sts.mx-patterns}: the policy as fetched, against the MX hosts found in DNS.
     *
     * @param mxHosts the MX host names, without the trailing dot
     */
    public static PolicyJudgement policy(PolicyObservation fetched, List<String> mxHosts) {
        List<RuleFinding> findings = new ArrayList<>();
        if (!fetched.accepted()) {
            findings.add(finding(
                    "mta-sts.policy",
                    "RFC 8461 3.3",
                    Verdict.FAIL,
                    fetched.url() + ": " + fetched.problem().orElse("not accepted")));
            return new PolicyJudgement(Optional.empty(), findings);
        }
        Optional<MtaStsPolicy> parsed = MtaStsPolicyParser.parse(
                        fetched.body(), fetched.url().toString())
                .policy();
        if (parsed.isEmpty()) {
            findings.add(finding("mta-sts.policy", "RFC 8461 3.2", Verdict.FAIL, fetched.url() + ": does not parse"));
            return new PolicyJudgement(Optional.empty(), findings);
        }
        MtaStsPolicy policy = parsed.get();
        findings.add(finding(
                "mta-sts.policy",
                "RFC 8461 3.3",
                Verdict.PASS,
                fetched.url() + ": fetched with a valid certificate, status 200, text/plain"));
        findings.add(mode(policy.mode()));
        findings.add(maxAge(policy.maxAge()));
        if (policy.mode() != MtaStsMode.NONE) {
            findings.add(patterns(policy, mxHosts));
        }
        return new PolicyJudgement(parsed, findings);
    }

    static RuleFinding mode(MtaStsMode mode) {
        return switch (mode) {
            case ENFORCE ->
                finding(
                        "mta-sts.mode",
                        "RFC 8461 5",
                        Verdict.PASS,
                        "mode enforce: senders deliver only over valid TLS");
            case TESTING ->
                finding(
                        "mta-sts.mode",
                        "RFC 8461 5",
                        Verdict.WARN,
                        "mode testing: senders report failures but deliver anyway");
            case NONE ->
                finding("mta-sts.mode", "RFC 8461 5", Verdict.FAIL, "mode none: the domain has withdrawn MTA-STS");
        };
    }

    static RuleFinding maxAge(long maxAge) {
        if (maxAge < MtaStsPolicy.MAX_AGE_RECOMMENDED_MINIMUM) {
            return finding(
                    "mta-sts.max-age",
                    "RFC 8461 3.2",
                    Verdict.WARN,
                    "max_age " + maxAge + " s: shorter than a day, so a sender's cached policy lapses quickly");
        }
        return finding("mta-sts.max-age", "RFC 8461 3.2", Verdict.PASS, "max_age " + maxAge + " s");
    }

    static RuleFinding patterns(MtaStsPolicy policy, List<String> mxHosts) {
        List<String> uncovered = policy.uncovered(mxHosts);
        String patterns = String.join(", ", policy.mx());
        if (!uncovered.isEmpty()) {
            return finding(
                    "mta-sts.mx-patterns",
                    "RFC 8461 4.1",
                    policy.mode() == MtaStsMode.ENFORCE ? Verdict.FAIL : Verdict.WARN,
                    "MX " + String.join(", ", uncovered) + " not matched by the policy's mx (" + patterns
                            + "): senders do not deliver there under enforce");
        }
        return finding(
                "mta-sts.mx-patterns",
                "RFC 8461 4.1",
                Verdict.PASS,
                "every MX matches the policy's mx (" + patterns + ")");
    }

    /**
     * {@code mta-sts.policy-host-certificate} (08-R): the certificate the policy host presented
     * when the policy was fetched must not be a wildcard one, as TR-03108 4.1.8 tells senders not
     * to accept such certificates when fetching a policy.
     */
    public static RuleFinding policyHostCertificate(PolicyObservation fetched) {
        String host = fetched.url().getHost();
        String source = "TR-03108 4.1.8";
        String check = "mta-sts.policy-host-certificate";
        if (fetched.chain().isEmpty()) {
            return new RuleFinding(
                    Requirement.OUTBOUND_MTA_STS.id(),
                    check,
                    source,
                    Verdict.NOT_APPLICABLE,
                    "no certificate of " + host + " accepted to look at ("
                            + fetched.problem().orElse("no handshake") + ")");
        }
        X509Certificate leaf = fetched.chain().get(0);
        List<String> names = HostNames.presentedNames(leaf);
        if (HostNames.isWildcard(leaf)) {
            return new RuleFinding(
                    Requirement.OUTBOUND_MTA_STS.id(),
                    check,
                    source,
                    Verdict.FAIL,
                    host + " presents a wildcard certificate (" + String.join(", ", names)
                            + "): senders following TR-03108 do not accept it");
        }
        return new RuleFinding(
                Requirement.OUTBOUND_MTA_STS.id(),
                check,
                source,
                Verdict.PASS,
                host + " presents a certificate without wildcard (" + String.join(", ", names) + ")");
    }

    /**
     * {@code mta-sts.mx-certificate}: the chain an MX address presented, as a sender under the
     * policy checks it (RFC 8461 section 4.1): valid for the MX host name and leading to a CA it
     * trusts. In testing mode a failure is a warning, as senders deliver anyway.
     */
    public static RuleFinding mxCertificate(
            MtaStsPolicy policy, String host, TlsScan scan, PkixTrust trust, java.time.Instant at) {
        String check = "mta-sts.mx-certificate";
        if (policy.mode() == MtaStsMode.NONE) {
            return finding(check, "RFC 8461 4.1", Verdict.NOT_APPLICABLE, "mode none");
        }
        if (!scan.connected() || (scan.chain().isEmpty() && scan.incomplete())) {
            return finding(check, "RFC 8461 4.1", Verdict.UNKNOWN, "the scan did not get the certificate chain");
        }
        if (scan.chain().isEmpty()) {
            return finding(
                    check,
                    "RFC 8461 4.1",
                    policy.mode() == MtaStsMode.ENFORCE ? Verdict.FAIL : Verdict.WARN,
                    "no TLS (" + scan.problem().orElse("no version accepted") + "): senders under the policy "
                            + (policy.mode() == MtaStsMode.ENFORCE ? "do not deliver" : "report a failure"));
        }
        List<X509Certificate> chain = new ArrayList<>();
        for (CertificateInfo info : scan.chain()) {
            if (info.certificate().isEmpty()) {
                return finding(check, "RFC 8461 4.1", Verdict.UNKNOWN, "the scan kept no certificate bytes");
            }
            chain.add(info.certificate().get());
        }
        Optional<String> problem = trust.problem(chain, host.toLowerCase(Locale.ROOT), at);
        if (problem.isPresent()) {
            return finding(
                    check,
                    "RFC 8461 4.1",
                    policy.mode() == MtaStsMode.ENFORCE ? Verdict.FAIL : Verdict.WARN,
                    problem.get());
        }
        return finding(
                check,
                "RFC 8461 4.1",
                Verdict.PASS,
                "valid for " + host + ", issued by " + scan.chain().get(0).issuer() + " (PKIX)");
    }

    private static RuleFinding finding(String check, String source, Verdict verdict, String evidence) {
        return new RuleFinding(INBOUND, check, source, verdict, evidence);
    }
}
