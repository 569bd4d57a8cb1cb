package org.mxpolicy.dnssec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mxpolicy.dnssec.SigningFixtures.FEATURES;
import static org.mxpolicy.dnssec.SigningFixtures.T0;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** Re-signing with the previous signed zone at hand, on a fixed clock. */
class IncrementalSigningTest {

    private static final List<ZoneKey> KEYS = SigningFixtures.kskAndZsk(DnssecAlgorithm.ECDSAP256SHA256);
    private final ZoneSigner signer = new ZoneSigner(SigningPolicy.defaults(), 2);

    private SignedZone sign(List<Record> zone, Clock clock, List<Record> previous) throws Exception {
        SignedZone signed = signer.sign(FEATURES, zone, KEYS, clock.instant(), previous);
        assertThat(new ZoneVerifier(2)
                        .verify(FEATURES, signed.records(), clock.instant(), Duration.ZERO, "z")
                        .findings())
                .isEmpty();
        return signed;
    }

    private static Clock at(Duration after) {
        return Clock.fixed(T0.plus(after), ZoneOffset.UTC);
    }

    /** "owner TYPE keytag" -> the signature's presentation form. */
    private static Map<String, String> signatures(SignedZone zone) {
        Map<String, String> out = new HashMap<>();
        for (Record r : zone.records()) {
            if (r instanceof RRSIGRecord s) {
                out.put(
                        s.getName() + " " + Type.string(s.getTypeCovered()) + " " + s.getFootprint(),
                        s.rdataToString());
            }
        }
        return out;
    }

    private static List<Record> withChangedAddress(List<Record> zone) {
        List<Record> out = new ArrayList<>();
        for (Record r : zone) {
            if (r.getName().toString().equals("mx1.features.example.") && r.getType() == Type.A) {
                out.add(new ARecord(r.getName(), DClass.IN, r.getTTL(), new byte[] {(byte) 192, 0, 2, 125}));
            } else {
                out.add(r);
            }
        }
        return out;
    }

    @Test
    void aRunThatChangesNothingKeepsEverySignatureAndTheSerial() throws Exception {
        SignedZone first = sign(SigningFixtures.featuresZone(), at(Duration.ZERO), List.of());

        SignedZone second = sign(SigningFixtures.featuresZone(), at(Duration.ofDays(1)), first.records());

        assertThat(second.unchanged()).isTrue();
        assertThat(second.serial()).isEqualTo(first.serial());
        assertThat(second.signaturesMade()).isZero();
        assertThat(SigningFixtures.text(second.records())).isEqualTo(SigningFixtures.text(first.records()));
    }

    @Test
    void aChangedRrsetIsSignedAnewAndTheOthersKeepTheirSignatureBytes() throws Exception {
        SignedZone first = sign(SigningFixtures.featuresZone(), at(Duration.ZERO), List.of());

        SignedZone second =
                sign(withChangedAddress(SigningFixtures.featuresZone()), at(Duration.ofDays(1)), first.records());

        Map<String, String> before = signatures(first);
        Map<String, String> after = signatures(second);
        int zsk = KEYS.get(1).keyTag();
        int ksk = KEYS.get(0).keyTag();
        assertThat(second.unchanged()).isFalse();
        assertThat(second.serial()).isEqualTo(first.serial() + 1);
        assertThat(after.get("mx1.features.example. A " + zsk))
                .isNotEqualTo(before.get("mx1.features.example. A " + zsk));
        assertThat(after.get("features.example. SOA " + zsk)).isNotEqualTo(before.get("features.example. SOA " + zsk));
        assertThat(after.get("mx2.features.example. AAAA " + zsk))
                .isEqualTo(before.get("mx2.features.example. AAAA " + zsk));
        assertThat(after.get("features.example. DNSKEY " + ksk))
                .isEqualTo(before.get("features.example. DNSKEY " + ksk));
        assertThat(after.get("mx1.features.example. NSEC " + zsk))
                .isEqualTo(before.get("mx1.features.example. NSEC " + zsk));
        assertThat(second.signaturesMade()).isEqualTo(2);
        assertThat(second.signaturesKept()).isEqualTo(before.size() - 2);
    }

    @Test
    void signaturesInsideTheRefreshWindowAreReplacedWithNewOnes() throws Exception {
        SignedZone first = sign(SigningFixtures.featuresZone(), at(Duration.ZERO), List.of());

        // 14 days validity minus up to 1 day of jitter: after 6 days 12 hours, between 6.5 and 7.5
        // days are left, so some signatures are due (less than 7 days left) and some are not.
        SignedZone partly = sign(SigningFixtures.featuresZone(), at(Duration.ofHours(6 * 24 + 12)), first.records());
        // After 8 days every signature has less than 7 days left.
        SignedZone all = sign(SigningFixtures.featuresZone(), at(Duration.ofDays(8)), first.records());

        assertThat(partly.signaturesMade()).isBetween(2, signatures(first).size() - 1);
        assertThat(partly.signaturesKept()).isPositive();
        Map<String, String> before = signatures(first);
        java.time.Instant now = T0.plus(Duration.ofHours(6 * 24 + 12));
        for (Record r : partly.records()) {
            if (r instanceof RRSIGRecord s) {
                String key = s.getName() + " " + Type.string(s.getTypeCovered()) + " " + s.getFootprint();
                boolean kept = s.rdataToString().equals(before.get(key));
                boolean made = s.getTimeSigned().isAfter(T0);
                assertThat(kept).as("%s is either kept or made now", key).isNotEqualTo(made);
                assertThat(s.getExpire())
                        .as("%s has more than the refresh window left", key)
                        .isAfter(now.plus(Duration.ofDays(7)));
            }
        }
        assertThat(all.signaturesKept()).isZero();
        assertThat(all.serial()).isEqualTo(first.serial() + 1);
    }

    @Test
    void signaturesOfARemovedKeyAreDroppedAndTheNewKeySignsEverything() throws Exception {
        SignedZone first = sign(SigningFixtures.featuresZone(), at(Duration.ZERO), List.of());
        List<ZoneKey> csk = List.of(SigningFixtures.csk(DnssecAlgorithm.ED25519));

        SignedZone second = signer.sign(
                FEATURES, SigningFixtures.featuresZone(), csk, T0.plus(Duration.ofDays(1)), first.records());

        assertThat(second.signaturesKept()).isZero();
        assertThat(second.records())
                .filteredOn(r -> r instanceof RRSIGRecord)
                .allMatch(r -> ((RRSIGRecord) r).getFootprint() == csk.get(0).keyTag());
        assertThat(new ZoneVerifier(2)
                        .verify(FEATURES, second.records(), T0.plus(Duration.ofDays(1)), Duration.ZERO, "z")
                        .findings())
                .isEmpty();
    }

    @Test
    void aBaseZoneWithANewerSerialWins() throws Exception {
        SignedZone first = sign(SigningFixtures.featuresZone(), at(Duration.ZERO), List.of());
        List<Record> bumped = new ArrayList<>();
        for (Record r : SigningFixtures.featuresZone()) {
            if (r instanceof org.xbill.DNS.SOARecord soa) {
                bumped.add(new org.xbill.DNS.SOARecord(
                        soa.getName(),
                        DClass.IN,
                        soa.getTTL(),
                        soa.getHost(),
                        soa.getAdmin(),
                        2027010100L,
                        soa.getRefresh(),
                        soa.getRetry(),
                        soa.getExpire(),
                        soa.getMinimum()));
            } else {
                bumped.add(r);
            }
        }

        SignedZone second = sign(bumped, at(Duration.ofDays(1)), first.records());

        assertThat(second.serial()).isEqualTo(2027010101L);
        assertThat(second.signaturesMade()).isEqualTo(1);
        assertThat(Name.fromConstantString("features.example.")).isEqualTo(second.origin());
    }
}
