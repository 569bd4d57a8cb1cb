package org.mxpolicy.dnssec;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.Severity;
import org.mxpolicy.finding.SourcePosition;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.NSEC3PARAMRecord;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * Checks a signed zone the way a validator would see it, and more: every RRSIG against the DNSKEY
 * RRset (cryptographically, and its validity period), that every authoritative RRset has a valid
 * signature of every algorithm in the DNSKEY set (RFC 4035 section 2.2), that the DNSKEY set is
 * signed by a key with the SEP flag, and that the NSEC or NSEC3 chain is complete: the expected
 * chain is computed from the zone's data and compared record by record, type bitmaps included
 * (RFC 4035 section 2.3, RFC 5155 section 7.1). Pure: records in, findings out; every problem is
 * reported, in canonical owner-name order.
 *
 * <p>Finding ids: {@code dnssec.bad-signature}, {@code dnssec.missing-signature},
 * {@code dnssec.unknown-key}, {@code dnssec.expired}, {@code dnssec.not-yet-valid},
 * {@code dnssec.expiring} (warning), {@code dnssec.unexpected-signature},
 * {@code dnssec.orphan-signature}, {@code dnssec.no-dnskey}, {@code dnssec.dnskey-not-self-signed},
 * {@code dnssec.no-chain}, {@code dnssec.mixed-chain}, {@code dnssec.nsec-missing},
 * {@code dnssec.nsec-gap}, {@code dnssec.nsec-bitmap}, {@code dnssec.nsec-extra},
 * {@code dnssec.nsec3-missing}, {@code dnssec.nsec3-gap}, {@code dnssec.nsec3-bitmap},
 * {@code dnssec.nsec3-extra}, {@code dnssec.nsec3-params}, {@code dnssec.nsec3param-missing},
 * {@code dnssec.nsec3-iterations} (warning), {@code dnssec.chain-ttl} (warning).
 */
public final class ZoneVerifier {

    private final int parallelism;
    private final SignatureProvider provider;

    public ZoneVerifier() {
        this(Runtime.getRuntime().availableProcessors());
    }

    public ZoneVerifier(int parallelism) {
        this(parallelism, SignatureProvider.preferred());
    }

    /** With the given provider rather than the preferred one, so that tests cover both. */
    ZoneVerifier(int parallelism, SignatureProvider provider) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism " + parallelism);
        }
        this.parallelism = parallelism;
        this.provider = java.util.Objects.requireNonNull(provider, "provider");
    }

    /**
     * What verification found.
     *
     * @param findings every problem, errors and warnings
     * @param denial the zone's chain type, empty when it has none
     * @param rrsets authoritative RRsets checked
     * @param signatures RRSIGs checked
     * @param earliestExpiration the earliest expiration of a valid signature, empty when none
     * @param verifiedEarlier signatures not checked cryptographically again because a
     *     {@link VerifiedSignatures} showed them to have verified over the same data with the same
     *     keys; the others were
     */
    public record Result(
            List<Finding> findings,
            Optional<SigningPolicy.Denial> denial,
            int rrsets,
            int signatures,
            Optional<Instant> earliestExpiration,
            int verifiedEarlier) {

        public Result {
            findings = List.copyOf(findings);
        }

        public boolean hasErrors() {
            return findings.stream().anyMatch(Finding::isError);
        }

        /**
         * Whether the zone fails verification: an error, or a signature expiring within the horizon
         * (what the horizon was asked for). Other warnings, about how the zone was made (NSEC3
         * iterations, chain TTLs, a second NSEC3 chain), fail it only when {@code strict}: zones other
         * signers made carry them and still validate.
         */
        public boolean fails(boolean strict) {
            return hasErrors() || findings.stream().anyMatch(f -> strict || f.id().equals("dnssec.expiring"));
        }
    }

    /** An RRset that must be signed. */
    private record Unit(Name owner, int type, List<Record> rrset) {}

    /**
     * What checking one RRset's signatures found.
     *
     * @param sepAlgorithms algorithms with a signature by a key with the SEP flag, valid or not
     */
    private record UnitResult(
            List<Finding> findings,
            int signatures,
            Set<Integer> sepAlgorithms,
            Instant earliest,
            int verifiedEarlier) {}

    /**
     * Signatures of a zone that passed this verifier in full, remembered as: the signature bytes,
     * and a SHA-256 over the DNSKEY records it could be by and the data it signs (RRSIG RDATA without
     * the signature, then the RRset in canonical form; RFC 4034 section 3.1.8.1). A signature in a
     * later zone that is the same bytes over the same data by the same keys verifies as it did then,
     * so only the checks that depend on the time, the chain and the zone's structure are made again.
     * Build it only from a zone known to have verified (one this verifier accepted, and unchanged
     * since).
     */
    public static final class VerifiedSignatures {
        private static final VerifiedSignatures NONE = new VerifiedSignatures(Map.of());

        private final Map<ByteBuffer, byte[]> digests;

        private VerifiedSignatures(Map<ByteBuffer, byte[]> digests) {
            this.digests = digests;
        }

        public static VerifiedSignatures none() {
            return NONE;
        }

        /**
         * The signatures of {@code zone}, a zone that verified, over the RRsets they cover there. The
         * records of one owner name are expected next to each other, as in a zone in canonical order
         * (what {@code mxpolicy sign} writes); a signature whose RRset is spread out is simply not
         * remembered, and is verified in full when it is met again.
         */
        public static VerifiedSignatures of(Name origin, List<Record> zone) {
            Name apex = origin.canonicalize();
            List<DNSKEYRecord> dnskeys = new ArrayList<>();
            List<Integer> runs = new ArrayList<>();
            Name previous = null;
            int signatureCount = 0;
            for (int i = 0; i < zone.size(); i++) {
                Record r = zone.get(i);
                Name name = r.getName();
                if (previous == null || !name.equals(previous)) {
                    runs.add(i);
                    previous = name;
                }
                if (r instanceof RRSIGRecord) {
                    signatureCount++;
                } else if (r.getType() == Type.DNSKEY && r instanceof DNSKEYRecord k && name.equals(apex)) {
                    dnskeys.add(k);
                }
            }
            runs.add(zone.size());
            Keys keys = new Keys(dnskeys, SignatureProvider.preferred());
            Map<ByteBuffer, byte[]> digests = new java.util.concurrent.ConcurrentHashMap<>(signatureCount * 4 / 3 + 1);
            Parallel.forEach(
                    runs.size() - 1, Runtime.getRuntime().availableProcessors(), "indexing signatures", run -> {
                        List<Record> here = zone.subList(runs.get(run), runs.get(run + 1));
                        // Grouped once per owner: a large RRset is not walked again for each of its signatures.
                        Map<Integer, List<Record>> byType = new HashMap<>();
                        for (Record r : here) {
                            if (!(r instanceof RRSIGRecord)) {
                                byType.computeIfAbsent(r.getType(), t -> new ArrayList<>(1))
                                        .add(r);
                            }
                        }
                        for (Record r : here) {
                            if (!(r instanceof RRSIGRecord sig)) {
                                continue;
                            }
                            List<DNSKEYRecord> candidates = sig.getSigner().equals(apex) ? keys.find(sig) : List.of();
                            List<Record> rrset = byType.get(sig.getTypeCovered());
                            if (rrset != null && !candidates.isEmpty()) {
                                digests.put(
                                        ByteBuffer.wrap(sig.getSignature()),
                                        digest(candidates, SignedData.of(sig, rrset)));
                            }
                        }
                    });
            return new VerifiedSignatures(digests);
        }

        /** Whether {@code sig} is a signature remembered here, over {@code signed} by {@code candidates}. */
        boolean covers(RRSIGRecord sig, List<DNSKEYRecord> candidates, byte[] signed) {
            byte[] known = digests.get(ByteBuffer.wrap(sig.getSignature()));
            return known != null && Arrays.equals(known, digest(candidates, signed));
        }

        private static byte[] digest(List<DNSKEYRecord> candidates, byte[] signed) {
            org.bouncycastle.crypto.digests.SHA256Digest digest = new org.bouncycastle.crypto.digests.SHA256Digest();
            List<byte[]> keys = candidates.stream()
                    .map(Record::rdataToWireCanonical)
                    .sorted(Arrays::compareUnsigned)
                    .toList();
            for (byte[] rdata : keys) {
                digest.update((byte) (rdata.length >>> 8));
                digest.update((byte) rdata.length);
                digest.update(rdata, 0, rdata.length);
            }
            digest.update(signed, 0, signed.length);
            byte[] out = new byte[digest.getDigestSize()];
            digest.doFinal(out, 0);
            return out;
        }
    }

    /**
     * Verifies a signed zone.
     *
     * @param origin the apex
     * @param records every record of the zone
     * @param now the time signatures must be valid at
     * @param horizon signatures that expire sooner than this after {@code now} are reported as
     *     warnings ({@code dnssec.expiring}); zero for none
     * @param source the file name, for findings
     */
    public Result verify(Name origin, List<Record> records, Instant now, Duration horizon, String source) {
        return verify(origin, records, now, horizon, source, VerifiedSignatures.none());
    }

    /**
     * Verifies a signed zone whose signatures may in part have verified before: those found in
     * {@code earlier} (same signature bytes, same signed data, same keys) are not checked
     * cryptographically again; every other check is made as {@link #verify(Name, List, Instant,
     * Duration, String)} makes it.
     */
    public Result verify(
            Name origin,
            List<Record> records,
            Instant now,
            Duration horizon,
            String source,
            VerifiedSignatures earlier) {
        return verify(origin, records, now, horizon, source, earlier, Progress.NONE);
    }

    /**
     * Verifies a signed zone as {@link #verify(Name, List, Instant, Duration, String,
     * VerifiedSignatures)} does, telling {@code progress} after each RRset.
     */
    public Result verify(
            Name origin,
            List<Record> records,
            Instant now,
            Duration horizon,
            String source,
            VerifiedSignatures earlier,
            Progress progress) {
        Name apex = origin.canonicalize();
        SourcePosition where = SourcePosition.file(source);
        Map<Name, Map<Integer, List<RRSIGRecord>>> signatures = new HashMap<>();
        TreeMap<Name, List<NSECRecord>> nsecs = new TreeMap<>();
        TreeMap<Name, List<NSEC3Record>> nsec3s = new TreeMap<>();
        List<Record> data = new ArrayList<>(records.size());
        for (Record r : records) {
            Name name = r.getName().canonicalize();
            if (r instanceof RRSIGRecord sig) {
                signatures
                        .computeIfAbsent(name, n -> new HashMap<>())
                        .computeIfAbsent(sig.getTypeCovered(), t -> new ArrayList<>(2))
                        .add(sig);
            } else if (r instanceof NSECRecord nsec) {
                nsecs.computeIfAbsent(name, n -> new ArrayList<>(1)).add(nsec);
            } else if (r instanceof NSEC3Record nsec3) {
                nsec3s.computeIfAbsent(name, n -> new ArrayList<>(1)).add(nsec3);
            } else {
                data.add(r);
            }
        }
        ZoneStructure structure = ZoneStructure.of(apex, data);
        List<Finding> findings = new ArrayList<>();
        ZoneStructure.Node apexNode = structure.apex();
        if (apexNode == null || !apexNode.rrsets.containsKey(Type.SOA)) {
            findings.add(Finding.error("dnssec.no-soa", where, "no SOA record at the apex " + apex));
            return new Result(findings, Optional.empty(), 0, 0, Optional.empty(), 0);
        }
        List<DNSKEYRecord> dnskeys = apexNode.rrsets.getOrDefault(Type.DNSKEY, List.of()).stream()
                .map(DNSKEYRecord.class::cast)
                .toList();
        if (dnskeys.isEmpty()) {
            findings.add(Finding.error(
                    "dnssec.no-dnskey", where, "no DNSKEY records at the apex " + apex + ": the zone is not signed"));
        }
        Keys keys = new Keys(dnskeys, provider);

        List<Unit> units = new ArrayList<>();
        for (ZoneStructure.Node node : structure.nodes()) {
            for (int type : node.signedTypes()) {
                units.add(new Unit(node.name, type, node.rrsets.get(type)));
            }
        }
        nsecs.forEach((name, list) -> units.add(new Unit(name, Type.NSEC, List.copyOf(list))));
        nsec3s.forEach((name, list) -> units.add(new Unit(name, Type.NSEC3, List.copyOf(list))));
        units.sort(Comparator.comparing(Unit::owner).thenComparingInt(Unit::type));

        UnitResult[] results = verifyAll(units, signatures, keys, apex, now, horizon, where, earlier, progress);
        Set<Integer> dnskeySepAlgorithms = new TreeSet<>();
        int signatureCount = 0;
        int verifiedEarlier = 0;
        Instant earliest = null;
        for (int i = 0; i < units.size(); i++) {
            UnitResult result = results[i];
            findings.addAll(result.findings());
            signatureCount += result.signatures();
            verifiedEarlier += result.verifiedEarlier();
            if (result.earliest() != null
                    && (earliest == null || result.earliest().isBefore(earliest))) {
                earliest = result.earliest();
            }
            if (units.get(i).type() == Type.DNSKEY && units.get(i).owner().equals(apex)) {
                dnskeySepAlgorithms.addAll(result.sepAlgorithms());
            }
        }
        for (int algorithm : keys.algorithms()) {
            if (!dnskeySepAlgorithms.contains(algorithm)) {
                findings.add(Finding.error(
                        "dnssec.dnskey-not-self-signed",
                        where,
                        apex + " DNSKEY has no signature"
                                + " by an algorithm " + algorithm
                                + " key with the SEP flag (KSK or CSK); validators that start"
                                + " from the DS in the parent cannot trust the zone's keys"));
            }
        }
        findings.addAll(strays(structure, signatures, units, where));

        Optional<SigningPolicy.Denial> denial = Optional.empty();
        boolean nsec3 = !nsec3s.isEmpty() || apexNode.rrsets.containsKey(Type.NSEC3PARAM);
        if (nsec3 && !nsecs.isEmpty()) {
            findings.add(Finding.error(
                    "dnssec.mixed-chain", where, "the zone has both NSEC and NSEC3 records; it needs one" + " chain"));
        }
        SOARecord soa = (SOARecord) apexNode.rrsets.get(Type.SOA).get(0);
        long chainTtl = Math.min(soa.getMinimum(), soa.getTTL());
        if (nsec3) {
            denial = Optional.of(SigningPolicy.Denial.NSEC3);
            findings.addAll(checkNsec3(structure, nsec3s, chainTtl, where));
        } else if (!nsecs.isEmpty()) {
            denial = Optional.of(SigningPolicy.Denial.NSEC);
            findings.addAll(checkNsec(structure, nsecs, chainTtl, where));
        } else {
            findings.add(Finding.error(
                    "dnssec.no-chain",
                    where,
                    "no NSEC or NSEC3 records: nothing proves that a name or"
                            + " type does not exist, and validators treat every negative answer as bogus"));
        }
        return new Result(
                findings, denial, units.size(), signatureCount, Optional.ofNullable(earliest), verifiedEarlier);
    }

    /** The DNSKEY set, by key tag and algorithm, with the public keys made ready once. */
    private static final class Keys {
        private final Map<Integer, List<DNSKEYRecord>> byTagAndAlgorithm = new HashMap<>();
        private final IdentityHashMap<DNSKEYRecord, VerifyingKey> verifying = new IdentityHashMap<>();
        private final Set<Integer> algorithms = new TreeSet<>();

        Keys(List<DNSKEYRecord> dnskeys, SignatureProvider provider) {
            for (DNSKEYRecord k : dnskeys) {
                if ((k.getFlags() & ZoneKey.FLAG_ZONE) == 0 || k.getProtocol() != 3) {
                    continue;
                }
                byTagAndAlgorithm
                        .computeIfAbsent(k.getFootprint() << 8 | k.getAlgorithm(), x -> new ArrayList<>(1))
                        .add(k);
                verifying.put(k, VerifyingKey.of(k, provider));
                algorithms.add(k.getAlgorithm());
            }
        }

        List<DNSKEYRecord> find(RRSIGRecord sig) {
            return byTagAndAlgorithm.getOrDefault(sig.getFootprint() << 8 | sig.getAlgorithm(), List.of());
        }

        Set<Integer> algorithms() {
            return algorithms;
        }

        boolean verifies(DNSKEYRecord key, RRSIGRecord sig, byte[] data, List<Record> records, Instant now) {
            VerifyingKey fast = verifying.get(key);
            if (fast != null) {
                return fast.verify(data, sig.getSignature());
            }
            try {
                // Only for algorithms mxpolicy has no key class for; dnsjava's RRset is quadratic in its size.
                RRset rrset = new RRset();
                records.forEach(rrset::addRR);
                DNSSEC.verify(rrset, sig, key, now);
                return true;
            } catch (DNSSEC.DNSSECException e) {
                return false;
            }
        }
    }

    private UnitResult[] verifyAll(
            List<Unit> units,
            Map<Name, Map<Integer, List<RRSIGRecord>>> signatures,
            Keys keys,
            Name apex,
            Instant now,
            Duration horizon,
            SourcePosition where,
            VerifiedSignatures earlier,
            Progress progress) {
        UnitResult[] results = new UnitResult[units.size()];
        String task = "verifying " + apex.toString(true);
        java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
        Parallel.forEach(units.size(), parallelism, "verifying", i -> {
            Unit unit = units.get(i);
            Map<Integer, List<RRSIGRecord>> here = signatures.get(unit.owner());
            List<RRSIGRecord> sigs = here == null ? List.of() : here.getOrDefault(unit.type(), List.of());
            results[i] = verifyUnit(unit, sigs, keys, apex, now, horizon, where, earlier);
            progress.advanced(task, done.incrementAndGet(), units.size());
        });
        return results;
    }

    private static UnitResult verifyUnit(
            Unit unit,
            List<RRSIGRecord> sigs,
            Keys keys,
            Name apex,
            Instant now,
            Duration horizon,
            SourcePosition where,
            VerifiedSignatures earlier) {
        List<Finding> findings = new ArrayList<>();
        Set<Integer> present = new HashSet<>();
        Set<Integer> valid = new HashSet<>();
        Set<Integer> sepSigned = new HashSet<>();
        Instant earliest = null;
        int verifiedEarlier = 0;
        // Messages are built only for findings: most RRsets of a large zone have none.
        java.util.function.Supplier<String> what = () -> unit.owner() + " " + Type.string(unit.type());
        int labels = unit.owner().labels() - 1 - (unit.owner().isWild() ? 1 : 0);
        for (RRSIGRecord sig : sigs) {
            present.add(sig.getAlgorithm());
            java.util.function.Supplier<String> by = () ->
                    what.get() + " RRSIG by key tag " + sig.getFootprint() + " (algorithm " + sig.getAlgorithm() + ")";
            List<DNSKEYRecord> candidates = sig.getSigner().equals(apex) ? keys.find(sig) : List.of();
            if (candidates.isEmpty()) {
                findings.add(Finding.error(
                        "dnssec.unknown-key",
                        where,
                        by.get() + " signed by " + sig.getSigner() + ": no such key in the DNSKEY set of " + apex));
                continue;
            }
            if (candidates.stream().anyMatch(k -> (k.getFlags() & ZoneKey.FLAG_SEP) != 0)) {
                // Whether it verifies is reported below; "not self-signed" is for no such signature at all.
                sepSigned.add(sig.getAlgorithm());
            }
            if (now.isAfter(sig.getExpire())) {
                findings.add(Finding.error(
                        "dnssec.expired", where, by.get() + " expired at " + sig.getExpire() + "; re-sign the zone"));
                continue;
            }
            if (now.isBefore(sig.getTimeSigned())) {
                findings.add(Finding.error(
                        "dnssec.not-yet-valid",
                        where,
                        by.get() + " is valid only from " + sig.getTimeSigned() + "; check the signer's clock"));
                continue;
            }
            if (sig.getLabels() != labels) {
                findings.add(Finding.error(
                        "dnssec.bad-signature",
                        where,
                        by.get() + " has labels " + sig.getLabels() + ", but the owner name has " + labels
                                + " (RFC 4034 section 3.1.3)"));
                continue;
            }
            byte[] signed = SignedData.of(sig, unit.rrset());
            boolean verifies = earlier.covers(sig, candidates, signed);
            if (verifies) {
                verifiedEarlier++;
            }
            for (int k = 0; k < candidates.size() && !verifies; k++) {
                DNSKEYRecord key = candidates.get(k);
                if (keys.verifies(key, sig, signed, unit.rrset(), now)) {
                    verifies = true;
                    break;
                }
            }
            if (!verifies) {
                findings.add(Finding.error(
                        "dnssec.bad-signature",
                        where,
                        by.get() + " does not verify: the signature does not" + " match the records and the key"));
                continue;
            }
            valid.add(sig.getAlgorithm());
            if (earliest == null || sig.getExpire().isBefore(earliest)) {
                earliest = sig.getExpire();
            }
            if (sig.getExpire().isBefore(now.plus(horizon))) {
                findings.add(new Finding(
                        Severity.WARNING,
                        "dnssec.expiring",
                        where,
                        by.get() + " expires at " + sig.getExpire() + ", within " + horizonText(horizon)
                                + "; re-sign the zone"));
            }
        }
        for (int algorithm : keys.algorithms()) {
            if (!valid.contains(algorithm) && !present.contains(algorithm)) {
                findings.add(
                        Finding.error(
                                "dnssec.missing-signature",
                                where,
                                what.get() + " has no signature by an algorithm " + algorithm
                                        + " key; every RRset needs one per algorithm in the DNSKEY set (RFC 4035 section 2.2)"));
            }
        }
        return new UnitResult(findings, sigs.size(), sepSigned, earliest, verifiedEarlier);
    }

    private static String horizonText(Duration d) {
        long seconds = d.toSeconds();
        if (seconds % 86400 == 0) {
            return seconds / 86400 + "d";
        }
        if (seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        return seconds + "s";
    }

    /** Signatures over RRsets that must not be signed (glue, delegation NS) or that do not exist. */
    private static List<Finding> strays(
            ZoneStructure structure,
            Map<Name, Map<Integer, List<RRSIGRecord>>> signatures,
            List<Unit> units,
            SourcePosition where) {
        Map<Name, Set<Integer>> expected = new HashMap<>(units.size() * 4 / 3 + 1);
        for (Unit u : units) {
            expected.computeIfAbsent(u.owner(), n -> new HashSet<>(2)).add(u.type());
        }
        // Only the strays are sorted, for the order of the findings.
        TreeMap<Name, TreeSet<Integer>> stray = new TreeMap<>();
        signatures.forEach((name, byType) -> {
            Set<Integer> here = expected.getOrDefault(name, Set.of());
            for (int type : byType.keySet()) {
                if (!here.contains(type)) {
                    stray.computeIfAbsent(name, n -> new TreeSet<>()).add(type);
                }
            }
        });
        List<Finding> findings = new ArrayList<>();
        stray.forEach((name, types) -> types.forEach(type -> {
            ZoneStructure.Node node = structure.node(name);
            String what = name + " " + Type.string(type);
            if (node != null && node.rrsets.containsKey(type)) {
                findings.add(
                        Finding.error(
                                "dnssec.unexpected-signature",
                                where,
                                what + " is signed, but the zone is not"
                                        + " authoritative for it (delegation NS, glue or occluded data; RFC 4035 section 2.2)"));
            } else {
                findings.add(Finding.error(
                        "dnssec.orphan-signature",
                        where,
                        what + " RRSIG covers an RRset that is not in" + " the zone"));
            }
        }));
        return findings;
    }

    private static List<Finding> checkNsec(
            ZoneStructure structure, NavigableMap<Name, List<NSECRecord>> nsecs, long ttl, SourcePosition where) {
        List<Finding> findings = new ArrayList<>();
        List<ZoneStructure.Node> chain = structure.nsecChain();
        Set<Name> names = new HashSet<>();
        for (int i = 0; i < chain.size(); i++) {
            ZoneStructure.Node node = chain.get(i);
            names.add(node.name);
            List<NSECRecord> here = nsecs.get(node.name);
            if (here == null) {
                findings.add(Finding.error(
                        "dnssec.nsec-missing",
                        where,
                        "no NSEC record at " + node.name
                                + "; the NSEC chain must include every name of the zone (RFC 4034 section 4)"));
                continue;
            }
            if (here.size() > 1) {
                findings.add(Finding.error(
                        "dnssec.nsec-extra",
                        where,
                        here.size() + " NSEC records at " + node.name + "; a name has one"));
            }
            NSECRecord nsec = here.get(0);
            Name next = chain.get((i + 1) % chain.size()).name;
            if (!nsec.getNext().equals(next)) {
                findings.add(Finding.error(
                        "dnssec.nsec-gap",
                        where,
                        "the NSEC record at " + node.name + " points to " + nsec.getNext()
                                + ", but the next name in the zone is " + next));
            }
            int[] expected = node.nsecTypes();
            int[] actual = sortedTypes(nsec.getTypes());
            if (!Arrays.equals(expected, actual)) {
                findings.add(Finding.error(
                        "dnssec.nsec-bitmap",
                        where,
                        "the NSEC record at " + node.name + " lists " + ZoneStructure.typeList(actual)
                                + ", but the name has " + ZoneStructure.typeList(expected)));
            }
            if (nsec.getTTL() != ttl) {
                findings.add(Finding.warning(
                        "dnssec.chain-ttl",
                        where,
                        "the NSEC record at " + node.name + " has TTL " + nsec.getTTL()
                                + "; RFC 9077 asks for the lesser of the SOA's TTL and MINIMUM, " + ttl));
            }
        }
        for (Name name : nsecs.keySet()) {
            if (!names.contains(name)) {
                findings.add(Finding.error(
                        "dnssec.nsec-extra",
                        where,
                        "NSEC record at " + name + ", which is not a name"
                                + " of the zone's chain (glue, occluded data or no data at all)"));
            }
        }
        return findings;
    }

    /** The parameters that make NSEC3 records one chain: hash algorithm, iterations, salt (hex). */
    private record ChainParameters(int hash, int iterations, String salt) {
        static ChainParameters of(int hash, int iterations, byte[] salt) {
            return new ChainParameters(
                    hash,
                    iterations,
                    salt == null ? "" : java.util.HexFormat.of().formatHex(salt));
        }

        @Override
        public String toString() {
            return "hash " + hash + ", " + iterations + " iterations, salt " + (salt.isEmpty() ? "-" : salt);
        }
    }

    /**
     * The NSEC3 chains, each on its own (RFC 5155 section 7.3: during a change of parameters a zone
     * carries the old chain and the new one, and servers use the one its NSEC3PARAM names). The
     * denial is sound when a chain named by an NSEC3PARAM (hash 1, flags 0) is complete; problems of
     * the other chains, named by another NSEC3PARAM or by none (one being built or taken down), are
     * then warnings. With no complete chain, every problem is an error.
     */
    private static List<Finding> checkNsec3(
            ZoneStructure structure, NavigableMap<Name, List<NSEC3Record>> nsec3s, long ttl, SourcePosition where) {
        Name apex = structure.origin();
        java.util.LinkedHashSet<ChainParameters> announced = new java.util.LinkedHashSet<>();
        for (Record r : structure.apex().rrsets.getOrDefault(Type.NSEC3PARAM, List.of())) {
            NSEC3PARAMRecord p = (NSEC3PARAMRecord) r;
            if (p.getHashAlgorithm() == Nsec3Hasher.SHA1 && p.getFlags() == 0) {
                announced.add(ChainParameters.of(p.getHashAlgorithm(), p.getIterations(), p.getSalt()));
            }
        }
        if (announced.isEmpty()) {
            List<Finding> findings = new ArrayList<>();
            findings.add(Finding.error(
                    "dnssec.nsec3param-missing",
                    where,
                    "no NSEC3PARAM record (hash 1, flags 0) at " + apex
                            + "; authoritative servers need it to answer with the NSEC3 chain"));
            if (!nsec3s.isEmpty()) {
                NSEC3Record first = nsec3s.firstEntry().getValue().get(0);
                findings.addAll(checkChain(
                        structure,
                        nsec3s,
                        ttl,
                        where,
                        ChainParameters.of(Nsec3Hasher.SHA1, first.getIterations(), first.getSalt())));
            }
            return findings;
        }
        Map<ChainParameters, TreeMap<Name, List<NSEC3Record>>> chains = new java.util.LinkedHashMap<>();
        for (Map.Entry<Name, List<NSEC3Record>> e : nsec3s.entrySet()) {
            for (NSEC3Record r : e.getValue()) {
                chains.computeIfAbsent(
                                ChainParameters.of(r.getHashAlgorithm(), r.getIterations(), r.getSalt()),
                                k -> new TreeMap<>())
                        .computeIfAbsent(e.getKey(), k -> new ArrayList<>(1))
                        .add(r);
            }
        }
        Map<ChainParameters, List<Finding>> results = new java.util.LinkedHashMap<>();
        for (ChainParameters p : announced) {
            results.put(p, checkChain(structure, chains.getOrDefault(p, new TreeMap<>()), ttl, where, p));
        }
        boolean complete = results.values().stream().anyMatch(f -> f.stream().noneMatch(Finding::isError));
        for (Map.Entry<ChainParameters, TreeMap<Name, List<NSEC3Record>>> e : chains.entrySet()) {
            if (!announced.contains(e.getKey())) {
                results.put(
                        e.getKey(),
                        e.getKey().hash() == Nsec3Hasher.SHA1
                                ? checkChain(structure, e.getValue(), ttl, where, e.getKey())
                                : List.of(Finding.warning(
                                        "dnssec.nsec3-params",
                                        where,
                                        e.getValue().size() + " NSEC3 records with" + " hash algorithm "
                                                + e.getKey().hash() + ", which is not SHA-1; not checked")));
            }
        }
        boolean several = results.size() > 1;
        List<Finding> findings = new ArrayList<>();
        for (Map.Entry<ChainParameters, List<Finding>> e : results.entrySet()) {
            boolean secondary = complete
                    && !(announced.contains(e.getKey()) && e.getValue().stream().noneMatch(Finding::isError));
            String prefix = !several
                    ? ""
                    : "NSEC3 chain (" + e.getKey()
                            + (announced.contains(e.getKey())
                                    ? ""
                                    : "; no NSEC3PARAM names it, so it is being built or removed")
                            + "): ";
            for (Finding f : e.getValue()) {
                findings.add(
                        f.isError() && secondary
                                ? Finding.warning(f.id(), f.position(), prefix + f.message())
                                : prefix.isEmpty()
                                        ? f
                                        : new Finding(f.severity(), f.id(), f.position(), prefix + f.message()));
            }
        }
        return findings;
    }

    /** One NSEC3 chain against the names of the zone (RFC 5155 section 7.1). */
    private static List<Finding> checkChain(
            ZoneStructure structure,
            NavigableMap<Name, List<NSEC3Record>> nsec3s,
            long ttl,
            SourcePosition where,
            ChainParameters chain) {
        List<Finding> findings = new ArrayList<>();
        Name apex = structure.origin();
        int iterations = chain.iterations();
        byte[] salt = java.util.HexFormat.of().parseHex(chain.salt());
        if (iterations > 0) {
            findings.add(
                    Finding.warning(
                            "dnssec.nsec3-iterations",
                            where,
                            "NSEC3 with " + iterations
                                    + " extra iterations; RFC 9276 section 3.1 asks for 0, and validators may treat more as insecure"));
        }
        boolean optOut = nsec3s.values().stream().flatMap(List::stream).anyMatch(r -> (r.getFlags() & 1) != 0);

        List<ZoneSigner.HashedName> expected;
        try {
            expected = ZoneSigner.hashChain(structure, new Nsec3Hasher(iterations, salt));
        } catch (InvalidInputException e) {
            findings.addAll(e.findings().stream()
                    .map(f -> Finding.error(f.id(), where, f.message()))
                    .toList());
            return findings;
        }
        Map<String, ZoneStructure.Node> expectedByLabel = new HashMap<>();
        for (ZoneSigner.HashedName h : expected) {
            expectedByLabel.put(Nsec3Hasher.base32hex(h.hash()), h.node());
        }

        // The records as they are, in hash order, to follow their next-hash pointers.
        TreeMap<String, NSEC3Record> actual = new TreeMap<>();
        for (Map.Entry<Name, List<NSEC3Record>> e : nsec3s.entrySet()) {
            Name owner = e.getKey();
            String label =
                    owner.labels() == apex.labels() + 1 && owner.subdomain(apex) ? owner.getLabelString(0) : null;
            byte[] hash = label == null ? null : Nsec3Hasher.fromBase32hex(label);
            if (hash == null) {
                findings.add(Finding.error(
                        "dnssec.nsec3-extra",
                        where,
                        "NSEC3 record at " + owner + ", which is not a" + " base32hex SHA-1 hash directly below "
                                + apex));
                continue;
            }
            if (e.getValue().size() > 1) {
                findings.add(
                        Finding.error("dnssec.nsec3-extra", where, e.getValue().size() + " NSEC3 records at " + owner));
            }
            NSEC3Record r = e.getValue().get(0);
            byte[] rSalt = r.getSalt() == null ? new byte[0] : r.getSalt();
            if (r.getHashAlgorithm() != Nsec3Hasher.SHA1
                    || r.getIterations() != iterations
                    || !Arrays.equals(rSalt, salt)) {
                findings.add(Finding.error(
                        "dnssec.nsec3-params",
                        where,
                        "the NSEC3 record at " + owner + " has hash "
                                + r.getHashAlgorithm() + ", " + r.getIterations() + " iterations and salt "
                                + (rSalt.length == 0
                                        ? "-"
                                        : java.util.HexFormat.of().formatHex(rSalt))
                                + ", unlike the zone's NSEC3PARAM"));
            }
            actual.put(label.toLowerCase(java.util.Locale.ROOT), r);
        }

        for (ZoneSigner.HashedName h : expected) {
            String label = Nsec3Hasher.base32hex(h.hash());
            NSEC3Record r = actual.get(label);
            ZoneStructure.Node node = h.node();
            if (r == null) {
                boolean optional =
                        optOut && (node.insecureDelegation() || node.kind == ZoneStructure.Kind.EMPTY_NON_TERMINAL);
                if (!optional) {
                    findings.add(Finding.error(
                            "dnssec.nsec3-missing",
                            where,
                            "no NSEC3 record for " + node.name + " (at " + label + "." + apex
                                    + "); the chain must include every name (RFC 5155 section 7.1)"));
                }
                continue;
            }
            int[] expectedTypes = node.nsec3Types();
            int[] actualTypes = sortedTypes(r.getTypes());
            if (!Arrays.equals(expectedTypes, actualTypes)) {
                findings.add(Finding.error(
                        "dnssec.nsec3-bitmap",
                        where,
                        "the NSEC3 record for " + node.name + " (at "
                                + label + "." + apex + ") lists " + ZoneStructure.typeList(actualTypes)
                                + ", but the name has "
                                + ZoneStructure.typeList(expectedTypes)));
            }
        }
        List<String> labels = new ArrayList<>(actual.keySet());
        for (int i = 0; i < labels.size(); i++) {
            String label = labels.get(i);
            NSEC3Record r = actual.get(label);
            if (!expectedByLabel.containsKey(label) && !optOut) {
                findings.add(Finding.error(
                        "dnssec.nsec3-extra",
                        where,
                        "NSEC3 record at " + label + "." + apex + " matches no name of the zone"));
            }
            String next = labels.get((i + 1) % labels.size());
            String pointsTo = Nsec3Hasher.base32hex(r.getNext());
            if (!pointsTo.equals(next)) {
                findings.add(Finding.error(
                        "dnssec.nsec3-gap",
                        where,
                        "the NSEC3 record at " + label + "." + apex + " points to " + pointsTo
                                + ", but the next hash in the zone is " + next));
            }
            if (r.getTTL() != ttl) {
                findings.add(Finding.warning(
                        "dnssec.chain-ttl",
                        where,
                        "the NSEC3 record at " + label + "." + apex + " has TTL " + r.getTTL()
                                + "; RFC 9077 asks for the lesser of the SOA's TTL and MINIMUM, " + ttl));
            }
        }
        return findings;
    }

    private static int[] sortedTypes(int[] types) {
        return Arrays.stream(types).distinct().sorted().toArray();
    }
}
