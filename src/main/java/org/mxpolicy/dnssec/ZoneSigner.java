package org.mxpolicy.dnssec;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.InvalidInputException;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.NSEC3PARAMRecord;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Signs a whole zone (RFC 4033-4035, RFC 5155): adds the DNSKEY RRset, builds the NSEC or NSEC3
 * chain, advances the SOA serial and signs every authoritative RRset, in parallel. Pure: records
 * and keys in, records out; time is an argument.
 *
 * <p>What gets signed: every RRset at the apex and at ordinary names (wildcards included), DS at
 * delegation points, the DNSKEY RRset and the chain. Not signed: NS at delegation points, glue and
 * other data below a delegation point or a DNAME (RFC 4035 section 2.2). Signatures, NSEC, NSEC3
 * and NSEC3PARAM records of an already signed input are dropped and made anew, and so are DNSKEY
 * records of the keys given; other DNSKEY records stay (another signer's keys).
 *
 * <p>Which keys are in the zone: each key's {@link KeyTiming} at the signing time decides
 * ({@link KeyState}): before Publish and after Delete a key is left out; published but not yet
 * active, or inactive, its DNSKEY is there but it signs nothing; active, it signs; revoked, it is
 * published with the REVOKE bit and signs the DNSKEY RRset only. Keys without timing are active.
 *
 * <p>CDS and CDNSKEY (RFC 7344): once any key has a SyncPublish time, the signer makes the apex
 * CDS and CDNSKEY RRsets from the published SEP keys between their SyncPublish and SyncDelete times
 * (SHA-256 digests), in place of any in the zone file; none in that window, none published.
 *
 * <p>Which key signs what: per algorithm, the active keys with the SEP flag (KSK, or CSK when the
 * algorithm has no zone-signing key in use) sign DNSKEY, CDS and CDNSKEY; the active keys without
 * it (ZSK) sign the rest. A role without an active key is refused, naming the keys and their
 * dates: such a zone would not validate. Keys without a private key are published, not used.
 *
 * <p>Signatures: ECDSA P-256 and RSA with Conscrypt (BoringSSL) where its native library loads,
 * Bouncy Castle otherwise; Ed25519 with Bouncy Castle ({@link SignatureProvider}). BoringSSL's ECDSA
 * nonces are random, so a zone signed twice differs in those signatures' bytes; everything else,
 * and every signature with Bouncy Castle, is the same for the same input, keys and time.
 *
 * <p>Incremental signing: given the previous signed zone, a signature is kept when its RRset is
 * unchanged (same records, same TTL), it was made by a key that signs that RRset now, and more than
 * the policy's refresh window is left of it. When nothing changed at all, not even which
 * signatures are due, the result equals the previous zone and keeps its serial.
 */
public final class ZoneSigner {

    private final SigningPolicy policy;
    private final int parallelism;
    private final SignatureProvider provider;

    public ZoneSigner(SigningPolicy policy) {
        this(policy, Runtime.getRuntime().availableProcessors());
    }

    /** @param parallelism the number of threads that sign */
    public ZoneSigner(SigningPolicy policy, int parallelism) {
        this(policy, parallelism, SignatureProvider.preferred());
    }

    /** With the given provider rather than the preferred one, so that tests cover both. */
    ZoneSigner(SigningPolicy policy, int parallelism, SignatureProvider provider) {
        this.policy = Objects.requireNonNull(policy, "policy");
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism " + parallelism);
        }
        this.parallelism = parallelism;
        this.provider = Objects.requireNonNull(provider, "provider");
    }

    public SigningPolicy policy() {
        return policy;
    }

    /** One RRset to sign and the keys that sign it. */
    private record Job(Name owner, int type, List<Record> rrset, List<SigningKey> signers) {
        long ttl() {
            return rrset.get(0).getTTL();
        }
    }

    /**
     * Signs the zone.
     *
     * @param origin the apex
     * @param zone the zone's records (already signed input is fine: its DNSSEC records are dropped)
     * @param keys the zone's keys, in every state; each algorithm published at {@code now} needs an
     *     active private key with the SEP flag, and an active ZSK while it has ZSKs in use
     * @param now the signing time
     * @param previous the previous signed zone, for incremental signing; empty for none
     * @throws InvalidInputException when the keys cannot sign the zone or the zone cannot be signed
     *     (DS outside a delegation point, an NSEC3 hash collision)
     */
    public SignedZone sign(Name origin, List<Record> zone, List<ZoneKey> keys, Instant now, List<Record> previous)
            throws InvalidInputException {
        return sign(origin, zone, keys, now, previous, Progress.NONE);
    }

    /**
     * Signs the zone as {@link #sign(Name, List, List, Instant, List)} does, telling {@code progress}
     * after each RRset.
     */
    public SignedZone sign(
            Name origin, List<Record> zone, List<ZoneKey> keys, Instant now, List<Record> previous, Progress progress)
            throws InvalidInputException {
        Instant at = now.truncatedTo(ChronoUnit.SECONDS);
        Name apex = origin.canonicalize();
        KeyRoles roles = KeyRoles.of(apex, keys, at, provider);

        List<Record> data = unsignedData(apex, zone, keys, roles, at);
        ZoneStructure structure = ZoneStructure.of(apex, data);
        checkStructure(structure);
        checkSizes(structure, apex, roles);
        ZoneStructure.Node apexNode = structure.apex();
        SOARecord baseSoa = (SOARecord) apexNode.rrsets.get(Type.SOA).get(0);
        long chainTtl = Math.min(baseSoa.getMinimum(), baseSoa.getTTL());
        List<Record> chain = policy.denial() == SigningPolicy.Denial.NSEC
                ? nsecChain(structure, chainTtl)
                : nsec3Chain(structure, chainTtl);

        List<Job> jobs = new ArrayList<>();
        for (ZoneStructure.Node node : structure.nodes()) {
            for (int type : node.signedTypes()) {
                if (type != Type.SOA) {
                    jobs.add(new Job(node.name, type, node.rrsets.get(type), roles.signersOf(type)));
                }
            }
        }
        for (Record r : chain) {
            jobs.add(new Job(r.getName(), r.getType(), List.of(r), roles.signersOf(r.getType())));
        }

        PreviousZone prev = PreviousZone.of(apex, previous);
        AtomicInteger made = new AtomicInteger();
        AtomicInteger kept = new AtomicInteger();
        List<List<RRSIGRecord>> signatures = signAll(jobs, apex, at, prev, made, kept, progress);

        OptionalLong prevSerial = prev.serial();
        if (made.get() == 0
                && prevSerial.isPresent()
                && !SerialFormat.newer(baseSoa.getSerial(), prevSerial.getAsLong())) {
            // Same serial as last time, if nothing else changed either. (A new signature always
            // differs from the previous zone's: its inception time is later.)
            SOARecord soa = withSerial(baseSoa, prevSerial.getAsLong());
            Job soaJob = new Job(apex, Type.SOA, List.of(soa), roles.signersOf(Type.SOA));
            AtomicInteger soaMade = new AtomicInteger();
            AtomicInteger soaKept = new AtomicInteger();
            List<RRSIGRecord> soaSigs = signJob(soaJob, apex, at, prev, soaMade, soaKept);
            List<Record> out = assemble(structure, soa, chain, signatures, soaSigs);
            if (sameRecords(out, canonicalOrder(previous))) {
                return new SignedZone(
                        apex, out, soa.getSerial(), true, made.get() + soaMade.get(), kept.get() + soaKept.get());
            }
        }
        long base = prevSerial.isPresent()
                ? SerialFormat.max(baseSoa.getSerial(), prevSerial.getAsLong())
                : baseSoa.getSerial();
        SOARecord soa = withSerial(baseSoa, policy.serialFormat().next(base, at));
        Job soaJob = new Job(apex, Type.SOA, List.of(soa), roles.signersOf(Type.SOA));
        List<RRSIGRecord> soaSigs = signJob(soaJob, apex, at, prev, made, kept);
        List<Record> out = assemble(structure, soa, chain, signatures, soaSigs);
        return new SignedZone(apex, out, soa.getSerial(), false, made.get(), kept.get());
    }

    /**
     * The zone without its DNSSEC records and with the DNSKEY (and NSEC3PARAM) RRset as this
     * signer publishes it; owner names in lower case, RRset TTLs made equal (RFC 2181 section 5.2).
     */
    @SuppressWarnings("ReferenceEquality") // canonicalize() returns the same Name if lower case; equals ignores case
    private List<Record> unsignedData(Name apex, List<Record> zone, List<ZoneKey> keys, KeyRoles roles, Instant at)
            throws InvalidInputException {
        // keys with CDS timing (SyncPublish) make the apex CDS/CDNSKEY RRsets this signer's, like the DNSKEY RRset
        boolean ownsSync = keys.stream()
                .anyMatch(k -> k.timing().get(KeyTiming.Event.SYNC_PUBLISH).isPresent());
        // every key of the directory, in any state and revoked or not, is this signer's to publish or leave out
        List<byte[]> ownKeys = keys.stream()
                .flatMap(k -> Stream.of(k, k.revoked()))
                .map(k -> k.dnskey().rdataToWireCanonical())
                .toList();
        List<DNSKEYRecord> foreign = new ArrayList<>();
        List<Record> data = new ArrayList<>(zone.size() + keys.size() + 1);
        for (Record r : zone) {
            int type = r.getType();
            if (type == Type.RRSIG || type == Type.NSEC || type == Type.NSEC3 || type == Type.NSEC3PARAM) {
                continue;
            }
            if (ownsSync
                    && (type == Type.CDS || type == Type.CDNSKEY)
                    && r.getName().equals(apex)) {
                continue;
            }
            // By type: CDNSKEY (RFC 7344) is a DNSKEYRecord to dnsjava, but zone data, not a key of the zone.
            if (type == Type.DNSKEY
                    && r instanceof DNSKEYRecord dnskey
                    && r.getName().equals(apex)) {
                byte[] rdata = r.rdataToWireCanonical();
                if (ownKeys.stream().noneMatch(k -> Arrays.equals(k, rdata))) {
                    foreign.add(dnskey);
                }
                continue;
            }
            Name name = r.getName().canonicalize();
            data.add(name == r.getName() ? r : r.withName(name));
        }
        List<Finding> problems = new ArrayList<>();
        for (DNSKEYRecord k : foreign) {
            if (!roles.algorithms().contains(k.getAlgorithm())) {
                problems.add(Finding.error(
                        "dnssec.foreign-key",
                        null,
                        "the zone has a DNSKEY (key tag " + k.getFootprint()
                                + ", algorithm " + k.getAlgorithm()
                                + ") that is not in the key directory, of an algorithm none of"
                                + " its keys has; every algorithm in the DNSKEY set must sign the zone (RFC 4035 section 2.2):"
                                + " remove the record from the zone file or add the key's files"));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        long dnskeyTtl = policy.dnskeyTtl()
                .orElse(roles.published().stream()
                        .mapToLong(k -> k.dnskey().getTTL())
                        .min()
                        .orElseThrow());
        for (ZoneKey k : roles.published()) {
            data.add(dnskey(apex, k.dnskey(), dnskeyTtl));
        }
        for (DNSKEYRecord k : foreign) {
            data.add(dnskey(apex, k, dnskeyTtl));
        }
        for (ZoneKey k : roles.published()) {
            // RFC 7344 section 4: the CDS/CDNSKEY RRsets name the keys the parent's DS should point at
            if (k.isKsk() && k.timing().syncedAt(at)) {
                data.add(DelegationSigner.cds(k, dnskeyTtl));
                data.add(DelegationSigner.cdnskey(k, dnskeyTtl));
            }
        }
        if (policy.denial() == SigningPolicy.Denial.NSEC3) {
            // flags 0: no opt-out (RFC 9276 section 3.1); TTL 0 as BIND and Knot publish it.
            Nsec3Hasher hasher = Nsec3Hasher.recommended();
            data.add(new NSEC3PARAMRecord(apex, DClass.IN, 0, Nsec3Hasher.SHA1, 0, hasher.iterations(), hasher.salt()));
        }
        return data;
    }

    private static DNSKEYRecord dnskey(Name apex, DNSKEYRecord k, long ttl) {
        return new DNSKEYRecord(apex, DClass.IN, ttl, k.getFlags(), k.getProtocol(), k.getAlgorithm(), k.getKey());
    }

    private static void checkStructure(ZoneStructure structure) throws InvalidInputException {
        List<Finding> problems = new ArrayList<>();
        for (ZoneStructure.Node node : structure.misplacedDs()) {
            problems.add(
                    Finding.error(
                            "dnssec.ds-not-at-delegation",
                            null,
                            "DS at " + node.name + ", which is "
                                    + (node.kind == ZoneStructure.Kind.APEX
                                            ? "the apex: the zone's own DS belongs in the parent zone"
                                            : "not a delegation point (no NS there): DS belongs next to the NS records of a child zone")));
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        for (ZoneStructure.Node node : structure.nodes()) {
            for (Map.Entry<Integer, List<Record>> e : node.rrsets.entrySet()) {
                e.setValue(sameTtl(dedup(e.getValue())));
            }
        }
    }

    /**
     * Refuses RRsets that no DNS message can carry with their signatures, or whose signed data is
     * too large to validate ({@link RrsetSize}), before any signing.
     */
    private static void checkSizes(ZoneStructure structure, Name apex, KeyRoles roles) throws InvalidInputException {
        List<Finding> problems = new ArrayList<>();
        for (ZoneStructure.Node node : structure.nodes()) {
            List<Integer> signed = node.signedTypes();
            for (Map.Entry<Integer, List<Record>> e : node.rrsets.entrySet()) {
                int type = e.getKey();
                List<Integer> signatures = signed.contains(type)
                        ? roles.signersOf(type).stream()
                                .map(k -> k.key().signatureLength())
                                .toList()
                        : List.of();
                long response = RrsetSize.inResponse(node.name, e.getValue(), apex, signatures);
                long signedData = signatures.isEmpty() ? 0 : RrsetSize.signedData(node.name, e.getValue(), apex);
                if (response <= RrsetSize.LIMIT && signedData <= RrsetSize.LIMIT) {
                    continue;
                }
                String rrset = node.name + " " + Type.string(type) + ": "
                        + e.getValue().size() + " records";
                if (response > RrsetSize.LIMIT) {
                    problems.add(Finding.error(
                            "dnssec.rrset-too-large",
                            null,
                            rrset + " take " + response + " bytes in a DNS response with their RRSIGs, more than the "
                                    + RrsetSize.LIMIT + " bytes of a DNS message: no server can serve them;"
                                    + " split the RRset across names or remove records"));
                } else if (signedData > RrsetSize.LIMIT) {
                    problems.add(Finding.error(
                            "dnssec.rrset-too-large",
                            null,
                            rrset + " are " + signedData + " bytes in the form their RRSIG signs, more than the "
                                    + RrsetSize.LIMIT + " bytes validators such as Knot and ldns accept: resolvers"
                                    + " would hold them bogus; split the RRset across names or remove records"));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
    }

    /** Without duplicate records; an RRset is a set (RFC 2181 section 5). */
    private static List<Record> dedup(List<Record> rrset) {
        if (rrset.size() == 1) {
            return rrset;
        }
        // A hash set: comparing the records pairwise would take time in the square of the RRset size.
        LinkedHashSet<Record> unique = new LinkedHashSet<>(rrset);
        return unique.size() == rrset.size() ? rrset : new ArrayList<>(unique);
    }

    /** RFC 2181 section 5.2: the records of an RRset share one TTL; the lowest wins. */
    private static List<Record> sameTtl(List<Record> rrset) {
        long min = rrset.stream().mapToLong(Record::getTTL).min().orElseThrow();
        if (rrset.stream().allMatch(r -> r.getTTL() == min)) {
            return rrset;
        }
        List<Record> out = new ArrayList<>(rrset.size());
        for (Record r : rrset) {
            out.add(Record.newRecord(r.getName(), r.getType(), r.getDClass(), min, r.rdataToWireCanonical()));
        }
        return out;
    }

    /** RFC 4034 section 4: one NSEC per name in the chain, pointing at the next; the last at the apex. */
    static List<Record> nsecChain(ZoneStructure structure, long ttl) {
        List<ZoneStructure.Node> names = structure.nsecChain();
        List<Record> out = new ArrayList<>(names.size());
        for (int i = 0; i < names.size(); i++) {
            ZoneStructure.Node node = names.get(i);
            Name next = names.get((i + 1) % names.size()).name;
            out.add(new NSECRecord(node.name, DClass.IN, ttl, next, node.nsecTypes()));
        }
        return out;
    }

    /** A name of the NSEC3 chain and its hash. */
    @SuppressWarnings("ArrayRecordComponent") // sorted by hash, never compared whole
    record HashedName(byte[] hash, ZoneStructure.Node node) {}

    /** RFC 5155 section 7.1, with RFC 9276's parameters and no opt-out: every name of the chain hashed. */
    static List<Record> nsec3Chain(ZoneStructure structure, long ttl) throws InvalidInputException {
        return nsec3Chain(structure, ttl, Nsec3Hasher.recommended());
    }

    /** The chain with other parameters, as another signer may have made it. */
    static List<Record> nsec3Chain(ZoneStructure structure, long ttl, Nsec3Hasher hasher) throws InvalidInputException {
        List<HashedName> hashed = hashChain(structure, hasher);
        List<Record> out = new ArrayList<>(hashed.size());
        for (int i = 0; i < hashed.size(); i++) {
            HashedName h = hashed.get(i);
            byte[] next = hashed.get((i + 1) % hashed.size()).hash();
            out.add(new NSEC3Record(
                    nsec3Owner(h.hash(), structure.origin()),
                    DClass.IN,
                    ttl,
                    Nsec3Hasher.SHA1,
                    0,
                    hasher.iterations(),
                    hasher.salt(),
                    next,
                    h.node().nsec3Types()));
        }
        return out;
    }

    /** The names of the NSEC3 chain with their hashes, in hash order. */
    static List<HashedName> hashChain(ZoneStructure structure, Nsec3Hasher hasher) throws InvalidInputException {
        List<HashedName> hashed = new ArrayList<>();
        for (ZoneStructure.Node node : structure.nsec3Chain()) {
            hashed.add(new HashedName(hasher.hash(node.name), node));
        }
        hashed.sort(Comparator.comparing(HashedName::hash, Arrays::compareUnsigned));
        for (int i = 1; i < hashed.size(); i++) {
            if (Arrays.equals(hashed.get(i - 1).hash(), hashed.get(i).hash())) {
                throw new InvalidInputException(Finding.error(
                        "dnssec.nsec3-collision",
                        null,
                        "the NSEC3 hashes of " + hashed.get(i - 1).node().name + " and "
                                + hashed.get(i).node().name + " are equal; sign with NSEC"));
            }
        }
        return hashed;
    }

    static Name nsec3Owner(byte[] hash, Name apex) {
        // The hash label is joined to the apex as a name, not as text: the root's text is "." already.
        try {
            return Name.concatenate(new Name(Nsec3Hasher.base32hex(hash)), apex);
        } catch (TextParseException | NameTooLongException e) {
            throw new IllegalArgumentException("no NSEC3 owner name under " + apex + ": " + e.getMessage(), e);
        }
    }

    private List<List<RRSIGRecord>> signAll(
            List<Job> jobs,
            Name apex,
            Instant at,
            PreviousZone prev,
            AtomicInteger made,
            AtomicInteger kept,
            Progress progress) {
        List<List<RRSIGRecord>> results = new ArrayList<>(Collections.nCopies(jobs.size(), null));
        String task = "signing " + apex.toString(true);
        AtomicInteger done = new AtomicInteger();
        Parallel.forEach(jobs.size(), parallelism, "signing", i -> {
            results.set(i, signJob(jobs.get(i), apex, at, prev, made, kept));
            progress.advanced(task, done.incrementAndGet(), jobs.size());
        });
        return results;
    }

    private List<RRSIGRecord> signJob(
            Job job, Name apex, Instant at, PreviousZone prev, AtomicInteger made, AtomicInteger kept) {
        boolean unchanged = prev.sameRrset(job.owner(), job.type(), job.rrset());
        List<RRSIGRecord> out = new ArrayList<>(job.signers().size());
        for (SigningKey key : job.signers()) {
            RRSIGRecord old = unchanged
                    ? prev.reusable(job.owner(), job.type(), job.ttl(), key.key(), apex, at, policy.refresh())
                    : null;
            if (old != null) {
                out.add(old);
                kept.incrementAndGet();
                continue;
            }
            out.add(sign(job, key, apex, at));
            made.incrementAndGet();
        }
        return out;
    }

    private RRSIGRecord sign(Job job, SigningKey key, Name apex, Instant at) {
        ZoneKey k = key.key();
        Instant inception = at.minus(policy.inceptionOffset());
        Instant expiration = expiration(job.owner(), job.type(), at);
        RRSIGRecord unsigned = new RRSIGRecord(
                job.owner(),
                DClass.IN,
                job.ttl(),
                job.type(),
                k.algorithm().number(),
                job.ttl(),
                expiration,
                inception,
                k.keyTag(),
                apex,
                null);
        byte[] signature = key.sign(SignedData.of(unsigned, job.rrset()));
        return new RRSIGRecord(
                job.owner(),
                DClass.IN,
                job.ttl(),
                job.type(),
                k.algorithm().number(),
                job.ttl(),
                expiration,
                inception,
                k.keyTag(),
                apex,
                signature);
    }

    /** {@code at + validity - jitter}, the jitter fixed by owner and type (FNV-1a over their wire form). */
    Instant expiration(Name owner, int type, Instant at) {
        long jitter = policy.jitter().toSeconds();
        long offset = 0;
        if (jitter > 0) {
            long h = 0xcbf29ce484222325L;
            for (byte b : owner.toWireCanonical()) {
                h = (h ^ (b & 0xff)) * 0x100000001b3L;
            }
            h = (h ^ (type >>> 8)) * 0x100000001b3L;
            h = (h ^ (type & 0xff)) * 0x100000001b3L;
            offset = Long.remainderUnsigned(h, jitter + 1);
        }
        return at.plus(policy.validity()).minusSeconds(offset);
    }

    private static SOARecord withSerial(SOARecord soa, long serial) {
        return new SOARecord(
                soa.getName(),
                DClass.IN,
                soa.getTTL(),
                soa.getHost(),
                soa.getAdmin(),
                serial,
                soa.getRefresh(),
                soa.getRetry(),
                soa.getExpire(),
                soa.getMinimum());
    }

    /** Every record of the signed zone, in canonical order. */
    private static List<Record> assemble(
            ZoneStructure structure,
            SOARecord soa,
            List<Record> chain,
            List<List<RRSIGRecord>> signatures,
            List<RRSIGRecord> soaSignatures) {
        // Grouped by owner in a hash map; the order comes from the structure, whose names are sorted
        // already, merged with the few owners that are not among them (NSEC3 hashes), sorted apart.
        Map<Name, List<Record>> byOwner = new HashMap<>(structure.nodes().size() * 2);
        int count = 0;
        for (ZoneStructure.Node node : structure.nodes()) {
            if (node.kind == ZoneStructure.Kind.EMPTY_NON_TERMINAL) {
                continue;
            }
            List<Record> here = new ArrayList<>(4);
            byOwner.put(node.name, here);
            for (List<Record> rrset : node.rrsets.values()) {
                for (Record r : rrset) {
                    here.add(r.getType() == Type.SOA ? soa : r);
                    count++;
                }
            }
        }
        for (Record r : chain) {
            byOwner.computeIfAbsent(r.getName(), n -> new ArrayList<>(2)).add(r);
            count++;
        }
        for (List<RRSIGRecord> sigs : signatures) {
            for (RRSIGRecord sig : sigs) {
                byOwner.computeIfAbsent(sig.getName(), n -> new ArrayList<>(2)).add(sig);
                count++;
            }
        }
        for (RRSIGRecord sig : soaSignatures) {
            byOwner.get(sig.getName()).add(sig);
            count++;
        }
        java.util.TreeSet<Name> others = new java.util.TreeSet<>();
        for (Name name : byOwner.keySet()) {
            if (structure.node(name) == null) {
                others.add(name);
            }
        }
        List<Record> out = new ArrayList<>(count);
        java.util.Iterator<Name> other = others.iterator();
        Name nextOther = other.hasNext() ? other.next() : null;
        for (ZoneStructure.Node node : structure.nodes()) {
            while (nextOther != null && nextOther.compareTo(node.name) < 0) {
                addSorted(out, byOwner.get(nextOther));
                nextOther = other.hasNext() ? other.next() : null;
            }
            List<Record> here = byOwner.get(node.name);
            if (here != null) {
                addSorted(out, here);
            }
        }
        while (nextOther != null) {
            addSorted(out, byOwner.get(nextOther));
            nextOther = other.hasNext() ? other.next() : null;
        }
        return out;
    }

    private static void addSorted(List<Record> out, List<Record> here) {
        here.sort(Record::compareTo);
        out.addAll(here);
    }

    /** Records in the order {@link #assemble} gives, for comparing with a previous zone. */
    private static List<Record> canonicalOrder(List<Record> records) {
        TreeMap<Name, List<Record>> byOwner = new TreeMap<>();
        for (Record r : records) {
            byOwner.computeIfAbsent(r.getName(), n -> new ArrayList<>()).add(r);
        }
        List<Record> out = new ArrayList<>(records.size());
        for (List<Record> here : byOwner.values()) {
            here.sort(Record::compareTo);
            out.addAll(here);
        }
        return out;
    }

    /** Same records with the same TTLs; owner names compare without case. */
    private static boolean sameRecords(List<Record> a, List<Record> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).equals(b.get(i)) || a.get(i).getTTL() != b.get(i).getTTL()) {
                return false;
            }
        }
        return true;
    }

    /**
     * The keys in the zone at the signing time and what each signs, checked: every algorithm in the
     * DNSKEY RRset has an active key with the SEP flag for the DNSKEY RRset and an active key for
     * the rest. An algorithm is run with split keys while it has a zone-signing key that is active
     * or published ahead of its activation; then a ZSK must be active. Otherwise its SEP keys are
     * combined signing keys and sign everything.
     */
    private record KeyRoles(
            List<ZoneKey> published,
            List<SigningKey> keySigners,
            List<SigningKey> dnskeySigners,
            List<SigningKey> zoneSigners,
            List<Integer> algorithms) {

        static KeyRoles of(Name apex, List<ZoneKey> keys, Instant at, SignatureProvider provider)
                throws InvalidInputException {
            List<Finding> problems = new ArrayList<>();
            if (keys.isEmpty()) {
                throw new InvalidInputException(Finding.error(
                        "dnssec.no-keys",
                        null,
                        "no keys for zone " + apex + "; make one with: mxpolicy keygen --zone " + apex + " -K DIR"));
            }
            TreeMap<Integer, List<ZoneKey>> byAlgorithm = new TreeMap<>();
            List<ZoneKey> published = new ArrayList<>();
            for (ZoneKey k : keys.stream().sorted(DelegationSigner.KEY_ORDER).toList()) {
                if (!k.zone().equals(apex)) {
                    problems.add(Finding.error(
                            "dnssec.key-zone", null, k.baseName() + " is a key of " + k.zone() + ", not of " + apex));
                }
                KeyState state = k.timing().stateAt(at);
                if (state.published()) {
                    published.add(state == KeyState.REVOKED ? k.revoked() : k);
                    byAlgorithm
                            .computeIfAbsent(k.algorithm().number(), a -> new ArrayList<>())
                            .add(k);
                }
            }
            if (published.isEmpty()) {
                throw new InvalidInputException(Finding.error(
                        "dnssec.no-active-key",
                        null,
                        "zone " + apex + ": no key is published at " + at + "; keys: " + describe(keys, at)));
            }
            List<SigningKey> keySigners = new ArrayList<>();
            List<SigningKey> revokedSigners = new ArrayList<>();
            List<SigningKey> zoneSigners = new ArrayList<>();
            for (Map.Entry<Integer, List<ZoneKey>> e : byAlgorithm.entrySet()) {
                int algorithm = e.getKey();
                List<ZoneKey> ofAlgorithm = keys.stream()
                        .filter(k -> k.algorithm().number() == algorithm)
                        .sorted(DelegationSigner.KEY_ORDER)
                        .toList();
                List<ZoneKey> withPrivate = ofAlgorithm.stream()
                        .filter(k -> k.privateKey().isPresent())
                        .toList();
                if (withPrivate.isEmpty()) {
                    problems.add(
                            Finding.error(
                                    "dnssec.no-private-key",
                                    null,
                                    "no private key for algorithm " + algorithm
                                            + " ("
                                            + e.getValue().get(0).algorithm().mnemonic()
                                            + "): every algorithm in the DNSKEY set must sign"
                                            + " the zone (RFC 4035 section 2.2); add the .private file or remove the .key files of that algorithm"));
                    continue;
                }
                if (withPrivate.stream().noneMatch(ZoneKey::isKsk)) {
                    problems.add(Finding.error(
                            "dnssec.no-ksk",
                            null,
                            "no key with the SEP flag (257, KSK or CSK) for algorithm " + algorithm
                                    + " to sign the DNSKEY set; make one with: mxpolicy keygen --ksk --zone " + apex));
                    continue;
                }
                List<ZoneKey> active = ofAlgorithm.stream()
                        .filter(k -> k.privateKey().isPresent() && k.timing().stateAt(at) == KeyState.ACTIVE)
                        .toList();
                List<ZoneKey> sep = active.stream().filter(ZoneKey::isKsk).toList();
                boolean splitKeys = ofAlgorithm.stream()
                        .anyMatch(k -> !k.isKsk()
                                && k.privateKey().isPresent()
                                && (k.timing().stateAt(at) == KeyState.ACTIVE
                                        || k.timing().stateAt(at) == KeyState.PUBLISHED));
                List<ZoneKey> zsk =
                        splitKeys ? active.stream().filter(k -> !k.isKsk()).toList() : sep;
                if (sep.isEmpty()) {
                    problems.add(noActiveKey(apex, at, ofAlgorithm, true, splitKeys));
                }
                if (splitKeys && zsk.isEmpty()) {
                    problems.add(noActiveKey(apex, at, ofAlgorithm, false, true));
                }
                for (ZoneKey k : ofAlgorithm) {
                    boolean signsDnskey = sep.contains(k);
                    boolean signsZone = zsk.contains(k);
                    boolean revoked = k.privateKey().isPresent() && k.timing().stateAt(at) == KeyState.REVOKED;
                    if (!signsDnskey && !signsZone && !revoked) {
                        continue;
                    }
                    SigningKey signing = SigningKey.of(revoked ? k.revoked() : k, provider);
                    if (!signing.matchesPublicKey()) {
                        problems.add(Finding.error(
                                "dnssec.key-mismatch",
                                null,
                                k.baseName() + ": the private key does not belong to the DNSKEY"));
                        continue;
                    }
                    if (signsDnskey) {
                        keySigners.add(signing);
                    }
                    if (signsZone) {
                        zoneSigners.add(signing);
                    }
                    if (revoked) {
                        revokedSigners.add(signing);
                    }
                }
            }
            if (!problems.isEmpty()) {
                throw new InvalidInputException(problems);
            }
            List<SigningKey> dnskeySigners = new ArrayList<>(keySigners);
            dnskeySigners.addAll(revokedSigners);
            return new KeyRoles(
                    List.copyOf(published),
                    List.copyOf(keySigners),
                    List.copyOf(dnskeySigners),
                    List.copyOf(zoneSigners),
                    List.copyOf(byAlgorithm.keySet()));
        }

        /**
         * One line naming the zone, the role, every key of the role with its state and dates, and
         * when the next one becomes active: a zone missing a role's signatures would not validate.
         */
        private static Finding noActiveKey(
                Name apex, Instant at, List<ZoneKey> ofAlgorithm, boolean keySigning, boolean splitKeys) {
            List<ZoneKey> ofRole = ofAlgorithm.stream()
                    .filter(k -> !splitKeys || k.isKsk() == keySigning)
                    .toList();
            DnssecAlgorithm algorithm = ofAlgorithm.get(0).algorithm();
            String role = !splitKeys
                    ? "combined signing key (CSK)"
                    : keySigning ? "key-signing key (KSK) for the DNSKEY set" : "zone-signing key (ZSK)";
            String next = ofRole.stream()
                    .filter(k -> k.privateKey().isPresent())
                    .filter(k -> k.timing()
                                    .get(KeyTiming.Event.ACTIVATE)
                                    .filter(at::isBefore)
                                    .isPresent()
                            && k.timing().stateAt(at) != KeyState.DELETED)
                    .min(Comparator.comparing(
                            k -> k.timing().get(KeyTiming.Event.ACTIVATE).orElseThrow()))
                    .map(k -> "; " + k.baseName() + " becomes active at "
                            + k.timing().get(KeyTiming.Event.ACTIVATE).orElseThrow()
                            + ": sign again then, or move its Activate time (dnssec-settime -A)")
                    .orElse("; make one with: mxpolicy keygen --zone " + apex
                            + (splitKeys ? keySigning ? " --ksk" : " --zsk" : "")
                            + " or change the keys' timing (dnssec-settime)");
            return Finding.error(
                    "dnssec.no-active-key",
                    null,
                    "zone " + apex + ": no active " + role + " of algorithm " + algorithm.number() + " ("
                            + algorithm.mnemonic() + ") at " + at + ", so the zone would not validate; keys: "
                            + describe(ofRole, at) + next);
        }

        private static String describe(List<ZoneKey> keys, Instant at) {
            return keys.stream()
                    .map(k -> k.baseName() + " (" + (k.isKsk() ? "SEP" : "ZSK")
                            + (k.privateKey().isPresent() ? "" : ", public only") + ") "
                            + k.timing().describe(at))
                    .collect(Collectors.joining(", "));
        }

        /**
         * DNSKEY: the active SEP keys and the revoked ones (RFC 5011 section 2.1: a revoked key signs
         * the DNSKEY RRset that carries it); CDS and CDNSKEY: the active SEP keys (RFC 6781 section
         * 3.1); everything else: the zone-signing keys.
         */
        List<SigningKey> signersOf(int type) {
            if (type == Type.DNSKEY) {
                return dnskeySigners;
            }
            return type == Type.CDS || type == Type.CDNSKEY ? keySigners : zoneSigners;
        }
    }

    /** The previous signed zone, indexed for reusing its signatures. */
    private static final class PreviousZone {
        private final Map<Name, Map<Integer, List<Record>>> data = new HashMap<>();
        private final Map<Name, Map<Integer, List<RRSIGRecord>>> signatures = new HashMap<>();
        private OptionalLong serial = OptionalLong.empty();

        static PreviousZone of(Name apex, List<Record> records) {
            PreviousZone prev = new PreviousZone();
            for (Record r : records) {
                Name name = r.getName().canonicalize();
                if (r instanceof RRSIGRecord sig) {
                    prev.signatures
                            .computeIfAbsent(name, n -> new HashMap<>())
                            .computeIfAbsent(sig.getTypeCovered(), t -> new ArrayList<>(2))
                            .add(sig);
                } else {
                    prev.data
                            .computeIfAbsent(name, n -> new HashMap<>())
                            .computeIfAbsent(r.getType(), t -> new ArrayList<>(1))
                            .add(r);
                    if (r instanceof SOARecord soa && name.equals(apex)) {
                        prev.serial = OptionalLong.of(soa.getSerial());
                    }
                }
            }
            return prev;
        }

        OptionalLong serial() {
            return serial;
        }

        /** Whether the previous zone had exactly this RRset, TTL included. */
        boolean sameRrset(Name owner, int type, List<Record> rrset) {
            Map<Integer, List<Record>> here = data.get(owner);
            List<Record> old = here == null ? null : here.get(type);
            if (old == null
                    || old.size() != rrset.size()
                    || old.get(0).getTTL() != rrset.get(0).getTTL()) {
                return false;
            }
            if (old.stream().anyMatch(r -> r.getTTL() != rrset.get(0).getTTL())) {
                return false;
            }
            if (rrset.size() == 1) {
                return Arrays.equals(
                        old.get(0).rdataToWireCanonical(), rrset.get(0).rdataToWireCanonical());
            }
            List<byte[]> a = old.stream()
                    .map(Record::rdataToWireCanonical)
                    .sorted(Arrays::compareUnsigned)
                    .toList();
            List<byte[]> b = rrset.stream()
                    .map(Record::rdataToWireCanonical)
                    .sorted(Arrays::compareUnsigned)
                    .toList();
            for (int i = 0; i < a.size(); i++) {
                if (!Arrays.equals(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }

        /** A previous signature of this RRset by {@code key} that is still good for more than {@code refresh}. */
        @SuppressWarnings(
                "ReferenceEquality") // canonicalize() returns the same Name if lower case; equals ignores case
        RRSIGRecord reusable(
                Name owner, int type, long ttl, ZoneKey key, Name apex, Instant at, java.time.Duration refresh) {
            Map<Integer, List<RRSIGRecord>> here = signatures.get(owner);
            List<RRSIGRecord> sigs = here == null ? null : here.get(type);
            if (sigs == null) {
                return null;
            }
            int labels = owner.labels() - 1 - (owner.isWild() ? 1 : 0);
            for (RRSIGRecord sig : sigs) {
                if (sig.getFootprint() == key.keyTag()
                        && sig.getAlgorithm() == key.algorithm().number()
                        && sig.getSigner().equals(apex)
                        && sig.getOrigTTL() == ttl
                        && sig.getTTL() == ttl
                        && sig.getLabels() == labels
                        && !sig.getTimeSigned().isAfter(at)
                        && sig.getExpire().isAfter(at.plus(refresh))) {
                    return sig.getName().equals(owner) && sig.getName().canonicalize() == sig.getName()
                            ? sig
                            : (RRSIGRecord) sig.withName(owner);
                }
            }
            return null;
        }
    }
}
