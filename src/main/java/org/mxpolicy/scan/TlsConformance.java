package org.mxpolicy.scan;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.mxpolicy.tls.TlsRuleSet;

/**
 * Judges a {@link TlsScan} against an edition of TR-03116-4, rule by rule; pure.
 *
 * <p>TR-03108 section 4.3.2 lets an opportunistic endpoint accept versions and suites the edition
 * does not list, as long as they have the lowest priority. So there what lies outside the edition
 * (TLS 1.0, CBC-SHA1, X25519, ChaCha20-Poly1305, ...) is a {@link Verdict#WARN} naming it; on an
 * endpoint with {@link Encryption#MANDATORY mandatory} TLS the allowance does not apply and it is a
 * {@link Verdict#FAIL}. The failures everywhere are: no handshake within the edition at all, an
 * outside suite preferred over an allowed one, a first choice without forward secrecy (TR-03108
 * 03-M), and certificate keys and signature hashes below the edition's minimum (12-R).
 *
 * <p>An incomplete scan ({@link TlsScan#gaps()}) is never judged from what is missing: every rule
 * that needs what a probe without answer would have found is {@link Verdict#UNKNOWN}, naming the
 * probe; the other rules are judged as usual.
 */
public final class TlsConformance {

    /** TR-03108's section on versions and suites outside TR-03116-4. */
    public static final String LOWEST_PRIORITY = "TR-03108 4.3.2";
    /** Why what lies outside the profile fails on an endpoint with mandatory TLS. */
    private static final String MANDATORY_NOTE = "; mandatory TLS: " + LOWEST_PRIORITY
            + " permits versions and suites outside TR-03116-4 for opportunistic encryption only";
    /** TR-03108's requirement on the certificates of every endpoint. */
    public static final String CERTIFICATES = "12-R";

    private TlsConformance() {}

    /** The findings of an opportunistic endpoint, such as an MX. */
    public static List<RuleFinding> judge(TlsScan scan, TlsRuleSet rules, String requirement) {
        return judge(scan, rules, requirement, Encryption.OPPORTUNISTIC);
    }

    /**
     * The findings of one endpoint's scan, in a fixed order: reachability, protocols, suites per
     * version, priority, forward secrecy, groups and signature schemes per version, certificates.
     *
     * @param requirement the TR-03108 requirement the endpoint's TLS serves: {@code 03-M} for an
     *     MX, {@code 01-M} for implicit TLS of clients, {@code 02-R} for their STARTTLS ports
     * @param encryption whether what lies outside the profile is a warning or a failure
     */
    public static List<RuleFinding> judge(TlsScan scan, TlsRuleSet rules, String requirement, Encryption encryption) {
        List<RuleFinding> findings = new ArrayList<>();
        String edition = rules.edition();
        if (!scan.connected()) {
            findings.add(new RuleFinding(
                    requirement,
                    "tls.connect",
                    edition,
                    Verdict.UNKNOWN,
                    scan.problem().orElse("no connection")));
            return findings;
        }
        if (scan.versions().isEmpty()) {
            findings.add(new RuleFinding(
                    requirement,
                    "tls.handshake",
                    edition,
                    scan.incomplete() ? Verdict.UNKNOWN : Verdict.FAIL,
                    scan.problem().orElse("no TLS")));
            unknownWhereMissing(scan, findings, 0, gap -> true);
            return findings;
        }
        int start = findings.size();
        protocols(scan, rules, requirement, findings, encryption);
        unknownWhereMissing(scan, findings, start, start + 1, probe(ScanGap.Probe.VERSION, ScanGap.Probe.SUITES));
        unknownWhereMissing(scan, findings, start + 1, probe(ScanGap.Probe.VERSION));
        for (VersionScan version : scan.versions()) {
            start = findings.size();
            suites(version, rules, requirement, findings, encryption);
            unknownWhereMissing(
                    scan, findings, start, probe(ScanGap.Probe.SUITES).and(of(version)));
        }
        start = findings.size();
        priority(scan, rules, requirement, findings);
        forwardSecrecy(scan, requirement, findings);
        unknownWhereMissing(
                scan, findings, start, probe(ScanGap.Probe.VERSION, ScanGap.Probe.SUITES, ScanGap.Probe.CIPHER_ORDER));
        for (VersionScan version : scan.versions()) {
            List<TlsRuleSet.Rule> groupList =
                    version.version().equals("TLSv1.3") ? rules.tls13Groups() : rules.tls12Groups();
            start = findings.size();
            groups(version, rules, requirement, findings, encryption);
            unknownWhereMissing(
                    scan,
                    findings,
                    start,
                    probe(ScanGap.Probe.GROUPS).and(of(version)),
                    new RuleFinding(requirement, "tls.groups", source(rules, groupList), Verdict.UNKNOWN, ""));
            start = findings.size();
            signatureSchemes(version, rules, requirement, findings, encryption);
            unknownWhereMissing(
                    scan,
                    findings,
                    start,
                    probe(ScanGap.Probe.SIGNATURE_SCHEMES).and(of(version)),
                    new RuleFinding(
                            requirement,
                            "tls.signature-schemes",
                            source(rules, rules.signatureSchemes()),
                            Verdict.UNKNOWN,
                            ""));
        }
        start = findings.size();
        certificates(scan, rules, findings);
        unknownWhereMissing(scan, findings, start, probe(ScanGap.Probe.CHAIN));
        return findings;
    }

    private static void unknownWhereMissing(
            TlsScan scan, List<RuleFinding> findings, int from, Predicate<ScanGap> needed, RuleFinding... ifNone) {
        unknownWhereMissing(scan, findings, from, findings.size(), needed, ifNone);
    }

    /**
     * Turns the findings from {@code from} to {@code to} into UNKNOWN when a probe they need got no
     * answer, keeping what was seen; adds {@code ifNone} when the missing data left no finding.
     */
    private static void unknownWhereMissing(
            TlsScan scan,
            List<RuleFinding> findings,
            int from,
            int to,
            Predicate<ScanGap> needed,
            RuleFinding... ifNone) {
        List<String> missing =
                scan.gaps().stream().filter(needed).map(ScanGap::describe).toList();
        if (missing.isEmpty()) {
            return;
        }
        String why = "not judged, the scan is incomplete: " + String.join("; ", missing);
        if (from == to) {
            for (RuleFinding none : ifNone) {
                findings.add(
                        to, new RuleFinding(none.requirement(), none.check(), none.source(), Verdict.UNKNOWN, why));
            }
            return;
        }
        for (int i = from; i < to; i++) {
            RuleFinding seen = findings.get(i);
            String evidence =
                    seen.verdict() == Verdict.UNKNOWN || seen.evidence().isEmpty()
                            ? seen.evidence().isEmpty() ? why : seen.evidence() + "; " + why
                            : why + " (seen: " + seen.evidence() + ")";
            findings.set(
                    i, new RuleFinding(seen.requirement(), seen.check(), seen.source(), Verdict.UNKNOWN, evidence));
        }
    }

    /**
     * TR-03108 4.3.2 permits what lies outside TR-03116-4 "in the case of opportunistic
     * encryption" only.
     */
    private static Verdict outsideVerdict(Encryption encryption) {
        return encryption == Encryption.MANDATORY ? Verdict.FAIL : Verdict.WARN;
    }

    private static String note(Encryption encryption) {
        return encryption == Encryption.MANDATORY ? MANDATORY_NOTE : "";
    }

    private static Predicate<ScanGap> probe(ScanGap.Probe... probes) {
        Set<ScanGap.Probe> wanted = Set.of(probes);
        return gap -> wanted.contains(gap.probe());
    }

    private static Predicate<ScanGap> of(VersionScan version) {
        return gap -> gap.version().equals(version.version());
    }

    private static void protocols(
            TlsScan scan, TlsRuleSet rules, String requirement, List<RuleFinding> findings, Encryption encryption) {
        Set<String> allowed = names(rules.protocols());
        String source = source(rules, rules.protocols());
        List<String> outside =
                scan.protocols().stream().filter(p -> !allowed.contains(p)).toList();
        boolean withinPossible = scan.versions().stream()
                .anyMatch(v ->
                        allowed.contains(v.version()) && v.suites().stream().anyMatch(suiteRules(v, rules)::contains));
        findings.add(new RuleFinding(
                requirement,
                "tls.within-profile",
                source,
                withinPossible ? Verdict.PASS : Verdict.FAIL,
                withinPossible
                        ? "a handshake within the profile is possible (" + String.join(", ", scan.protocols()) + ")"
                        : "no handshake within the profile: accepts " + String.join(", ", scan.protocols())
                                + " with none of its suites"));
        findings.add(new RuleFinding(
                requirement,
                "tls.protocols",
                source,
                outside.isEmpty() ? Verdict.PASS : outsideVerdict(encryption),
                outside.isEmpty()
                        ? "accepts " + String.join(", ", scan.protocols())
                        : "accepts " + String.join(", ", outside) + " outside the profile (allowed: "
                                + String.join(", ", allowed) + ")"
                                + (encryption == Encryption.MANDATORY
                                        ? MANDATORY_NOTE
                                        : "; a server always negotiates the newest version both sides have, so"
                                                + " they have the lowest priority")));
    }

    private static void suites(
            VersionScan version,
            TlsRuleSet rules,
            String requirement,
            List<RuleFinding> findings,
            Encryption encryption) {
        List<TlsRuleSet.Rule> list =
                version.version().equals("TLSv1.3") ? rules.tls13CipherSuites() : rules.tls12CipherSuites();
        Set<String> allowed = suiteRules(version, rules);
        List<String> outside =
                version.suites().stream().filter(s -> !allowed.contains(s)).toList();
        findings.add(new RuleFinding(
                requirement,
                "tls.suites",
                source(rules, list),
                outside.isEmpty() ? Verdict.PASS : outsideVerdict(encryption),
                version.version() + ": "
                        + (outside.isEmpty()
                                ? String.join(", ", version.suites())
                                : String.join(", ", outside) + " outside the profile" + note(encryption))));
    }

    /** Suites outside the profile only after every allowed one (TR-03108 4.3.2). */
    private static void priority(TlsScan scan, TlsRuleSet rules, String requirement, List<RuleFinding> findings) {
        List<String> problems = new ArrayList<>();
        boolean anyOutside = false;
        for (VersionScan version : scan.versions()) {
            Set<String> allowed = suiteRules(version, rules);
            List<String> suites = version.suites();
            int lastAllowed = -1;
            int firstOutside = -1;
            for (int i = 0; i < suites.size(); i++) {
                if (allowed.contains(suites.get(i))) {
                    lastAllowed = i;
                } else if (firstOutside < 0) {
                    firstOutside = i;
                }
            }
            anyOutside |= firstOutside >= 0;
            if (firstOutside < 0 || lastAllowed < 0) {
                continue;
            }
            if (version.order() == CipherOrder.CLIENT) {
                problems.add(version.version() + ": the server follows the client's order, so "
                        + suites.get(firstOutside) + " outside the profile is not kept at the lowest priority");
            } else if (firstOutside < lastAllowed) {
                problems.add(version.version() + ": " + suites.get(firstOutside) + " (outside the profile) is preferred"
                        + " over " + suites.get(lastAllowed));
            }
        }
        String evidence = problems.isEmpty()
                ? (anyOutside
                        ? "every suite outside the profile comes after the allowed ones"
                        : "no suite outside the profile")
                : String.join("; ", problems);
        findings.add(new RuleFinding(
                requirement,
                "tls.priority",
                LOWEST_PRIORITY,
                problems.isEmpty() ? Verdict.PASS : Verdict.FAIL,
                evidence));
    }

    /**
     * TR-03108 03-M: preference given to suites with forward secrecy. Every TLS 1.3 suite has it;
     * before that the server's first choice must, or every suite when the client's order decides.
     */
    private static void forwardSecrecy(TlsScan scan, String requirement, List<RuleFinding> findings) {
        VersionScan newest = scan.versions().get(0);
        boolean tls13 = newest.version().equals("TLSv1.3");
        Predicate<String> forwardSecret = suite -> tls13 || suite.contains("_ECDHE_") || suite.contains("_DHE_");
        boolean serverDecides = newest.order() != CipherOrder.CLIENT;
        boolean passes = serverDecides
                ? forwardSecret.test(newest.firstChoice())
                : newest.suites().stream().allMatch(forwardSecret);
        findings.add(new RuleFinding(
                requirement,
                "tls.forward-secrecy",
                "TR-03108 4.1.3",
                passes ? Verdict.PASS : Verdict.FAIL,
                newest.version() + " first choice " + newest.firstChoice()
                        + (serverDecides ? "" : " (the client's order decides)")));
    }

    private static void groups(
            VersionScan version,
            TlsRuleSet rules,
            String requirement,
            List<RuleFinding> findings,
            Encryption encryption) {
        if (version.groups().isEmpty()) {
            return;
        }
        List<TlsRuleSet.Rule> list = version.version().equals("TLSv1.3") ? rules.tls13Groups() : rules.tls12Groups();
        Set<String> allowed = lowerCase(names(list));
        List<String> outside = version.groups().stream()
                .filter(g -> !allowed.contains(g.toLowerCase(Locale.ROOT)))
                .toList();
        findings.add(new RuleFinding(
                requirement,
                "tls.groups",
                source(rules, list),
                outside.isEmpty() ? Verdict.PASS : outsideVerdict(encryption),
                version.version() + ": "
                        + (outside.isEmpty()
                                ? String.join(", ", version.groups())
                                : String.join(", ", outside) + " outside the profile" + note(encryption))));
    }

    private static void signatureSchemes(
            VersionScan version,
            TlsRuleSet rules,
            String requirement,
            List<RuleFinding> findings,
            Encryption encryption) {
        if (version.signatureSchemes().isEmpty()) {
            return;
        }
        String tls = version.version().substring("TLSv".length());
        Set<String> allowed = rules.signatureSchemes().stream()
                .filter(rule -> rule.tls().isEmpty() || rule.tls().equals(tls))
                .map(TlsRuleSet.Rule::name)
                .collect(Collectors.toSet());
        List<String> outside = version.signatureSchemes().stream()
                .filter(s -> !allowed.contains(s))
                .toList();
        findings.add(new RuleFinding(
                requirement,
                "tls.signature-schemes",
                source(rules, rules.signatureSchemes()),
                outside.isEmpty() ? Verdict.PASS : outsideVerdict(encryption),
                version.version() + ": "
                        + (outside.isEmpty()
                                ? String.join(", ", version.signatureSchemes())
                                : String.join(", ", outside) + " outside the profile" + note(encryption))));
    }

    /** TR-03108 12-R: every certificate's issuer, key and signature, judged by the edition's minimums. */
    private static void certificates(TlsScan scan, TlsRuleSet rules, List<RuleFinding> findings) {
        if (scan.chain().isEmpty()) {
            findings.add(
                    new RuleFinding(CERTIFICATES, "cert.chain", rules.edition(), Verdict.WARN, "no certificate seen"));
            return;
        }
        findings.add(new RuleFinding(
                CERTIFICATES,
                "cert.chain",
                rules.edition(),
                Verdict.PASS,
                scan.chain().stream().map(TlsConformance::describe).collect(Collectors.joining("; "))));
        List<String> weakKeys = new ArrayList<>();
        for (CertificateInfo certificate : scan.chain()) {
            Optional<TlsRuleSet.Rule> minimum = minimum(rules, certificate.keyType());
            if (minimum.isEmpty()) {
                weakKeys.add(certificate.subject() + ": " + certificate.keyType() + " keys are not in the profile");
            } else if (certificate.keyBits() < minimum.get().bits()) {
                weakKeys.add(certificate.subject() + ": " + certificate.key() + " bits, less than "
                        + minimum.get().bits());
            }
        }
        findings.add(new RuleFinding(
                CERTIFICATES,
                "cert.key-size",
                source(rules, rules.minKeyBits()),
                weakKeys.isEmpty() ? Verdict.PASS : Verdict.FAIL,
                weakKeys.isEmpty()
                        ? scan.chain().stream().map(CertificateInfo::key).collect(Collectors.joining(", "))
                        : String.join("; ", weakKeys)));
        Set<String> hashes = names(rules.certificateSignatureHashes());
        List<String> weakHashes = new ArrayList<>();
        for (CertificateInfo certificate : scan.chain()) {
            // A self-signed root is trusted for itself; its own signature protects nothing.
            boolean selfSigned = certificate.subject().equals(certificate.issuer())
                    && scan.chain().size() > 1;
            if (!selfSigned
                    && certificate.signatureHash().map(h -> !hashes.contains(h)).orElse(true)) {
                weakHashes.add(certificate.subject() + ": " + certificate.signatureAlgorithm());
            }
        }
        findings.add(new RuleFinding(
                CERTIFICATES,
                "cert.signature-hash",
                source(rules, rules.certificateSignatureHashes()),
                weakHashes.isEmpty() ? Verdict.PASS : Verdict.FAIL,
                weakHashes.isEmpty()
                        ? scan.chain().stream()
                                .map(CertificateInfo::signatureAlgorithm)
                                .collect(Collectors.joining(", "))
                        : "signed with a hash outside the profile: " + String.join("; ", weakHashes)));
    }

    private static String describe(CertificateInfo certificate) {
        return certificate.subject() + " issued by " + certificate.issuer() + ", " + certificate.key() + ", "
                + certificate.signatureAlgorithm();
    }

    private static Optional<TlsRuleSet.Rule> minimum(TlsRuleSet rules, String keyType) {
        String type = keyType.equals("RSASSA-PSS") ? "RSA" : keyType;
        return rules.minKeyBits().stream()
                .filter(rule -> rule.name().equals(type))
                .findFirst();
    }

    private static Set<String> suiteRules(VersionScan version, TlsRuleSet rules) {
        Set<String> allowedVersions = names(rules.protocols());
        if (!allowedVersions.contains(version.version())) {
            return Set.of();
        }
        return names(version.version().equals("TLSv1.3") ? rules.tls13CipherSuites() : rules.tls12CipherSuites());
    }

    private static Set<String> names(List<TlsRuleSet.Rule> rules) {
        return rules.stream().map(TlsRuleSet.Rule::name).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    private static Set<String> lowerCase(Set<String> names) {
        return names.stream().map(n -> n.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }

    /** {@code TR-03116-4 2.2.1}: the edition and the sections its entries name. */
    private static String source(TlsRuleSet rules, List<TlsRuleSet.Rule> list) {
        Set<String> sections = new LinkedHashSet<>();
        for (TlsRuleSet.Rule rule : list) {
            for (String section : rule.section().split(",", -1)) {
                sections.add(section.strip());
            }
        }
        return rules.edition() + " " + String.join(", ", sections);
    }
}
