package org.mxpolicy.dnssec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mxpolicy.dnssec.SigningFixtures.FEATURES;
import static org.mxpolicy.dnssec.SigningFixtures.T0;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.mxpolicy.dnssec.KeyTiming.Event;
import org.mxpolicy.finding.InvalidInputException;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** The signer uses each key as its timing says at the signing time. */
class KeyTimingSigningTest {

    private static final DnssecAlgorithm ALG = DnssecAlgorithm.ECDSAP256SHA256;
    private static final Duration DAY = Duration.ofDays(1);

    private static final ZoneKey KSK = SigningFixtures.key(FEATURES, ALG, ZoneKey.FLAGS_KSK, 11)
            .withTiming(timing(T0.minus(DAY.multipliedBy(60)), T0.minus(DAY.multipliedBy(60)), null, null));
    /** Active until T0 + 10 days, deleted at T0 + 20 days. */
    private static final ZoneKey OLD_ZSK = SigningFixtures.key(FEATURES, ALG, ZoneKey.FLAGS_ZSK, 12)
            .withTiming(timing(
                    T0.minus(DAY.multipliedBy(60)),
                    T0.minus(DAY.multipliedBy(60)),
                    T0.plus(DAY.multipliedBy(10)),
                    T0.plus(DAY.multipliedBy(20))));
    /** Published from T0 - 1 day, active from T0 + 10 days. */
    private static final ZoneKey NEW_ZSK = SigningFixtures.key(FEATURES, ALG, ZoneKey.FLAGS_ZSK, 13)
            .withTiming(timing(T0.minus(DAY), T0.plus(DAY.multipliedBy(10)), null, null));
    /** Published from T0 + 5 days. */
    private static final ZoneKey FUTURE_ZSK = SigningFixtures.key(FEATURES, ALG, ZoneKey.FLAGS_ZSK, 14)
            .withTiming(timing(T0.plus(DAY.multipliedBy(5)), T0.plus(DAY.multipliedBy(40)), null, null));
    /** Deleted at T0 - 5 days. */
    private static final ZoneKey GONE_ZSK = SigningFixtures.key(FEATURES, ALG, ZoneKey.FLAGS_ZSK, 15)
            .withTiming(timing(
                    T0.minus(DAY.multipliedBy(90)),
                    T0.minus(DAY.multipliedBy(90)),
                    T0.minus(DAY.multipliedBy(60)),
                    T0.minus(DAY.multipliedBy(5))));

    private static final List<ZoneKey> KEYS = List.of(KSK, OLD_ZSK, NEW_ZSK, FUTURE_ZSK, GONE_ZSK);

    static KeyTiming timing(Instant publish, Instant activate, Instant inactive, Instant delete) {
        KeyTiming t = KeyTiming.NONE.with(Event.CREATED, publish).with(Event.PUBLISH, publish);
        t = activate == null ? t : t.with(Event.ACTIVATE, activate);
        t = inactive == null ? t : t.with(Event.INACTIVE, inactive);
        return delete == null ? t : t.with(Event.DELETE, delete);
    }

    private static SignedZone sign(List<ZoneKey> keys, Instant at, List<Record> previous) throws InvalidInputException {
        SignedZone zone = new ZoneSigner(SigningPolicy.defaults(), 2)
                .sign(FEATURES, SigningFixtures.featuresZone(), keys, at, previous);
        assertThat(new ZoneVerifier(2)
                        .verify(zone.origin(), zone.records(), at, Duration.ZERO, "signed.zone")
                        .findings())
                .isEmpty();
        return zone;
    }

    private static Set<Integer> dnskeyTags(SignedZone zone) {
        return zone.records().stream()
                .filter(r -> r instanceof DNSKEYRecord && r.getType() == Type.DNSKEY)
                .map(r -> ((DNSKEYRecord) r).getFootprint())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The key tags of the RRSIGs over {@code type} (DNSKEY) or over every other type (any other value). */
    private static Set<Integer> signerTags(SignedZone zone, boolean dnskey) {
        return zone.records().stream()
                .filter(r -> r instanceof RRSIGRecord sig && (sig.getTypeCovered() == Type.DNSKEY) == dnskey)
                .map(r -> ((RRSIGRecord) r).getFootprint())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void prePublicationStepPublishesTheSuccessorWithoutItsSignatures() throws Exception {
        SignedZone zone = sign(KEYS, T0, List.of());

        assertThat(dnskeyTags(zone)).containsExactlyInAnyOrder(KSK.keyTag(), OLD_ZSK.keyTag(), NEW_ZSK.keyTag());
        assertThat(signerTags(zone, true)).containsExactly(KSK.keyTag());
        assertThat(signerTags(zone, false)).containsExactly(OLD_ZSK.keyTag());
    }

    @Test
    void switchStepKeepsTheOldKeyPublishedAndSignsWithTheNewOne() throws Exception {
        Instant switched = T0.plus(DAY.multipliedBy(12));

        SignedZone zone = sign(KEYS, switched, List.of());

        assertThat(dnskeyTags(zone))
                .containsExactlyInAnyOrder(KSK.keyTag(), OLD_ZSK.keyTag(), NEW_ZSK.keyTag(), FUTURE_ZSK.keyTag());
        assertThat(signerTags(zone, true)).containsExactly(KSK.keyTag());
        assertThat(signerTags(zone, false)).containsExactly(NEW_ZSK.keyTag());
    }

    @Test
    void afterDeleteTheOldKeyIsGone() throws Exception {
        SignedZone zone = sign(KEYS, T0.plus(DAY.multipliedBy(21)), List.of());

        assertThat(dnskeyTags(zone)).doesNotContain(OLD_ZSK.keyTag(), GONE_ZSK.keyTag());
        assertThat(signerTags(zone, false)).containsExactly(NEW_ZSK.keyTag());
    }

    @Test
    void reSigningDropsSignaturesOfAKeyNoLongerActiveAndSignsWithTheNewlyActiveOne() throws Exception {
        SignedZone before = sign(KEYS, T0.plus(DAY.multipliedBy(9)), List.of());
        assertThat(signerTags(before, false)).containsExactly(OLD_ZSK.keyTag());

        // two days later: the old ZSK's signatures are still fresh, but it is inactive now
        SignedZone after = sign(KEYS, T0.plus(DAY.multipliedBy(11)), before.records());

        assertThat(signerTags(after, false)).containsExactly(NEW_ZSK.keyTag());
        assertThat(dnskeyTags(after)).contains(OLD_ZSK.keyTag());
        // the one kept: the KSK's over the DNSKEY RRset, which did not change
        assertThat(after.signaturesKept()).isEqualTo(1);
    }

    @Test
    void reSigningKeepsFreshSignaturesOfKeysThatStayActive() throws Exception {
        SignedZone before = sign(KEYS, T0, List.of());

        SignedZone after = sign(KEYS, T0.plus(Duration.ofHours(1)), before.records());

        assertThat(after.signaturesKept()).isPositive();
        assertThat(signerTags(after, false)).containsExactly(OLD_ZSK.keyTag());
    }

    @Test
    void noActiveZskIsRefusedNamingTheKeysAndWhenTheSuccessorBecomesActive() {
        ZoneKey late = SigningFixtures.key(FEATURES, ALG, ZoneKey.FLAGS_ZSK, 13)
                .withTiming(timing(T0.minus(DAY), T0.plus(DAY.multipliedBy(12)), null, null));
        Instant at = T0.plus(DAY.multipliedBy(11));

        assertThatThrownBy(() -> sign(List.of(KSK, OLD_ZSK, late), at, List.of()))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> {
                    var findings = ((InvalidInputException) e).findings();
                    assertThat(findings).singleElement().satisfies(f -> {
                        assertThat(f.id()).isEqualTo("dnssec.no-active-key");
                        assertThat(f.message())
                                .doesNotContain("\n")
                                .contains("zone features.example.")
                                .contains("zone-signing key (ZSK)")
                                .contains(OLD_ZSK.baseName() + " (ZSK) inactive since 2026-03-12T10:00:00Z")
                                .contains(late.baseName() + " becomes active at 2026-03-14T10:00:00Z");
                    });
                });
    }

    @Test
    void noActiveKskIsRefused() {
        ZoneKey retired =
                KSK.withTiming(timing(T0.minus(DAY.multipliedBy(60)), T0.minus(DAY.multipliedBy(60)), T0, null));

        assertThatThrownBy(() -> sign(List.of(retired, OLD_ZSK), T0, List.of()))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).findings())
                        .singleElement()
                        .satisfies(f -> assertThat(f.message())
                                .contains("no active key-signing key (KSK)")
                                .contains("inactive since " + T0)
                                .contains("mxpolicy keygen --zone features.example. --ksk")));
    }

    @Test
    void aCombinedKeyWithAnInactiveZskLeftPublishedSignsEverything() throws Exception {
        ZoneKey retired = OLD_ZSK.withTiming(
                timing(T0.minus(DAY.multipliedBy(60)), T0.minus(DAY.multipliedBy(60)), T0.minus(DAY), null));

        SignedZone zone = sign(List.of(KSK, retired), T0, List.of());

        assertThat(dnskeyTags(zone)).containsExactlyInAnyOrder(KSK.keyTag(), retired.keyTag());
        assertThat(signerTags(zone, false)).containsExactly(KSK.keyTag());
    }

    @Test
    void aRevokedKskIsPublishedWithTheRevokeBitAndSignsTheDnskeySetOnly() throws Exception {
        ZoneKey revoked = SigningFixtures.key(FEATURES, ALG, ZoneKey.FLAGS_KSK, 16)
                .withTiming(timing(T0.minus(DAY.multipliedBy(90)), T0.minus(DAY.multipliedBy(90)), null, null)
                        .with(Event.REVOKE, T0.minus(DAY)));

        SignedZone zone = sign(List.of(KSK, OLD_ZSK, revoked), T0, List.of());

        int revokedTag = revoked.revoked().keyTag();
        assertThat(revokedTag).isNotEqualTo(revoked.keyTag());
        assertThat(zone.records())
                .filteredOn(r -> r instanceof DNSKEYRecord k && k.getFootprint() == revokedTag)
                .singleElement()
                .satisfies(r -> assertThat(((DNSKEYRecord) r).getFlags()).isEqualTo(385));
        assertThat(dnskeyTags(zone)).doesNotContain(revoked.keyTag());
        assertThat(signerTags(zone, true)).containsExactlyInAnyOrder(KSK.keyTag(), revokedTag);
        assertThat(signerTags(zone, false)).containsExactly(OLD_ZSK.keyTag());
    }

    @Test
    void keysWithoutTimingSignAsBefore() throws Exception {
        SignedZone zone = sign(SigningFixtures.kskAndZsk(ALG), T0, List.of());

        assertThat(signerTags(zone, false)).hasSize(1);
        assertThat(dnskeyTags(zone)).hasSize(2);
    }

    @Test
    void keysWithSyncTimesMakeTheCdsAndCdnskeyRrsetsOfTheirWindow() throws Exception {
        ZoneKey next = SigningFixtures.key(FEATURES, ALG, ZoneKey.FLAGS_KSK, 16)
                .withTiming(timing(T0.minus(DAY), null, null, null)
                        .with(Event.SYNC_PUBLISH, T0.minus(DAY))
                        .with(Event.SYNC_DELETE, T0.plus(DAY)));
        ZoneKey current = KSK.withTiming(KSK.timing().with(Event.SYNC_PUBLISH, T0.minus(DAY.multipliedBy(2))));
        List<ZoneKey> keys = List.of(current, next, OLD_ZSK);

        SignedZone during = sign(keys, T0, List.of());
        assertThat(tagsOf(during, Type.CDS)).containsExactlyInAnyOrder(current.keyTag(), next.keyTag());
        assertThat(tagsOf(during, Type.CDNSKEY)).containsExactlyInAnyOrder(current.keyTag(), next.keyTag());
        // signed by the key-signing key that signs, not by the published successor
        assertThat(during.records().stream()
                        .filter(r -> r instanceof RRSIGRecord sig && sig.getTypeCovered() == Type.CDS)
                        .map(r -> ((RRSIGRecord) r).getFootprint()))
                .containsExactly(current.keyTag());

        SignedZone after = sign(keys, T0.plus(DAY.multipliedBy(2)), during.records());
        assertThat(tagsOf(after, Type.CDS)).containsExactly(current.keyTag());

        // a key without sync times: CDS stays the zone file's business
        assertThat(tagsOf(sign(KEYS, T0, List.of()), Type.CDS)).isEmpty();
    }

    private static Set<Integer> tagsOf(SignedZone zone, int type) {
        return zone.records().stream()
                .filter(r -> r.getType() == type)
                .map(r -> r instanceof org.xbill.DNS.CDSRecord cds
                        ? cds.getFootprint()
                        : ((org.xbill.DNS.CDNSKEYRecord) r).getFootprint())
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
