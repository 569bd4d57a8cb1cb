package org.mxpolicy.dnssec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mxpolicy.dnssec.SigningFixtures.FEATURES;
import static org.mxpolicy.dnssec.SigningFixtures.T0;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.Severity;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

class ZoneVerifierTest {

    private static List<Record> signed(SigningPolicy.Denial denial, List<ZoneKey> keys) throws Exception {
        return new ZoneSigner(SigningPolicy.defaults().withDenial(denial), 2)
                .sign(FEATURES, SigningFixtures.featuresZone(), keys, T0, List.of())
                .records();
    }

    private static List<Record> nsecZone() throws Exception {
        return signed(SigningPolicy.Denial.NSEC, List.of(SigningFixtures.csk(DnssecAlgorithm.ECDSAP256SHA256)));
    }

    private static List<Finding> verify(List<Record> zone) {
        return verify(zone, T0, Duration.ZERO);
    }

    private static List<Finding> verify(List<Record> zone, Instant now, Duration horizon) {
        return new ZoneVerifier(2)
                .verify(FEATURES, zone, now, horizon, "signed.zone")
                .findings();
    }

    /** The zone with the first record matching {@code which} replaced (or removed, for null). */
    private static List<Record> edit(
            List<Record> zone, java.util.function.Predicate<Record> which, UnaryOperator<Record> how) {
        List<Record> out = new ArrayList<>();
        boolean done = false;
        for (Record r : zone) {
            if (!done && which.test(r)) {
                done = true;
                Record replaced = how.apply(r);
                if (replaced != null) {
                    out.add(replaced);
                }
            } else {
                out.add(r);
            }
        }
        assertThat(done).as("a record to edit").isTrue();
        return out;
    }

    private static boolean sigOf(Record r, String owner, int type) {
        return r instanceof RRSIGRecord s
                && s.getTypeCovered() == type
                && r.getName().toString().equals(owner);
    }

    private static RRSIGRecord corrupt(RRSIGRecord s) {
        byte[] signature = s.getSignature().clone();
        signature[signature.length / 2] ^= 0x01;
        return new RRSIGRecord(
                s.getName(),
                s.getDClass(),
                s.getTTL(),
                s.getTypeCovered(),
                s.getAlgorithm(),
                s.getOrigTTL(),
                s.getExpire(),
                s.getTimeSigned(),
                s.getFootprint(),
                s.getSigner(),
                signature);
    }

    @Test
    void aZoneTheSignerMadeHasNoFindings() throws Exception {
        ZoneVerifier.Result result =
                new ZoneVerifier(2).verify(FEATURES, nsecZone(), T0, Duration.ofDays(3), "signed.zone");

        assertThat(result.findings()).isEmpty();
        assertThat(result.denial()).contains(SigningPolicy.Denial.NSEC);
        assertThat(result.signatures()).isEqualTo(result.rrsets());
    }

    @Test
    void oneCorruptedSignatureIsReportedWithItsRrset() throws Exception {
        List<Record> zone = edit(
                nsecZone(), r -> sigOf(r, "_25._tcp.mx1.features.example.", Type.TLSA), r -> corrupt((RRSIGRecord) r));

        List<Finding> findings = verify(zone);

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.id()).isEqualTo("dnssec.bad-signature");
            assertThat(f.format())
                    .startsWith("signed.zone: error: _25._tcp.mx1.features.example. TLSA RRSIG by key tag");
        });
    }

    @Test
    void aMissingNsecRecordIsReported() throws Exception {
        List<Record> zone = edit(
                nsecZone(),
                r -> r instanceof NSECRecord && r.getName().toString().equals("mx2.features.example."),
                r -> null);

        List<Finding> findings = verify(zone);

        assertThat(findings).extracting(Finding::id).contains("dnssec.nsec-missing", "dnssec.orphan-signature");
        assertThat(findings)
                .filteredOn(f -> f.id().equals("dnssec.nsec-missing"))
                .singleElement()
                .satisfies(f -> assertThat(f.message()).contains("mx2.features.example."));
    }

    @Test
    void aWrongTypeBitmapIsReported() throws Exception {
        List<Record> zone = edit(
                nsecZone(),
                r -> r instanceof NSECRecord && r.getName().toString().equals("mx2.features.example."),
                r -> new NSECRecord(r.getName(), DClass.IN, r.getTTL(), ((NSECRecord) r).getNext(), new int[] {
                    Type.A, Type.RRSIG, Type.NSEC
                }));

        List<Finding> findings = verify(zone);

        assertThat(findings)
                .extracting(Finding::id)
                .containsExactlyInAnyOrder("dnssec.nsec-bitmap", "dnssec.bad-signature");
        assertThat(findings)
                .filteredOn(f -> f.id().equals("dnssec.nsec-bitmap"))
                .singleElement()
                .satisfies(f ->
                        assertThat(f.message()).contains("lists A RRSIG NSEC, but the name has A AAAA RRSIG NSEC"));
    }

    @Test
    void aBrokenNextPointerIsAGap() throws Exception {
        List<Record> zone = edit(
                nsecZone(),
                r -> r instanceof NSECRecord && r.getName().toString().equals("mx2.features.example."),
                r -> new NSECRecord(
                        r.getName(),
                        DClass.IN,
                        r.getTTL(),
                        org.xbill.DNS.Name.fromConstantString("secure.features.example."),
                        ((NSECRecord) r).getTypes()));

        assertThat(verify(zone)).extracting(Finding::id).contains("dnssec.nsec-gap");
    }

    @Test
    void expiredSignaturesAreErrorsAndSoonExpiringOnesWarnings() throws Exception {
        List<Record> zone = nsecZone();

        List<Finding> later = verify(zone, T0.plus(Duration.ofDays(20)), Duration.ZERO);
        List<Finding> soon = verify(zone, T0.plus(Duration.ofDays(10)), Duration.ofDays(7));

        assertThat(later).isNotEmpty().allSatisfy(f -> assertThat(f.id()).isIn("dnssec.expired"));
        assertThat(later).hasSize((int)
                zone.stream().filter(r -> r instanceof RRSIGRecord).count());
        assertThat(soon).isNotEmpty().allSatisfy(f -> {
            assertThat(f.id()).isEqualTo("dnssec.expiring");
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
        });
    }

    @Test
    void signaturesFromTheFutureAreNotYetValid() throws Exception {
        assertThat(verify(nsecZone(), T0.minus(Duration.ofDays(1)), Duration.ZERO))
                .isNotEmpty()
                .allSatisfy(f -> assertThat(f.id()).isEqualTo("dnssec.not-yet-valid"));
    }

    @Test
    void aDnskeySetSignedOnlyByTheZskIsNotSelfSigned() throws Exception {
        List<ZoneKey> keys = SigningFixtures.kskAndZsk(DnssecAlgorithm.ED25519);
        List<Record> zone = signed(SigningPolicy.Denial.NSEC, keys);
        RRSIGRecord kskSig = (RRSIGRecord) zone.stream()
                .filter(r -> sigOf(r, "features.example.", Type.DNSKEY))
                .findFirst()
                .orElseThrow();
        // Re-sign the DNSKEY set with the ZSK alone.
        List<Record> zskSigned = new ZoneSigner(SigningPolicy.defaults(), 1)
                .sign(
                        FEATURES,
                        SigningFixtures.featuresZone(),
                        List.of(SigningFixtures.key(FEATURES, DnssecAlgorithm.ED25519, ZoneKey.FLAGS_KSK, 3)),
                        T0,
                        List.of())
                .records();
        assertThat(kskSig).isNotNull();
        RRSIGRecord byZsk = (RRSIGRecord) zskSigned.stream()
                .filter(r -> sigOf(r, "features.example.", Type.DNSKEY))
                .findFirst()
                .orElseThrow();
        // The signature bytes verify with the ZSK (same key material, flags 256 in this zone)...
        RRSIGRecord swapped = new RRSIGRecord(
                byZsk.getName(),
                DClass.IN,
                byZsk.getTTL(),
                Type.DNSKEY,
                byZsk.getAlgorithm(),
                byZsk.getOrigTTL(),
                byZsk.getExpire(),
                byZsk.getTimeSigned(),
                keys.get(1).keyTag(),
                byZsk.getSigner(),
                new byte[64]);
        List<Record> edited = edit(zone, r -> sigOf(r, "features.example.", Type.DNSKEY), r -> swapped);

        List<Finding> findings = verify(edited);

        assertThat(findings).extracting(Finding::id).contains("dnssec.dnskey-not-self-signed", "dnssec.bad-signature");
    }

    @Test
    void anUnsignedRrsetIsMissingItsSignature() throws Exception {
        List<Record> zone = edit(nsecZone(), r -> sigOf(r, "mx2.features.example.", Type.AAAA), r -> null);

        assertThat(verify(zone)).singleElement().satisfies(f -> {
            assertThat(f.id()).isEqualTo("dnssec.missing-signature");
            assertThat(f.message()).startsWith("mx2.features.example. AAAA has no signature by an algorithm 13 key");
        });
    }

    @Test
    void signedGlueIsReported() throws Exception {
        List<Record> zone = new ArrayList<>(nsecZone());
        RRSIGRecord template = (RRSIGRecord) zone.stream()
                .filter(r -> sigOf(r, "mx2.features.example.", Type.A))
                .findFirst()
                .orElseThrow();
        zone.add(new RRSIGRecord(
                org.xbill.DNS.Name.fromConstantString("ns.insecure.features.example."),
                DClass.IN,
                3600,
                Type.A,
                template.getAlgorithm(),
                3600,
                template.getExpire(),
                template.getTimeSigned(),
                template.getFootprint(),
                template.getSigner(),
                template.getSignature()));

        assertThat(verify(zone)).extracting(Finding::id).containsExactly("dnssec.unexpected-signature");
    }

    @Test
    void aZoneWithoutChainOrKeysIsNotSigned() {
        List<Finding> findings = verify(SigningFixtures.featuresZone());

        assertThat(findings).extracting(Finding::id).contains("dnssec.no-dnskey", "dnssec.no-chain");
    }

    @Test
    void nsec3ChainProblemsAreReported() throws Exception {
        List<Record> zone =
                signed(SigningPolicy.Denial.NSEC3, List.of(SigningFixtures.csk(DnssecAlgorithm.ECDSAP256SHA256)));
        String entOwner = Nsec3Hasher.base32hex(
                Nsec3Hasher.recommended().hash(org.xbill.DNS.Name.fromConstantString("ent.features.example.")));

        List<Record> missing = edit(
                zone,
                r -> r instanceof NSEC3Record && r.getName().getLabelString(0).equals(entOwner),
                r -> null);
        List<Record> bitmap = edit(
                zone,
                r -> r instanceof NSEC3Record && r.getName().getLabelString(0).equals(entOwner),
                r -> {
                    NSEC3Record n = (NSEC3Record) r;
                    return new NSEC3Record(
                            n.getName(), DClass.IN, n.getTTL(), 1, 0, 0, null, n.getNext(), new int[] {Type.A});
                });

        assertThat(verify(zone)).isEmpty();
        assertThat(verify(missing)).extracting(Finding::id).contains("dnssec.nsec3-missing", "dnssec.nsec3-gap");
        assertThat(verify(bitmap)).extracting(Finding::id).contains("dnssec.nsec3-bitmap", "dnssec.bad-signature");
    }

    /** The zone signed with NSEC3, plus a second chain with a salt, signed, and its NSEC3PARAM if {@code announced}. */
    private static List<Record> withSecondChain(boolean announced, java.util.function.Predicate<Record> drop)
            throws Exception {
        ZoneKey key = SigningFixtures.csk(DnssecAlgorithm.ECDSAP256SHA256);
        List<Record> zone = signed(SigningPolicy.Denial.NSEC3, List.of(key));
        byte[] salt = {(byte) 0xab, (byte) 0xcd};
        org.xbill.DNS.SOARecord soa =
                (org.xbill.DNS.SOARecord) SigningFixtures.ofType(zone, Type.SOA).get(0);
        long ttl = Math.min(soa.getMinimum(), soa.getTTL());
        Instant inception = T0.minus(Duration.ofHours(1));
        Instant expiration = T0.plus(Duration.ofDays(14));
        List<Record> out = new ArrayList<>(zone);
        List<Record> data = zone.stream()
                .filter(r -> r.getType() != Type.RRSIG && r.getType() != Type.NSEC3)
                .toList();
        for (Record r : ZoneSigner.nsec3Chain(ZoneStructure.of(FEATURES, data), ttl, new Nsec3Hasher(0, salt))) {
            if (!drop.test(r)) {
                out.add(r);
                out.add(org.xbill.DNS.DNSSEC.sign(
                        new org.xbill.DNS.RRset(r),
                        key.dnskey(),
                        key.privateKey().orElseThrow(),
                        inception,
                        expiration));
            }
        }
        if (announced) {
            Record param = SigningFixtures.ofType(zone, Type.NSEC3PARAM).get(0);
            Record second = new org.xbill.DNS.NSEC3PARAMRecord(FEATURES, DClass.IN, param.getTTL(), 1, 0, 0, salt);
            out.removeIf(r -> r instanceof RRSIGRecord s && s.getTypeCovered() == Type.NSEC3PARAM);
            out.add(second);
            org.xbill.DNS.RRset params = new org.xbill.DNS.RRset(param);
            params.addRR(second);
            out.add(org.xbill.DNS.DNSSEC.sign(
                    params, key.dnskey(), key.privateKey().orElseThrow(), inception, expiration));
        }
        return out;
    }

    /** RFC 5155 section 7.3: while the parameters change, the zone carries two chains, each complete. */
    @Test
    void twoCompleteNsec3ChainsVerify() throws Exception {
        assertThat(verify(withSecondChain(true, r -> false))).isEmpty();
        assertThat(verify(withSecondChain(false, r -> false))).isEmpty();
    }

    @Test
    void anIncompleteSecondChainIsAWarningWhileTheOtherIsComplete() throws Exception {
        String entOwner = Nsec3Hasher.base32hex(new Nsec3Hasher(0, new byte[] {(byte) 0xab, (byte) 0xcd})
                .hash(org.xbill.DNS.Name.fromConstantString("ent.features.example.")));
        List<Finding> findings =
                verify(withSecondChain(true, r -> r.getName().getLabelString(0).equals(entOwner)));

        assertThat(findings).isNotEmpty().allMatch(f -> f.severity() == Severity.WARNING);
        assertThat(findings).extracting(Finding::id).contains("dnssec.nsec3-missing");
        assertThat(findings.get(0).message()).startsWith("NSEC3 chain (hash 1, 0 iterations, salt abcd): ");
    }

    @Test
    void withNoCompleteChainEveryProblemIsAnError() throws Exception {
        List<Record> zone = edit(
                withSecondChain(true, r -> false), r -> r instanceof NSEC3Record n && n.getSalt() == null, r -> null);

        assertThat(verify(zone)).extracting(Finding::id).contains("dnssec.nsec3-missing");
        assertThat(verify(zone)).filteredOn(Finding::isError).isNotEmpty();
    }
}
