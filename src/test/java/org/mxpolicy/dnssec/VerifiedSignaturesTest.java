package org.mxpolicy.dnssec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mxpolicy.dnssec.SigningFixtures.FEATURES;
import static org.mxpolicy.dnssec.SigningFixtures.T0;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mxpolicy.finding.Finding;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** Signatures that verified before are taken as verified only over the same data and keys. */
class VerifiedSignaturesTest {

    private static final List<ZoneKey> KEYS = SigningFixtures.kskAndZsk(DnssecAlgorithm.ECDSAP256SHA256);
    private final ZoneSigner signer = new ZoneSigner(SigningPolicy.defaults(), 2);
    private final ZoneVerifier verifier = new ZoneVerifier(2);

    private static List<Record> withMx1Address(List<Record> zone, int lastOctet) {
        List<Record> out = new ArrayList<>();
        for (Record r : zone) {
            if (r.getName().toString().equals("mx1.features.example.") && r.getType() == Type.A) {
                out.add(new ARecord(
                        r.getName(), DClass.IN, r.getTTL(), new byte[] {(byte) 192, 0, 2, (byte) lastOctet}));
            } else {
                out.add(r);
            }
        }
        return out;
    }

    @Test
    void keptSignaturesOfAVerifiedZoneAreNotCheckedAgainAndNewOnesAre() throws Exception {
        SignedZone first = signer.sign(FEATURES, SigningFixtures.featuresZone(), KEYS, T0, List.of());
        ZoneVerifier.VerifiedSignatures earlier = ZoneVerifier.VerifiedSignatures.of(FEATURES, first.records());
        Instant later = T0.plus(Duration.ofDays(1));

        SignedZone second = signer.sign(
                FEATURES, withMx1Address(SigningFixtures.featuresZone(), 125), KEYS, later, first.records());
        ZoneVerifier.Result result = verifier.verify(FEATURES, second.records(), later, Duration.ZERO, "z", earlier);

        assertThat(result.findings()).isEmpty();
        assertThat(second.signaturesKept()).isPositive();
        assertThat(second.signaturesMade()).isPositive();
        assertThat(result.verifiedEarlier()).isEqualTo(second.signaturesKept());
        assertThat(result.signatures()).isEqualTo(second.signaturesKept() + second.signaturesMade());
    }

    @Test
    void withoutAnEarlierVerificationEverySignatureIsChecked() throws Exception {
        SignedZone first = signer.sign(FEATURES, SigningFixtures.featuresZone(), KEYS, T0, List.of());

        ZoneVerifier.Result result = verifier.verify(FEATURES, first.records(), T0, Duration.ZERO, "z");

        assertThat(result.findings()).isEmpty();
        assertThat(result.verifiedEarlier()).isZero();
    }

    @Test
    void aSignatureTakenOverForChangedDataIsCheckedAndFails() throws Exception {
        SignedZone first = signer.sign(FEATURES, SigningFixtures.featuresZone(), KEYS, T0, List.of());
        ZoneVerifier.VerifiedSignatures earlier = ZoneVerifier.VerifiedSignatures.of(FEATURES, first.records());

        // The old mx1 A signature next to new mx1 A data: the remembered data differ, so it is verified, and fails.
        List<Record> edited = withMx1Address(first.records(), 125);
        ZoneVerifier.Result result = verifier.verify(FEATURES, edited, T0, Duration.ZERO, "z", earlier);

        assertThat(result.findings()).extracting(Finding::id).containsExactly("dnssec.bad-signature");
        assertThat(result.findings().get(0).message()).startsWith("mx1.features.example. A RRSIG");
        assertThat(result.verifiedEarlier()).isEqualTo(result.signatures() - 1);
    }

    @Test
    void aSignatureRememberedWithOtherKeysIsCheckedAgain() throws Exception {
        SignedZone first = signer.sign(FEATURES, SigningFixtures.featuresZone(), KEYS, T0, List.of());
        // Remembered against a DNSKEY set in which the keys had other public keys: nothing matches.
        List<ZoneKey> others = List.of(
                SigningFixtures.key(FEATURES, DnssecAlgorithm.ECDSAP256SHA256, ZoneKey.FLAGS_KSK, 7),
                SigningFixtures.key(FEATURES, DnssecAlgorithm.ECDSAP256SHA256, ZoneKey.FLAGS_ZSK, 8));
        List<Record> withOtherKeys = new ArrayList<>();
        for (Record r : first.records()) {
            if (r.getType() != Type.DNSKEY) {
                withOtherKeys.add(r);
            }
        }
        others.forEach(k -> withOtherKeys.add(k.dnskey()));
        ZoneVerifier.VerifiedSignatures earlier = ZoneVerifier.VerifiedSignatures.of(FEATURES, withOtherKeys);

        ZoneVerifier.Result result = verifier.verify(FEATURES, first.records(), T0, Duration.ZERO, "z", earlier);

        assertThat(result.findings()).isEmpty();
        assertThat(result.verifiedEarlier()).isZero();
        assertThat(first.records()).filteredOn(r -> r instanceof RRSIGRecord).hasSize(result.signatures());
    }
}
