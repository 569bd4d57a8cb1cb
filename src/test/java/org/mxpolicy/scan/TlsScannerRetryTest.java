package org.mxpolicy.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.KeyExchangeAlgorithm;
import org.bouncycastle.tls.NamedGroup;
import org.bouncycastle.tls.SignatureScheme;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCrypto;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.junit.jupiter.api.Test;
import org.mxpolicy.tls.TlsRuleSet;

/** A simulated server behind the scanner's handshake port, with connections lost on the way. */
class TlsScannerRetryTest {

    private static final TlsRuleSet RULES =
            TlsRuleSet.inForceAt(LocalDate.of(2026, 1, 1)).orElseThrow();
    private static final TlsEndpoint MX = new TlsEndpoint(
            "mx.example.test", new InetSocketAddress(InetAddress.getLoopbackAddress(), 25), TlsStart.SMTP);
    private static final TlsNames.Version TLS12 = TlsNames.VERSIONS.get(1);

    /** TLS 1.3 and 1.2 in the server's order, two kinds of key exchange in 1.2, CBC-SHA1 last. */
    private static final class Server implements Handshaker {
        private static final List<Integer> TLS13_SUITES =
                List.of(CipherSuite.TLS_AES_256_GCM_SHA384, CipherSuite.TLS_AES_128_GCM_SHA256);
        private static final List<Integer> TLS12_SUITES = List.of(
                CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
                CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
                CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA);
        private static final Set<Integer> GROUPS = Set.of(NamedGroup.secp256r1, NamedGroup.secp384r1);
        private static final Set<Integer> SCHEMES = Set.of(SignatureScheme.rsa_pss_rsae_sha256);

        private final BcTlsCrypto crypto = new BcTlsCrypto(new SecureRandom());
        private final Predicate<Offer> drop;

        Server(Predicate<Offer> drop) {
            this.drop = drop;
        }

        @Override
        public ServerAnswer offer(TlsEndpoint endpoint, Offer offer) {
            if (drop.test(offer)) {
                return ServerAnswer.dropped("SocketException: Connection reset");
            }
            String version = offer.versions().get(0).name();
            List<Integer> suites = switch (version) {
                case "TLSv1.3" -> TLS13_SUITES;
                case "TLSv1.2" -> TLS12_SUITES;
                default -> List.of();
            };
            int group =
                    offer.groups().stream().filter(GROUPS::contains).findFirst().orElse(-1);
            for (int suite : suites) {
                boolean needsGroup = version.equals("TLSv1.3")
                        || TlsUtils.getKeyExchangeAlgorithm(suite) == KeyExchangeAlgorithm.ECDHE_RSA;
                if (offer.suites().contains(suite) && (group >= 0 || !needsGroup)) {
                    boolean signs = offer.signatureSchemes().stream().anyMatch(SCHEMES::contains);
                    boolean completed = !offer.helloOnly() && signs;
                    return new ServerAnswer(
                            Optional.of(version),
                            suite,
                            needsGroup ? group : -1,
                            completed,
                            List.of(),
                            completed || offer.helloOnly() ? Optional.empty() : Optional.of("alert handshake_failure"),
                            true,
                            false);
                }
            }
            return ServerAnswer.refused("alert handshake_failure");
        }

        @Override
        public boolean supportsGroup(int group) {
            return crypto.hasNamedGroup(group);
        }

        @Override
        public TlsCrypto crypto() {
            return crypto;
        }
    }

    private static TlsScan scan(Predicate<Offer> drop) throws InterruptedException {
        try (TlsScanner scanner = new TlsScanner(new AddressLimit(2), Duration.ZERO, any -> new Server(drop))) {
            return scanner.scan(MX);
        }
    }

    private static RuleFinding finding(List<RuleFinding> findings, String check) {
        return findings.stream()
                .filter(f -> f.check().equals(check))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + check + " in " + findings));
    }

    private static boolean versionProbe(Offer offer, TlsNames.Version version) {
        return offer.versions().equals(List.of(version))
                && offer.helloOnly()
                && offer.suites().equals(TlsNames.candidateSuites(version));
    }

    @Test
    void everyHandshakeLostOnceGivesTheSameScanAsNoLoss() throws InterruptedException {
        TlsScan clean = scan(offer -> false);
        Set<Offer> seen = ConcurrentHashMap.newKeySet();
        TlsScan lossy = scan(seen::add);

        assertThat(clean.incomplete()).isFalse();
        assertThat(clean.protocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(clean.version("TLSv1.2").orElseThrow().suites())
                .containsExactly(
                        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
                        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                        "TLS_RSA_WITH_AES_128_CBC_SHA");
        assertThat(clean.version("TLSv1.2").orElseThrow().order()).isEqualTo(CipherOrder.SERVER);
        assertThat(lossy.gaps()).isEmpty();
        assertThat(lossy.versions()).isEqualTo(clean.versions());
        assertThat(lossy.chain()).isEqualTo(clean.chain());
        assertThat(lossy.handshakes()).isGreaterThan(clean.handshakes());
        assertThat(TlsConformance.judge(lossy, RULES, "03-M")).isEqualTo(TlsConformance.judge(clean, RULES, "03-M"));
    }

    @Test
    void aVersionProbeThatNeverGetsAnAnswerMakesTheProtocolsUnknownNotMissing() throws InterruptedException {
        TlsScan scan = scan(offer -> versionProbe(offer, TLS12));

        assertThat(scan.protocols()).containsExactly("TLSv1.3");
        assertThat(scan.gaps())
                .containsExactly(new ScanGap(ScanGap.Probe.VERSION, "TLSv1.2", "SocketException: Connection reset"));
        List<RuleFinding> findings = TlsConformance.judge(scan, RULES, "03-M");
        RuleFinding protocols = finding(findings, "tls.protocols");
        assertThat(protocols.verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(protocols.evidence()).contains("TLSv1.2 version probe: SocketException: Connection reset");
        assertThat(finding(findings, "tls.priority").verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(finding(findings, "tls.forward-secrecy").verdict()).isEqualTo(Verdict.UNKNOWN);
        // What the answered probes found is still judged.
        assertThat(finding(findings, "tls.suites").verdict()).isEqualTo(Verdict.PASS);
    }

    @Test
    void aSuiteProbeThatNeverGetsAnAnswerMakesTheSuitesAndPriorityUnknown() throws InterruptedException {
        // The second round of the ECDHE elimination: the first choice taken out, the next one offered.
        TlsScan scan = scan(offer -> offer.versions().equals(List.of(TLS12))
                && offer.suites().contains(CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)
                && !offer.suites().contains(CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384));

        assertThat(scan.gaps())
                .extracting(ScanGap::probe, ScanGap::version)
                .contains(org.assertj.core.groups.Tuple.tuple(ScanGap.Probe.SUITES, "TLSv1.2"));
        List<RuleFinding> findings = TlsConformance.judge(scan, RULES, "03-M");
        assertThat(findings)
                .filteredOn(f -> f.check().equals("tls.suites"))
                .extracting(RuleFinding::verdict)
                .containsExactly(Verdict.PASS, Verdict.UNKNOWN);
        assertThat(finding(findings, "tls.priority").verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(findings).noneMatch(f -> f.verdict() == Verdict.FAIL);
    }

    @Test
    void aReversedOrderProbeThatNeverGetsAnAnswerIsNotTakenForTheClientsOrder() throws InterruptedException {
        List<Integer> reversed = List.of(
                CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA,
                CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
                CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384);
        TlsScan scan = scan(offer -> offer.suites().equals(reversed));

        assertThat(scan.gaps()).extracting(ScanGap::probe).containsExactly(ScanGap.Probe.CIPHER_ORDER);
        List<RuleFinding> findings = TlsConformance.judge(scan, RULES, "03-M");
        assertThat(finding(findings, "tls.priority").verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(finding(findings, "tls.priority").evidence()).contains("TLSv1.2 cipher order probe");
    }

    @Test
    void noVersionAnsweredIsUnknownNotAFailedHandshake() throws InterruptedException {
        TlsScan scan = scan(offer -> true);

        assertThat(scan.connected()).isTrue();
        assertThat(scan.versions()).isEmpty();
        assertThat(scan.gaps()).hasSize(TlsNames.VERSIONS.size());
        assertThat(scan.handshakes()).isEqualTo(3 * TlsNames.VERSIONS.size());
        List<RuleFinding> findings = TlsConformance.judge(scan, RULES, "03-M");
        assertThat(findings).extracting(RuleFinding::check).containsExactly("tls.handshake");
        assertThat(findings.get(0).verdict()).isEqualTo(Verdict.UNKNOWN);
    }
}
