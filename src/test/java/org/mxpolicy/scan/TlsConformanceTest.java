package org.mxpolicy.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mxpolicy.tls.TlsRuleSet;

class TlsConformanceTest {

    private static final TlsRuleSet RULES =
            TlsRuleSet.inForceAt(LocalDate.of(2026, 1, 1)).orElseThrow();
    private static final TlsEndpoint MX = new TlsEndpoint(
            "mx.example.test", new InetSocketAddress(InetAddress.getLoopbackAddress(), 25), TlsStart.SMTP);

    private static final CertificateInfo EC_LEAF = new CertificateInfo(
            "CN=mx.example.test", "CN=Lab CA", "EC", 256, "SHA256withECDSA", Optional.of("SHA-256"), Instant.EPOCH);
    private static final CertificateInfo EC_CA = new CertificateInfo(
            "CN=Lab CA", "CN=Lab CA", "EC", 384, "SHA384withECDSA", Optional.of("SHA-384"), Instant.EPOCH);

    private static final VersionScan TLS13 = new VersionScan(
            "TLSv1.3",
            List.of("TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256"),
            CipherOrder.SERVER,
            List.of("secp256r1", "secp384r1"),
            List.of("ecdsa_secp256r1_sha256"));
    private static final VersionScan TLS12 = new VersionScan(
            "TLSv1.2",
            List.of("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"),
            CipherOrder.SERVER,
            List.of("secp256r1", "secp384r1"),
            List.of("ecdsa_secp256r1_sha256", "ecdsa_secp384r1_sha384"));

    private static TlsScan scan(List<VersionScan> versions, CertificateInfo... chain) {
        return new TlsScan(MX, true, Optional.empty(), versions, List.of(chain), 40);
    }

    private static RuleFinding finding(List<RuleFinding> findings, String check) {
        return findings.stream()
                .filter(f -> f.check().equals(check))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + check + " in " + findings));
    }

    /** The evidence of the one failed finding of {@code check}. */
    private static String failed(List<RuleFinding> findings, String check) {
        List<RuleFinding> failed = findings.stream()
                .filter(f -> f.check().equals(check) && f.verdict() == Verdict.FAIL)
                .toList();
        assertThat(failed).as(check).hasSize(1);
        return failed.get(0).evidence();
    }

    private static List<RuleFinding> judge(TlsScan scan) {
        return TlsConformance.judge(scan, RULES, "03-M");
    }

    @Test
    void aServerWithinTheProfilePassesEveryRuleAndNamesTheSections() {
        List<RuleFinding> findings = judge(scan(List.of(TLS13, TLS12), EC_LEAF, EC_CA));

        assertThat(findings)
                .allSatisfy(f -> assertThat(f.verdict()).as(f.toString()).isEqualTo(Verdict.PASS));
        assertThat(finding(findings, "tls.protocols").source()).isEqualTo("TR-03116-4 2.1.1");
        assertThat(finding(findings, "tls.priority").source()).isEqualTo("TR-03108 4.3.2");
        assertThat(finding(findings, "cert.chain").requirement()).isEqualTo("12-R");
        assertThat(finding(findings, "cert.chain").evidence())
                .contains("CN=mx.example.test issued by CN=Lab CA, EC 256, SHA256withECDSA");
        assertThat(finding(findings, "tls.suites").requirement()).isEqualTo("03-M");
    }

    @Test
    void tls10AndCbcPreferredOverTheProfileFailTheLowestPriorityRule() {
        VersionScan legacyFirst = new VersionScan(
                "TLSv1.2",
                List.of(
                        "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
                        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
                        "TLS_RSA_WITH_AES_128_CBC_SHA"),
                CipherOrder.SERVER,
                List.of("secp256r1"),
                List.of("rsa_pss_rsae_sha256"));
        VersionScan tls10 = new VersionScan(
                "TLSv1", List.of("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"), CipherOrder.ONE_SUITE, List.of(), List.of());

        List<RuleFinding> findings = judge(scan(List.of(legacyFirst, tls10), EC_LEAF));

        RuleFinding priority = finding(findings, "tls.priority");
        assertThat(priority.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(priority.evidence())
                .contains("TLSv1.2: TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA (outside the profile) is preferred over"
                        + " TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");
        RuleFinding protocols = finding(findings, "tls.protocols");
        assertThat(protocols.verdict()).isEqualTo(Verdict.WARN);
        assertThat(protocols.evidence()).startsWith("accepts TLSv1 outside the profile");
        assertThat(finding(findings, "tls.within-profile").verdict()).isEqualTo(Verdict.PASS);
    }

    @Test
    void suitesOutsideTheProfileAtTheLowestPriorityAreOnlyWarnedAbout() {
        VersionScan legacyLast = new VersionScan(
                "TLSv1.2",
                List.of("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"),
                CipherOrder.SERVER,
                List.of("secp256r1"),
                List.of());

        List<RuleFinding> findings = judge(scan(List.of(legacyLast), EC_LEAF));

        assertThat(finding(findings, "tls.priority").verdict()).isEqualTo(Verdict.PASS);
        assertThat(finding(findings, "tls.suites").verdict()).isEqualTo(Verdict.WARN);
        assertThat(finding(findings, "tls.suites").evidence())
                .isEqualTo("TLSv1.2: TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA outside the profile");
    }

    @Test
    void theClientsOrderLeavesSuitesOutsideTheProfileAtAnyPriority() {
        VersionScan clientOrder = new VersionScan(
                "TLSv1.2",
                List.of("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"),
                CipherOrder.CLIENT,
                List.of(),
                List.of());

        RuleFinding priority = finding(judge(scan(List.of(clientOrder), EC_LEAF)), "tls.priority");

        assertThat(priority.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(priority.evidence()).contains("follows the client's order");
    }

    @Test
    void x25519AndChaCha20AreOutsideTheProfile() {
        VersionScan modern = new VersionScan(
                "TLSv1.3",
                List.of("TLS_CHACHA20_POLY1305_SHA256"),
                CipherOrder.ONE_SUITE,
                List.of("x25519"),
                List.of("ecdsa_secp256r1_sha256"));

        List<RuleFinding> findings = judge(scan(List.of(modern), EC_LEAF));

        assertThat(finding(findings, "tls.groups").verdict()).isEqualTo(Verdict.WARN);
        assertThat(finding(findings, "tls.groups").evidence()).isEqualTo("TLSv1.3: x25519 outside the profile");
        assertThat(finding(findings, "tls.suites").evidence())
                .isEqualTo("TLSv1.3: TLS_CHACHA20_POLY1305_SHA256 outside the profile");
        assertThat(finding(findings, "tls.within-profile").verdict()).isEqualTo(Verdict.FAIL);
    }

    /** TLS 1.0 and CBC at the lowest priority, X25519 and SHA-1 signatures beside allowed ones. */
    private static TlsScan legacyAtTheLowestPriority() {
        VersionScan tls12 = new VersionScan(
                "TLSv1.2",
                List.of("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"),
                CipherOrder.SERVER,
                List.of("secp256r1", "x25519"),
                List.of("ecdsa_secp256r1_sha256", "ecdsa_sha1"));
        VersionScan tls10 = new VersionScan(
                "TLSv1", List.of("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"), CipherOrder.ONE_SUITE, List.of(), List.of());
        return scan(List.of(TLS13, tls12, tls10), EC_LEAF, EC_CA);
    }

    @Test
    void outsideTheProfileAtTheLowestPriorityIsOnlyAWarningForOpportunisticTls() {
        List<RuleFinding> findings =
                TlsConformance.judge(legacyAtTheLowestPriority(), RULES, "03-M", Encryption.OPPORTUNISTIC);

        assertThat(findings)
                .filteredOn(f -> f.verdict() != Verdict.PASS)
                .extracting(f -> f.check() + " " + f.verdict())
                .containsExactly(
                        "tls.protocols WARN",
                        "tls.suites WARN",
                        "tls.suites WARN",
                        "tls.groups WARN",
                        "tls.signature-schemes WARN");
        assertThat(findings).isEqualTo(judge(legacyAtTheLowestPriority()));
    }

    @Test
    void mandatoryTlsFailsOnEverythingOutsideTheProfileCitingTr03108Section432() {
        List<RuleFinding> findings =
                TlsConformance.judge(legacyAtTheLowestPriority(), RULES, "01-M", Encryption.MANDATORY);

        assertThat(findings)
                .filteredOn(f -> f.verdict() != Verdict.PASS)
                .extracting(f -> f.check() + " " + f.verdict())
                .containsExactly(
                        "tls.protocols FAIL",
                        "tls.suites FAIL",
                        "tls.suites FAIL",
                        "tls.groups FAIL",
                        "tls.signature-schemes FAIL");
        String why = "; mandatory TLS: TR-03108 4.3.2 permits versions and suites outside TR-03116-4 for"
                + " opportunistic encryption only";
        assertThat(finding(findings, "tls.protocols").evidence())
                .isEqualTo("accepts TLSv1 outside the profile (allowed: TLSv1.3, TLSv1.2)" + why);
        assertThat(failed(findings, "tls.groups")).isEqualTo("TLSv1.2: x25519 outside the profile" + why);
        assertThat(findings)
                .filteredOn(f -> f.check().equals("tls.suites") && f.verdict() == Verdict.FAIL)
                .extracting(RuleFinding::evidence)
                .containsExactly(
                        "TLSv1.2: TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA outside the profile" + why,
                        "TLSv1: TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA outside the profile" + why);
        assertThat(failed(findings, "tls.signature-schemes"))
                .isEqualTo("TLSv1.2: ecdsa_sha1 outside the profile" + why);
        assertThat(findings)
                .filteredOn(f -> f.check().startsWith("tls."))
                .allSatisfy(f -> assertThat(f.requirement()).isEqualTo("01-M"));
        assertThat(finding(findings, "tls.priority").verdict()).isEqualTo(Verdict.PASS);
    }

    @Test
    void mandatoryTlsWithinTheProfilePasses() {
        assertThat(TlsConformance.judge(
                        scan(List.of(TLS13, TLS12), EC_LEAF, EC_CA), RULES, "01-M", Encryption.MANDATORY))
                .allSatisfy(f -> assertThat(f.verdict()).as(f.toString()).isEqualTo(Verdict.PASS));
    }

    @Test
    void rsaKeysBelow3000BitsFail() {
        for (int bits : new int[] {1024, 2048}) {
            CertificateInfo rsa = new CertificateInfo(
                    "CN=mx", "CN=CA", "RSA", bits, "SHA256withRSA", Optional.of("SHA-256"), Instant.EPOCH);
            RuleFinding keySize = finding(judge(scan(List.of(TLS12), rsa)), "cert.key-size");
            assertThat(keySize.verdict()).as("RSA %s", bits).isEqualTo(Verdict.FAIL);
            assertThat(keySize.evidence()).isEqualTo("CN=mx: RSA " + bits + " bits, less than 3000");
            assertThat(keySize.requirement()).isEqualTo("12-R");
        }
        CertificateInfo rsa3072 = new CertificateInfo(
                "CN=mx", "CN=CA", "RSA", 3072, "SHA256withRSA", Optional.of("SHA-256"), Instant.EPOCH);
        assertThat(finding(judge(scan(List.of(TLS12), rsa3072)), "cert.key-size")
                        .verdict())
                .isEqualTo(Verdict.PASS);
    }

    @Test
    void sha1SignaturesFailExceptOnTheSelfSignedRoot() {
        CertificateInfo sha1Leaf = new CertificateInfo(
                "CN=mx", "CN=Lab CA", "EC", 256, "SHA1withECDSA", Optional.of("SHA-1"), Instant.EPOCH);
        CertificateInfo sha1Root = new CertificateInfo(
                "CN=Lab CA", "CN=Lab CA", "EC", 256, "SHA1withECDSA", Optional.of("SHA-1"), Instant.EPOCH);

        RuleFinding leaf = finding(judge(scan(List.of(TLS12), sha1Leaf, EC_CA)), "cert.signature-hash");
        RuleFinding root = finding(judge(scan(List.of(TLS12), EC_LEAF, sha1Root)), "cert.signature-hash");

        assertThat(leaf.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(leaf.evidence()).contains("CN=mx: SHA1withECDSA");
        assertThat(root.verdict()).isEqualTo(Verdict.PASS);
    }

    @Test
    void aFirstChoiceWithoutForwardSecrecyFails() {
        VersionScan staticRsa = new VersionScan(
                "TLSv1.2",
                List.of("TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
                CipherOrder.SERVER,
                List.of(),
                List.of());

        RuleFinding forwardSecrecy = finding(judge(scan(List.of(staticRsa), EC_LEAF)), "tls.forward-secrecy");

        assertThat(forwardSecrecy.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(forwardSecrecy.evidence()).isEqualTo("TLSv1.2 first choice TLS_RSA_WITH_AES_128_GCM_SHA256");
    }

    @Test
    void everyTls13SuiteIsForwardSecretWhoeverDecidesTheOrder() {
        VersionScan clientOrder = new VersionScan(
                "TLSv1.3",
                List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384"),
                CipherOrder.CLIENT,
                List.of(),
                List.of());
        VersionScan tls12ClientOrder = new VersionScan(
                "TLSv1.2",
                List.of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_128_GCM_SHA256"),
                CipherOrder.CLIENT,
                List.of(),
                List.of());

        assertThat(finding(judge(scan(List.of(clientOrder), EC_LEAF)), "tls.forward-secrecy")
                        .verdict())
                .isEqualTo(Verdict.PASS);
        assertThat(finding(judge(scan(List.of(tls12ClientOrder), EC_LEAF)), "tls.forward-secrecy")
                        .verdict())
                .isEqualTo(Verdict.FAIL);
    }

    @Test
    void anUnreachableEndpointIsUnknownAndOneWithoutTlsFails() {
        TlsScan unreachable = new TlsScan(MX, false, Optional.of("no connection: timed out"), List.of(), List.of(), 4);
        TlsScan noTls = new TlsScan(
                MX,
                true,
                Optional.of("no protocol version accepted (SMTP before TLS: STARTTLS not offered)"),
                List.of(),
                List.of(),
                4);

        assertThat(judge(unreachable))
                .singleElement()
                .satisfies(f -> assertThat(f.verdict()).isEqualTo(Verdict.UNKNOWN));
        assertThat(judge(noTls)).singleElement().satisfies(f -> {
            assertThat(f.verdict()).isEqualTo(Verdict.FAIL);
            assertThat(f.evidence()).contains("STARTTLS not offered");
        });
    }

    @Test
    void theHashOfACertificateSignatureComesFromItsAlgorithmName() {
        assertThat(CertificateInfo.signatureHash("SHA256withRSA", null)).contains("SHA-256");
        assertThat(CertificateInfo.signatureHash("SHA1withRSA", null)).contains("SHA-1");
        assertThat(CertificateInfo.signatureHash("SHA384withECDSA", null)).contains("SHA-384");
        assertThat(CertificateInfo.signatureHash("Ed25519", null)).isEmpty();
    }

    @Test
    void anIncompleteScanLeavesOnlyTheRulesThatNeedTheMissingProbesUnknown() {
        TlsScan incomplete = new TlsScan(
                MX,
                true,
                Optional.empty(),
                List.of(TLS13, TLS12),
                List.of(),
                40,
                List.of(
                        new ScanGap(ScanGap.Probe.SIGNATURE_SCHEMES, "TLSv1.2", "timed out"),
                        new ScanGap(ScanGap.Probe.CHAIN, "TLSv1.3", "SocketException: Connection reset")));

        List<RuleFinding> findings = judge(incomplete);

        assertThat(findings)
                .filteredOn(f -> f.check().equals("tls.signature-schemes"))
                .extracting(RuleFinding::verdict)
                .containsExactly(Verdict.PASS, Verdict.UNKNOWN);
        RuleFinding chain = finding(findings, "cert.chain");
        assertThat(chain.verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(chain.evidence())
                .startsWith("not judged, the scan is incomplete: TLSv1.3 chain probe: SocketException");
        assertThat(finding(findings, "tls.priority").verdict()).isEqualTo(Verdict.PASS);
        assertThat(finding(findings, "tls.protocols").verdict()).isEqualTo(Verdict.PASS);
    }

    @Test
    void aMissingGroupsProbeIsAnUnknownFindingEvenWhenNothingWasSeen() {
        VersionScan noGroups =
                new VersionScan("TLSv1.2", TLS12.suites(), CipherOrder.SERVER, List.of(), TLS12.signatureSchemes());
        TlsScan incomplete = new TlsScan(
                MX,
                true,
                Optional.empty(),
                List.of(noGroups),
                List.of(EC_LEAF, EC_CA),
                40,
                List.of(new ScanGap(ScanGap.Probe.GROUPS, "TLSv1.2", "timed out")));

        RuleFinding groups = finding(judge(incomplete), "tls.groups");

        assertThat(groups.verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(groups.evidence()).isEqualTo("not judged, the scan is incomplete: TLSv1.2 groups probe: timed out");
    }
}
