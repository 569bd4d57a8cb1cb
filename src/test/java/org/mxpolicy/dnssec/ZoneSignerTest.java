package org.mxpolicy.dnssec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mxpolicy.dnssec.SigningFixtures.FEATURES;
import static org.mxpolicy.dnssec.SigningFixtures.T0;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.InvalidInputException;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

class ZoneSignerTest {

    private static final SigningPolicy NSEC = SigningPolicy.defaults();
    private static final SigningPolicy NSEC3 = SigningPolicy.defaults().withDenial(SigningPolicy.Denial.NSEC3);

    private static SignedZone sign(SigningPolicy policy, List<ZoneKey> keys) throws InvalidInputException {
        return new ZoneSigner(policy, 2).sign(FEATURES, SigningFixtures.featuresZone(), keys, T0, List.of());
    }

    private static List<Finding> verify(SignedZone zone) {
        return new ZoneVerifier(2)
                .verify(zone.origin(), zone.records(), T0, Duration.ZERO, "signed.zone")
                .findings();
    }

    @Test
    void nsecChainCoversTheAuthoritativeNamesAndDelegationsInCanonicalOrder() throws Exception {
        SignedZone zone = sign(NSEC, List.of(SigningFixtures.csk(DnssecAlgorithm.ECDSAP256SHA256)));

        List<String> chain = SigningFixtures.ofType(zone.records(), Type.NSEC).stream()
                .map(r -> r.getName() + " -> " + ((NSECRecord) r).getNext() + " "
                        + r.rdataToString().replaceFirst("^\\S+ ", ""))
                .toList();

        // Not in the chain: glue (ns.secure, ns.insecure), data below a delegation
        // (deep.below.insecure), empty non-terminals (case, ent, c.ent, b.c.ent, _tcp.mx1, wild).
        assertThat(chain)
                .containsExactly(
                        "features.example. -> \\032space.features.example. NS SOA MX RRSIG NSEC DNSKEY",
                        "\\032space.features.example. -> a\\.b.features.example. TXT RRSIG NSEC",
                        "a\\.b.features.example. -> alias.features.example. TXT RRSIG NSEC",
                        "alias.features.example. -> upper.case.features.example. DNAME RRSIG NSEC",
                        "upper.case.features.example. -> a.b.c.ent.features.example. TXT RRSIG NSEC",
                        "a.b.c.ent.features.example. -> insecure.features.example. A RRSIG NSEC",
                        "insecure.features.example. -> mx1.features.example. NS RRSIG NSEC",
                        "mx1.features.example. -> _25._tcp.mx1.features.example. A RRSIG NSEC",
                        "_25._tcp.mx1.features.example. -> mx2.features.example. RRSIG NSEC TLSA",
                        "mx2.features.example. -> ns1.features.example. A AAAA RRSIG NSEC",
                        "ns1.features.example. -> ns2.features.example. A RRSIG NSEC",
                        "ns2.features.example. -> secure.features.example. A RRSIG NSEC",
                        "secure.features.example. -> *.wild.features.example. NS DS RRSIG NSEC",
                        "*.wild.features.example. -> features.example. TXT RRSIG NSEC");
        assertThat(zone.records())
                .filteredOn(r -> r.getType() == Type.NSEC)
                .allMatch(r -> r.getTTL() == 300, "NSEC TTL = min(SOA TTL 3600, SOA MINIMUM 300), RFC 9077");
    }

    @Test
    void signsAuthoritativeRrsetsOnlyNeverDelegationNsGlueOrOccludedData() throws Exception {
        SignedZone zone = sign(NSEC, List.of(SigningFixtures.csk(DnssecAlgorithm.ECDSAP256SHA256)));

        List<String> signed = SigningFixtures.signedRrsets(zone.records());

        assertThat(signed)
                .contains(
                        "features.example. DNSKEY",
                        "features.example. SOA",
                        "secure.features.example. DS",
                        "*.wild.features.example. TXT",
                        "mx2.features.example. AAAA",
                        "alias.features.example. DNAME",
                        "insecure.features.example. NSEC");
        assertThat(signed)
                .doesNotContain(
                        "secure.features.example. NS",
                        "insecure.features.example. NS",
                        "ns.secure.features.example. A",
                        "ns.insecure.features.example. A",
                        "ns.insecure.features.example. AAAA",
                        "deep.below.insecure.features.example. TXT");
        assertThat(signed).doesNotHaveDuplicates();
        // glue and occluded data stay in the zone
        assertThat(SigningFixtures.text(zone.records()))
                .contains(
                        "ns.insecure.features.example. 3600 IN A 192.0.2.98",
                        "deep.below.insecure.features.example. 3600 IN TXT");
        assertThat(verify(zone)).isEmpty();
    }

    @Test
    void ownerNamesAreOneNameWhateverTheirCaseAndComeOutInLowerCase() throws Exception {
        SignedZone zone = sign(NSEC, List.of(SigningFixtures.csk(DnssecAlgorithm.ED25519)));

        String text = SigningFixtures.text(zone.records());

        assertThat(text)
                .contains("mx2.features.example. 3600 IN A 192.0.2.26\n", "upper.case.features.example. 3600 IN TXT")
                .doesNotContain("MX2", "Mx2", "UPPER");
        assertThat(SigningFixtures.ofType(zone.records(), Type.NSEC))
                .filteredOn(r -> r.getName().toString().equals("mx2.features.example."))
                .hasSize(1);
    }

    @Test
    void wildcardSignatureLabelsLeaveOutTheAsterisk() throws Exception {
        SignedZone zone = sign(NSEC, List.of(SigningFixtures.csk(DnssecAlgorithm.ECDSAP256SHA256)));

        RRSIGRecord sig = (RRSIGRecord) zone.records().stream()
                .filter(r -> r instanceof RRSIGRecord s
                        && s.getTypeCovered() == Type.TXT
                        && r.getName().isWild())
                .findFirst()
                .orElseThrow();

        assertThat(sig.getLabels()).isEqualTo(3); // wild.features.example
    }

    @Test
    void kskSignsTheDnskeySetAndZskEverythingElse() throws Exception {
        List<ZoneKey> keys = SigningFixtures.kskAndZsk(DnssecAlgorithm.ECDSAP256SHA256);
        SignedZone zone = sign(NSEC, keys);

        var byCovered = SigningFixtures.ofType(zone.records(), Type.RRSIG).stream()
                .map(RRSIGRecord.class::cast)
                .collect(Collectors.groupingBy(
                        s -> s.getTypeCovered() == Type.DNSKEY,
                        Collectors.mapping(RRSIGRecord::getFootprint, Collectors.toSet())));

        assertThat(byCovered.get(true)).containsExactly(keys.get(0).keyTag());
        assertThat(byCovered.get(false)).containsExactly(keys.get(1).keyTag());
        assertThat(SigningFixtures.ofType(zone.records(), Type.DNSKEY)).hasSize(2);
        assertThat(verify(zone)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(DnssecAlgorithm.class)
    void everyAlgorithmSignsAZoneTheVerifierAccepts(DnssecAlgorithm algorithm) throws Exception {
        assertThat(verify(sign(NSEC, List.of(SigningFixtures.csk(algorithm))))).isEmpty();
        assertThat(verify(sign(NSEC3, SigningFixtures.kskAndZsk(algorithm)))).isEmpty();
    }

    @Test
    void nsec3HashesEveryNameOfTheChainEmptyNonTerminalsAndDelegationsIncluded() throws Exception {
        SignedZone zone = sign(NSEC3, List.of(SigningFixtures.csk(DnssecAlgorithm.ECDSAP256SHA256)));
        Nsec3Hasher hasher = Nsec3Hasher.recommended();

        var byOwner = SigningFixtures.ofType(zone.records(), Type.NSEC3).stream()
                .map(NSEC3Record.class::cast)
                .collect(Collectors.toMap(r -> r.getName().getLabelString(0), r -> r));

        assertThat(byOwner).hasSize(20);
        assertThat(types(byOwner, hasher, "features.example.")).isEqualTo("NS SOA MX RRSIG DNSKEY NSEC3PARAM");
        assertThat(types(byOwner, hasher, "ent.features.example.")).isEmpty();
        assertThat(types(byOwner, hasher, "b.c.ent.features.example.")).isEmpty();
        assertThat(types(byOwner, hasher, "_tcp.mx1.features.example.")).isEmpty();
        assertThat(types(byOwner, hasher, "wild.features.example.")).isEmpty();
        assertThat(types(byOwner, hasher, "*.wild.features.example.")).isEqualTo("TXT RRSIG");
        assertThat(types(byOwner, hasher, "insecure.features.example.")).isEqualTo("NS");
        assertThat(types(byOwner, hasher, "secure.features.example.")).isEqualTo("NS DS RRSIG");
        assertThat(byOwner)
                .doesNotContainKey(
                        Nsec3Hasher.base32hex(hasher.hash(Name.fromConstantString("ns.insecure.features.example."))));
        assertThat(byOwner.values()).allSatisfy(r -> {
            assertThat(r.getFlags()).as("no opt-out").isZero();
            assertThat(r.getIterations()).isZero();
            assertThat(r.getSalt()).isNull();
            assertThat(r.getTTL()).isEqualTo(300);
        });
        assertThat(SigningFixtures.text(zone.records())).contains("features.example. 0 IN NSEC3PARAM 1 0 0 -\n");
        assertThat(verify(zone)).isEmpty();
    }

    private static String types(java.util.Map<String, NSEC3Record> byOwner, Nsec3Hasher hasher, String name) {
        NSEC3Record r = byOwner.get(Nsec3Hasher.base32hex(hasher.hash(Name.fromConstantString(name))));
        assertThat(r).as("NSEC3 for %s", name).isNotNull();
        return ZoneStructure.typeList(r.getTypes()).replace("(none)", "");
    }

    @Test
    void nsec3NextHashesCloseTheChainInHashOrder() throws Exception {
        SignedZone zone = sign(NSEC3, List.of(SigningFixtures.csk(DnssecAlgorithm.ED25519)));

        List<NSEC3Record> chain = SigningFixtures.ofType(zone.records(), Type.NSEC3).stream()
                .map(NSEC3Record.class::cast)
                .sorted((a, b) ->
                        a.getName().getLabelString(0).compareTo(b.getName().getLabelString(0)))
                .toList();

        for (int i = 0; i < chain.size(); i++) {
            assertThat(Nsec3Hasher.base32hex(chain.get(i).getNext()))
                    .isEqualTo(chain.get((i + 1) % chain.size()).getName().getLabelString(0));
        }
    }

    @Test
    void signaturesStartAnHourBackAndEndWithinTheJitterBeforeFourteenDays() throws Exception {
        SignedZone zone = sign(NSEC, List.of(SigningFixtures.csk(DnssecAlgorithm.ECDSAP256SHA256)));

        List<RRSIGRecord> sigs = SigningFixtures.ofType(zone.records(), Type.RRSIG).stream()
                .map(RRSIGRecord.class::cast)
                .toList();

        assertThat(sigs).allSatisfy(s -> {
            assertThat(s.getTimeSigned()).isEqualTo(T0.minus(Duration.ofHours(1)));
            assertThat(s.getExpire()).isBetween(T0.plus(Duration.ofDays(13)), T0.plus(Duration.ofDays(14)));
        });
        assertThat(sigs.stream().map(RRSIGRecord::getExpire).distinct().count())
                .as("jitter spreads expirations")
                .isGreaterThan(10);
    }

    @Test
    void withBouncyCastleSameInputSameTimeSameBytes() throws Exception {
        List<ZoneKey> keys = List.of(SigningFixtures.csk(DnssecAlgorithm.ECDSAP256SHA256));

        String first = SigningFixtures.text(new ZoneSigner(NSEC3, 2, SignatureProvider.BOUNCY_CASTLE)
                .sign(FEATURES, SigningFixtures.featuresZone(), keys, T0, List.of())
                .records());
        String second = SigningFixtures.text(new ZoneSigner(NSEC3, 1, SignatureProvider.BOUNCY_CASTLE)
                .sign(FEATURES, SigningFixtures.featuresZone(), keys, T0, List.of())
                .records());

        assertThat(second).isEqualTo(first);
    }

    @ParameterizedTest
    @EnumSource(DnssecAlgorithm.class)
    void withConscryptSameInputSameTimeSameRecordsAndOnlyEcdsaSignatureBytesDiffer(DnssecAlgorithm algorithm)
            throws Exception {
        List<ZoneKey> keys = List.of(SigningFixtures.csk(algorithm));

        List<Record> first = new ZoneSigner(NSEC3, 2, SignatureProvider.CONSCRYPT)
                .sign(FEATURES, SigningFixtures.featuresZone(), keys, T0, List.of())
                .records();
        List<Record> second = new ZoneSigner(NSEC3, 1, SignatureProvider.CONSCRYPT)
                .sign(FEATURES, SigningFixtures.featuresZone(), keys, T0, List.of())
                .records();

        assertThat(withoutSignatureBytes(second)).isEqualTo(withoutSignatureBytes(first));
        List<byte[]> a = signatureBytes(first);
        List<byte[]> b = signatureBytes(second);
        for (int i = 0; i < a.size(); i++) {
            if (algorithm == DnssecAlgorithm.ECDSAP256SHA256) {
                // BoringSSL's nonces are random: a signature made twice is never the same twice.
                assertThat(b.get(i)).isNotEqualTo(a.get(i));
            } else {
                assertThat(b.get(i)).isEqualTo(a.get(i));
            }
        }
    }

    /** The zone's text with each RRSIG's signature field left out. */
    private static String withoutSignatureBytes(List<Record> records) {
        return records.stream()
                .map(r -> r instanceof RRSIGRecord sig
                        ? sig.getName() + " " + sig.getTTL() + " RRSIG " + Type.string(sig.getTypeCovered()) + " "
                                + sig.getAlgorithm()
                                + " " + sig.getLabels() + " " + sig.getOrigTTL() + " " + sig.getExpire() + " "
                                + sig.getTimeSigned()
                                + " " + sig.getFootprint() + " " + sig.getSigner()
                        : r.toString())
                .collect(Collectors.joining("\n"));
    }

    private static List<byte[]> signatureBytes(List<Record> records) {
        return SigningFixtures.ofType(records, Type.RRSIG).stream()
                .map(r -> ((RRSIGRecord) r).getSignature())
                .toList();
    }

    @ParameterizedTest
    @EnumSource(DnssecAlgorithm.class)
    void aZoneSignedWithEitherProviderVerifiesWithTheOther(DnssecAlgorithm algorithm) throws Exception {
        List<ZoneKey> keys = SigningFixtures.kskAndZsk(algorithm);
        for (SignatureProvider signer : SignatureProvider.values()) {
            SignedZone zone =
                    new ZoneSigner(NSEC, 2, signer).sign(FEATURES, SigningFixtures.featuresZone(), keys, T0, List.of());
            for (SignatureProvider verifier : SignatureProvider.values()) {
                ZoneVerifier.Result result =
                        new ZoneVerifier(2, verifier).verify(FEATURES, zone.records(), T0, Duration.ZERO, "z");

                assertThat(result.findings())
                        .as("signed with %s, verified with %s", signer, verifier)
                        .isEmpty();
                assertThat(result.signatures()).isEqualTo(zone.signaturesMade());
            }
        }
    }

    @Test
    void serialIsBumpedAndTheSoaKeepsItsOtherFields() throws Exception {
        SignedZone zone = sign(NSEC, List.of(SigningFixtures.csk(DnssecAlgorithm.ECDSAP256SHA256)));

        SOARecord soa =
                (SOARecord) SigningFixtures.ofType(zone.records(), Type.SOA).get(0);

        assertThat(soa.getSerial()).isEqualTo(2026010102L);
        assertThat(zone.serial()).isEqualTo(2026010102L);
        assertThat(soa.getMinimum()).isEqualTo(300);
    }

    @Test
    void alreadySignedInputIsStrippedAndSignedAnew() throws Exception {
        List<ZoneKey> keys = List.of(SigningFixtures.csk(DnssecAlgorithm.ECDSAP256SHA256));
        SignedZone once = sign(NSEC3, keys);

        SignedZone twice = new ZoneSigner(NSEC, 2).sign(FEATURES, once.records(), keys, T0, List.of());

        assertThat(SigningFixtures.ofType(twice.records(), Type.NSEC3)).isEmpty();
        assertThat(SigningFixtures.ofType(twice.records(), Type.NSEC3PARAM)).isEmpty();
        assertThat(SigningFixtures.ofType(twice.records(), Type.DNSKEY)).hasSize(1);
        assertThat(twice.serial()).isEqualTo(once.serial() + 1);
        assertThat(verify(twice)).isEmpty();
    }

    @Test
    void aDnskeyOfAnotherSignerStaysInTheDnskeySet() throws Exception {
        ZoneKey other = SigningFixtures.key(FEATURES, DnssecAlgorithm.ECDSAP256SHA256, ZoneKey.FLAGS_ZSK, 9);
        List<Record> zone = new java.util.ArrayList<>(SigningFixtures.featuresZone());
        zone.add(other.dnskey());

        SignedZone signed = new ZoneSigner(NSEC, 2)
                .sign(FEATURES, zone, List.of(SigningFixtures.csk(DnssecAlgorithm.ECDSAP256SHA256)), T0, List.of());

        assertThat(SigningFixtures.ofType(signed.records(), Type.DNSKEY))
                .map(r -> ((DNSKEYRecord) r).getFootprint())
                .contains(other.keyTag())
                .hasSize(2);
        assertThat(verify(signed)).isEmpty();
    }

    @Test
    void keysThatCannotSignTheZoneAreRefusedWithEveryReason() {
        ZoneKey zskOnly = SigningFixtures.key(FEATURES, DnssecAlgorithm.ECDSAP256SHA256, ZoneKey.FLAGS_ZSK, 4);
        ZoneKey ed = SigningFixtures.csk(DnssecAlgorithm.ED25519);
        ZoneKey publicOnly =
                new ZoneKey(ed.zone(), ed.dnskey(), ed.algorithm(), ed.publicKey(), java.util.Optional.empty());

        assertThatThrownBy(() -> sign(NSEC, List.of(zskOnly, publicOnly)))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).findings())
                        .extracting(Finding::id)
                        .containsExactly("dnssec.no-ksk", "dnssec.no-private-key"));
        assertThatThrownBy(() -> sign(NSEC, List.of()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("no keys");
    }

    @Test
    void dsAtANameWithoutNsIsRefused() {
        List<Record> zone = SigningFixtures.parse(FEATURES, """
                @ 3600 IN SOA ns1 hostmaster 1 7200 3600 1209600 300
                @ 3600 IN NS ns1
                ns1 3600 IN A 192.0.2.1
                nochild 3600 IN DS 60485 13 2 d4b7d520e7bb5f0f67674a0cceb1e3e0614b93c4f9e99b8383f6a1e4469da50a
                """);

        assertThatThrownBy(() -> new ZoneSigner(NSEC, 1)
                        .sign(FEATURES, zone, List.of(SigningFixtures.csk(DnssecAlgorithm.ED25519)), T0, List.of()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("dnssec.ds-not-at-delegation");
    }

    @Test
    void dataBelowADnameIsOccluded() throws Exception {
        List<Record> zone = SigningFixtures.parse(FEATURES, """
                @ 3600 IN SOA ns1 hostmaster 1 7200 3600 1209600 300
                @ 3600 IN NS ns1
                ns1 3600 IN A 192.0.2.1
                alias 3600 IN DNAME example.net.
                x.alias 3600 IN A 192.0.2.7
                """);

        SignedZone signed = new ZoneSigner(NSEC, 1)
                .sign(FEATURES, zone, List.of(SigningFixtures.csk(DnssecAlgorithm.ED25519)), T0, List.of());

        assertThat(SigningFixtures.signedRrsets(signed.records()))
                .contains("alias.features.example. DNAME")
                .doesNotContain("x.alias.features.example. A");
        assertThat(SigningFixtures.ofType(signed.records(), Type.NSEC))
                .extracting(r -> r.getName().toString())
                .doesNotContain("x.alias.features.example.");
        assertThat(verify(signed)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(SigningPolicy.Denial.class)
    void theRootSignsWithEitherDenialAndVerifies(SigningPolicy.Denial denial) throws Exception {
        List<Record> root = SigningFixtures.parse(Name.root, """
                . 86400 IN SOA a.root-servers.net. nstld.verisign-grs.com. 2026120701 1800 900 604800 86400
                . 518400 IN NS a.root-servers.net.
                a.root-servers.net. 518400 IN A 198.41.0.4
                """);
        ZoneKey key = SigningFixtures.key(Name.root, DnssecAlgorithm.ECDSAP256SHA256, ZoneKey.FLAGS_KSK, 1);

        SignedZone zone = new ZoneSigner(SigningPolicy.defaults().withDenial(denial), 2)
                .sign(Name.root, root, List.of(key), T0, List.of());

        assertThat(verify(zone)).isEmpty();
        if (denial == SigningPolicy.Denial.NSEC3) {
            // one label under the root, "<hash>.", never "<hash>.."
            assertThat(SigningFixtures.ofType(zone.records(), Type.NSEC3))
                    .isNotEmpty()
                    .allSatisfy(r -> assertThat(r.getName().labels()).isEqualTo(2));
        }
    }

    /** RFC 8078 section 4: a CDNSKEY "0 3 0 AA==" at the apex asks the parent to delete the DS; it is data, not a key. */
    @Test
    void aCdnskeyAtTheApexIsSignedAsDataNotTakenForAKey() throws Exception {
        List<Record> zone = new java.util.ArrayList<>(SigningFixtures.featuresZone());
        zone.add(Record.fromString(FEATURES, Type.CDNSKEY, org.xbill.DNS.DClass.IN, 3600, "0 3 0 AA==", FEATURES));
        zone.add(Record.fromString(FEATURES, Type.CDS, org.xbill.DNS.DClass.IN, 3600, "0 0 0 00", FEATURES));

        List<Record> signed = new ZoneSigner(SigningPolicy.defaults(), 1)
                .sign(FEATURES, zone, List.of(SigningFixtures.csk(DnssecAlgorithm.ECDSAP256SHA256)), T0, List.of())
                .records();

        assertThat(SigningFixtures.signedRrsets(signed)).contains("features.example. CDNSKEY", "features.example. CDS");
        assertThat(new ZoneVerifier(1)
                        .verify(FEATURES, signed, T0, Duration.ZERO, "z")
                        .findings())
                .isEmpty();
    }
}
