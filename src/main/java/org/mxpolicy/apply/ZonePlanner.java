package org.mxpolicy.apply;

import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.mxpolicy.cert.SubjectPublicKey;
import org.mxpolicy.config.MailDomain;
import org.mxpolicy.config.MxHost;
import org.mxpolicy.config.OwnershipSettings;
import org.mxpolicy.config.ProviderConfig;
import org.mxpolicy.config.UpdateTarget;
import org.mxpolicy.config.ZoneFileSigning;
import org.mxpolicy.config.ZoneSettings;
import org.mxpolicy.desired.CertificateSource;
import org.mxpolicy.desired.DesiredStateBuilder;
import org.mxpolicy.desired.DomainPolicy;
import org.mxpolicy.dns.AuthoritativeQuery;
import org.mxpolicy.dns.DnsAnswer;
import org.mxpolicy.dns.DnsLookup;
import org.mxpolicy.dns.NameServer;
import org.mxpolicy.dns.ServerAnswer;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.MxpolicyException;
import org.mxpolicy.finding.SourcePosition;
import org.mxpolicy.finding.VerificationFailedException;
import org.mxpolicy.plan.OwnershipLedger;
import org.mxpolicy.plan.OwnershipLedger.OwnedZone;
import org.mxpolicy.plan.OwnershipLedger.PolicyTerms;
import org.mxpolicy.plan.OwnershipMarker;
import org.mxpolicy.plan.Planner;
import org.mxpolicy.plan.Refusal;
import org.mxpolicy.plan.Retirement;
import org.mxpolicy.plan.RetirementRules;
import org.mxpolicy.plan.RrsetKey;
import org.mxpolicy.plan.SafetyRules;
import org.mxpolicy.plan.ZonePlan;
import org.mxpolicy.probe.SmtpObservation;
import org.mxpolicy.probe.SmtpProbe;
import org.mxpolicy.record.MtaStsMode;
import org.mxpolicy.zone.RrsetChange;
import org.mxpolicy.zone.ZoneFileReader;
import org.mxpolicy.zone.ZoneFragment;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * The plan of each zone: the RRsets mxpolicy owns as they are published (by the zone's primary for
 * RFC 2136 zones, in the previous signed output for zones mxpolicy signs), against the desired ones,
 * with the safety rules applied to the certificates on disk and those the MX hosts present now.
 * Owned are the desired RRsets and those the ledger or, in RFC 2136 zones, this installation's
 * ownership markers name; owned RRsets the config no longer produces go by the retirement rules,
 * and nothing else in the zone is ever touched.
 */
public final class ZonePlanner {

    private final ProviderConfig config;
    private final Path baseDir;
    private final SigningFiles signingFiles;
    private final Supplier<CertificateSource> certificates;
    private final AuthoritativeQuery authorities;
    private final MxAddresses addresses;
    private final SmtpProbe probe;
    private final DnsLookup dns;
    private final DynamicUpdates updates;
    private final LedgerStore ledger;
    private final Clock clock;

    /**
     * @param baseDir the config's directory, against which its file names are resolved
     * @param signingFiles where the signed output of zones with {@code sign} is read
     * @param certificates read afresh for every plan: a certificate changes while a rollover goes on
     * @param dns observes the MX RRsets of domains outside the zones updated by RFC 2136
     * @param updates opens the zone transfer that finds the ownership markers of a zone without a ledger
     * @param ledger what this installation owns, as of the last run
     */
    public ZonePlanner(
            ProviderConfig config,
            Path baseDir,
            SigningFiles signingFiles,
            Supplier<CertificateSource> certificates,
            AuthoritativeQuery authorities,
            MxAddresses addresses,
            SmtpProbe probe,
            DnsLookup dns,
            DynamicUpdates updates,
            LedgerStore ledger,
            Clock clock) {
        this.config = config;
        this.baseDir = baseDir;
        this.signingFiles = signingFiles;
        this.certificates = certificates;
        this.authorities = authorities;
        this.addresses = addresses;
        this.probe = probe;
        this.dns = dns;
        this.updates = updates;
        this.ledger = ledger;
        this.clock = clock;
    }

    /**
     * The plan of each zone with {@code update} or {@code sign}, in the given order. The records of
     * {@code compromisedKeys} (SHA-256 hex of their SPKI) may go although an MX still presents
     * them: an emergency rollover.
     */
    public Map<ZoneFragment, ZonePlan> plan(List<ZoneFragment> zones, Set<String> compromisedKeys)
            throws MxpolicyException {
        return plan(zones, compromisedKeys, false);
    }

    /**
     * As {@link #plan(List, Set)}; with {@code force}, a plan that deletes more than the configured
     * share of a zone's owned RRsets is not refused.
     */
    public Map<ZoneFragment, ZonePlan> plan(List<ZoneFragment> zones, Set<String> compromisedKeys, boolean force)
            throws MxpolicyException {
        List<ZoneFragment> published = zones.stream()
                .filter(z -> {
                    ZoneSettings settings = config.zones().get(z.zoneName());
                    return settings.update().isPresent() || settings.signing().isPresent();
                })
                .toList();
        Set<Name> httpsReportOwners = DesiredStateBuilder.httpsReportOwners(config);
        OwnershipLedger owned = ledger.load();
        Set<RrsetKey> ownedInAll = java.util.concurrent.ConcurrentHashMap.newKeySet();
        List<ZonePlan> plans = ConcurrentZones.map(published, zone -> {
            ZoneSettings settings = config.zones().get(zone.zoneName());
            OwnedZone before = owned.zone(zone.zone());
            Observed observed = settings.update().isPresent()
                    ? fromPrimary(zone, settings, before)
                    : new Observed(
                            fromSignedOutput(zone, settings.signing().get(), before.rrsets()),
                            Map.of(),
                            before.rrsets());
            observed.owned().stream()
                    .filter(k -> !observed.rrsets().getOrDefault(k, List.of()).isEmpty())
                    .forEach(ownedInAll::add);
            return plan(zone, settings, before, observed, compromisedKeys, httpsReportOwners, force);
        });
        plans = refusedAcrossZones(plans, ownedInAll, force);
        Map<ZoneFragment, ZonePlan> byZone = new LinkedHashMap<>();
        for (int i = 0; i < published.size(); i++) {
            byZone.put(published.get(i), plans.get(i));
        }
        return byZone;
    }

    /**
     * The plans, the first one deleting an owned RRset refused when the deletions of all zones
     * together exceed the share ({@link RetirementRules#deletionShareOfPlan}) and no zone was
     * refused for its own share already.
     */
    private List<ZonePlan> refusedAcrossZones(List<ZonePlan> plans, Set<RrsetKey> ownedInAll, boolean force) {
        boolean refusedAlready = plans.stream()
                .flatMap(p -> p.refusals().stream())
                .anyMatch(r -> r.id().equals(RetirementRules.DELETION_SHARE));
        List<RrsetChange> changes =
                plans.stream().flatMap(p -> p.changes().stream()).toList();
        Optional<Refusal> refusal = refusedAlready
                ? Optional.empty()
                : RetirementRules.deletionShareOfPlan(
                        changes,
                        ownedInAll,
                        config.ownership().maxDeletionPercent(),
                        config.ownership().minOwned(),
                        force);
        if (refusal.isEmpty()) {
            return plans;
        }
        List<ZonePlan> out = new ArrayList<>(plans);
        for (int i = 0; i < out.size(); i++) {
            ZonePlan p = out.get(i);
            if (p.changes().contains(refusal.get().change())) {
                List<Refusal> refusals = new ArrayList<>(p.refusals());
                refusals.add(refusal.get());
                out.set(i, new ZonePlan(p.zone(), p.changes(), refusals, p.retirements(), p.kept(), p.owned()));
                break;
            }
        }
        return out;
    }

    /** Fails, so that nothing is applied, when a safety rule refused any of the plans. */
    public void requireAccepted(Map<ZoneFragment, ZonePlan> plans) throws VerificationFailedException {
        List<Finding> refused = new ArrayList<>();
        plans.values()
                .forEach(p -> p.refusals()
                        .forEach(r ->
                                refused.add(Finding.error(r.id(), SourcePosition.file(config.source()), r.reason()))));
        if (!refused.isEmpty()) {
            throw new VerificationFailedException("the plan is refused; nothing was applied", refused);
        }
    }

    private static NameServer primary(UpdateTarget target) throws InvalidInputException {
        return new NameServer(target.server().toString(), ServerAddresses.resolve(target.server()));
    }

    /**
     * What was observed of a zone: its RRsets (desired and owned), the marker RRsets by marker name
     * (RFC 2136 zones only) and every RRset this installation owns there.
     */
    private record Observed(Map<RrsetKey, List<Record>> rrsets, Map<Name, List<Record>> markers, Set<RrsetKey> owned) {}

    /** Desired against what is published, with the retirement and safety rules applied. */
    private ZonePlan plan(
            ZoneFragment zone,
            ZoneSettings settings,
            OwnedZone before,
            Observed observed,
            Set<String> compromisedKeys,
            Set<Name> httpsReportOwners,
            boolean force)
            throws MxpolicyException {
        OwnershipSettings ownership = config.ownership();
        Map<RrsetKey, List<Record>> desired = new TreeMap<>();
        zone.rrsets().forEach(r -> desired.put(key(r), r));
        // owned and still there, but no longer desired
        Map<RrsetKey, List<Record>> retiring = new TreeMap<>();
        Set<RrsetKey> ownedNow = new TreeSet<>();
        for (RrsetKey key : observed.owned()) {
            List<Record> served = observed.rrsets().getOrDefault(key, List.of());
            if (!served.isEmpty()) {
                ownedNow.add(key);
                if (!desired.containsKey(key)) {
                    retiring.put(key, served);
                }
            }
        }
        boolean tlsaRetiring = retiring.keySet().stream().anyMatch(k -> k.type() == Type.TLSA);
        RetirementRules.Outcome outcome = RetirementRules.retire(
                retiring,
                new RetirementRules.Context(
                        clock.instant(), tlsaRetiring ? mxHosts(before, retiring.keySet()) : Map.of(), before));

        List<List<Record>> effective = new ArrayList<>(desired.values());
        effective.addAll(outcome.kept());
        Map<RrsetKey, List<Record>> compared = new TreeMap<>();
        for (List<Record> rrset : effective) {
            compared.put(key(rrset), observed.rrsets().getOrDefault(key(rrset), List.of()));
        }
        for (RrsetKey key : retiring.keySet()) {
            compared.put(key, retiring.get(key));
        }
        java.util.SortedSet<RrsetKey> ownedAfter = new TreeSet<>();
        effective.forEach(r -> ownedAfter.add(key(r)));
        List<Refusal> refusals = new ArrayList<>();
        if (settings.update().isPresent()) {
            markers(effective, observed, settings.ttl(), ownership.ownerId(), compared, refusals);
        }
        List<RrsetChange> changes = Planner.plan(effective, compared);
        SafetyRules rules = new SafetyRules(chainsInUse(changes, compromisedKeys), List.of(), httpsReportOwners);
        refusals.addAll(rules.check(changes, zone.zone()));
        RetirementRules.deletionShare(changes, ownedNow, ownership.maxDeletionPercent(), ownership.minOwned(), force)
                .ifPresent(refusals::add);
        List<Retirement> retirements = new ArrayList<>(outcome.retirements());
        SortedMap<String, SortedMap<String, Instant>> coverage = new TreeMap<>();
        for (DomainPolicy policy : DesiredStateBuilder.policies(config, new ArrayList<>())) {
            Optional<MailDomain> domain = config.domains().stream()
                    .filter(d -> d.name().equals(policy.domain()))
                    .findFirst();
            if (policy.policy().mode() != MtaStsMode.ENFORCE
                    || domain.isEmpty()
                    || !config.zoneFor(policy.domain()).orElse("").equals(zone.zoneName())) {
                continue;
            }
            Set<String> covered = new TreeSet<>();
            domain.get().mx().forEach(mx -> {
                if (policy.policy().covers(mx.host())) {
                    covered.add(mx.host());
                }
            });
            RetirementRules.MxChange mxChange = RetirementRules.mxChange(
                    policy.domain(),
                    policy.policy().maxAge(),
                    covered,
                    mxOf(policy.domain()),
                    before.mxCoverage().getOrDefault(policy.domain(), new TreeMap<>()),
                    clock.instant());
            retirements.addAll(mxChange.holds());
            coverage.put(policy.domain(), mxChange.coverage());
        }
        OwnedZone after = new OwnedZone(ownedAfter, policyTerms(zone), outcome.withdrawals(), coverage);
        return new ZonePlan(zone.zone(), changes, refusals, retirements, outcome.kept(), after);
    }

    /**
     * Adds to {@code effective} the marker RRset of every owner name with owned RRsets, and to
     * {@code compared} every marker RRset as observed, so markers of names no longer owned go;
     * refuses to take over an RRset another installation's marker claims.
     */
    private static void markers(
            List<List<Record>> effective,
            Observed observed,
            long ttl,
            String ownerId,
            Map<RrsetKey, List<Record>> compared,
            List<Refusal> refusals) {
        Map<Name, Set<Integer>> typesAt = new TreeMap<>();
        for (List<Record> rrset : effective) {
            typesAt.computeIfAbsent(rrset.get(0).getName(), k -> new TreeSet<>())
                    .add(rrset.get(0).getType());
        }
        Set<Name> owners = new TreeSet<>(typesAt.keySet());
        observed.markers().keySet().forEach(m -> owners.add(OwnershipMarker.ownerOf(m)));
        for (Name owner : owners) {
            Name markerName = OwnershipMarker.name(owner);
            List<Record> served = observed.markers().getOrDefault(markerName, List.of());
            Set<Integer> types = typesAt.getOrDefault(owner, Set.of());
            for (RrsetKey claimed : otherOwners(served, ownerId)) {
                if (types.contains(claimed.type())) {
                    refusals.add(new Refusal(
                            "plan.owned-by-other",
                            null,
                            owner + " " + Type.string(claimed.type()) + " is claimed by the ownership marker of "
                                    + "another installation (" + markerName + "); give each installation its own"
                                    + " names, or the same ownership.owner_id if this one takes over"));
                }
            }
            List<Record> wanted = OwnershipMarker.rrset(owner, served, ownerId, types, ttl);
            if (!wanted.isEmpty()) {
                effective.add(wanted);
            }
            compared.put(new RrsetKey(markerName, Type.TXT), served);
        }
    }

    private static Set<RrsetKey> otherOwners(List<Record> marker, String ownerId) {
        Set<RrsetKey> claimed = new TreeSet<>();
        for (Record r : marker) {
            if (r instanceof TXTRecord txt) {
                OwnershipMarker.parse(String.join("", txt.getStrings()))
                        .filter(m -> !m.ownerId().equals(ownerId))
                        .ifPresent(m -> m.types()
                                .forEach(t -> claimed.add(new RrsetKey(OwnershipMarker.ownerOf(r.getName()), t))));
            }
        }
        return claimed;
    }

    /** The terms of each MTA-STS policy whose {@code _mta-sts} record this zone holds, for a later withdrawal. */
    private SortedMap<String, PolicyTerms> policyTerms(ZoneFragment zone) {
        SortedMap<String, PolicyTerms> terms = new TreeMap<>();
        for (MailDomain domain : config.domains()) {
            if (domain.mtaSts().isEmpty()
                    || !Name.fromConstantString(domain.name() + ".").subdomain(zone.zone())
                    || !config.zoneFor(domain.name()).orElse("").equals(zone.zoneName())) {
                continue;
            }
            var sts = domain.mtaSts().get();
            terms.put(
                    domain.name(),
                    new PolicyTerms(
                            sts.maxAge(),
                            sts.cert()
                                    .map(f -> baseDir.resolve(f.path())
                                            .toAbsolutePath()
                                            .toString()),
                            sts.key()
                                    .map(f -> baseDir.resolve(f.path())
                                            .toAbsolutePath()
                                            .toString())));
        }
        return terms;
    }

    /**
     * The hosts the MX RRset of each domain that may name a retiring TLSA host names: every
     * configured domain, the domains the zone's ledger knows, and the parent of each host. Asked of
     * the zone's primary where mxpolicy updates the zone, else through the validating lookup; a
     * domain whose MX cannot be read stops the plan, since deleting could break DANE.
     */
    private Map<String, Set<String>> mxHosts(OwnedZone before, Set<RrsetKey> retiring) throws MxpolicyException {
        Set<String> domains = new TreeSet<>();
        config.domains().forEach(d -> domains.add(d.name()));
        domains.addAll(before.policies().keySet());
        domains.addAll(before.withdrawals().keySet());
        for (RrsetKey key : retiring) {
            String owner = key.owner().toString(true).toLowerCase(java.util.Locale.ROOT);
            int dot = owner.indexOf('.', owner.indexOf("._tcp.") + 6);
            if (key.type() == Type.TLSA && dot > 0) {
                domains.add(owner.substring(dot + 1));
            }
        }
        Map<String, Set<String>> hosts = new TreeMap<>();
        for (String domain : domains) {
            hosts.put(domain, mxOf(domain));
        }
        return hosts;
    }

    /**
     * The hosts the MX RRset of {@code domain} names (lower case, no trailing dot), asked of the
     * zone's primary where mxpolicy updates the zone, read from the zone file where it signs it,
     * else through the validating lookup.
     */
    private Set<String> mxOf(String domain) throws MxpolicyException {
        Name name = Name.fromConstantString(domain + ".");
        List<Record> mx;
        Optional<UpdateTarget> target =
                config.zoneFor(domain).flatMap(z -> config.zones().get(z).update());
        if (target.isPresent()) {
            ServerAnswer answer = authorities
                    .askAll(List.of(primary(target.get())), name, Type.MX)
                    .get(0);
            if (!answer.answered()) {
                throw mxUnknown(domain, answer.problem().orElse("no answer"));
            }
            mx = answer.records();
        } else if (config.zoneFor(domain)
                .flatMap(z -> config.zones().get(z).signing())
                .isPresent()) {
            // the zone file mxpolicy signs is what its server will serve
            String zone = config.zoneFor(domain).get();
            Path file = baseDir.resolve(
                    config.zones().get(zone).signing().get().zoneFile().path());
            try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
                mx = ZoneFileReader.read(in, file.toString(), Name.fromConstantString(zone + ".")).stream()
                        .filter(r -> r.getType() == Type.MX && r.getName().equals(name))
                        .toList();
            } catch (java.io.IOException e) {
                throw mxUnknown(domain, file + ": " + e.getMessage());
            }
        } else {
            DnsAnswer answer = dns.lookup(name, Type.MX);
            if (answer.security() == DnsAnswer.Security.FAILED) {
                throw mxUnknown(domain, answer.problem().orElse("lookup failed"));
            }
            mx = answer.records();
        }
        Set<String> named = new TreeSet<>();
        for (Record r : mx) {
            if (r instanceof MXRecord m) {
                named.add(m.getTarget().toString(true).toLowerCase(java.util.Locale.ROOT));
            }
        }
        return named;
    }

    private VerificationFailedException mxUnknown(String domain, String problem) {
        return new VerificationFailedException(
                "cannot read the MX RRset of " + domain,
                List.of(Finding.error(
                        "publish.mx-unknown",
                        SourcePosition.file(config.source()),
                        "the MX RRset of " + domain + " could not be read (" + problem + "), so it is unknown whether"
                                + " a retiring TLSA record is still needed; nothing was planned")));
    }

    private static RrsetKey key(List<Record> rrset) {
        return new RrsetKey(rrset.get(0).getName(), rrset.get(0).getType());
    }

    /**
     * The desired and owned RRsets as the previous signed output has them (what the DNS server was
     * given last), or none when there is no output yet.
     */
    private Map<RrsetKey, List<Record>> fromSignedOutput(
            ZoneFragment zone, ZoneFileSigning settings, Set<RrsetKey> owned) throws InvalidInputException {
        Path output = baseDir.resolve(settings.output().path());
        Map<RrsetKey, List<Record>> published = new HashMap<>();
        Optional<byte[]> previous = signingFiles.previous(output);
        if (previous.isPresent()) {
            for (Record record :
                    ZoneFileReader.read(new ByteArrayInputStream(previous.get()), output.toString(), zone.zone())) {
                published
                        .computeIfAbsent(new RrsetKey(record.getName(), record.getType()), k -> new ArrayList<>())
                        .add(record);
            }
        }
        Map<RrsetKey, List<Record>> observed = new LinkedHashMap<>();
        for (List<Record> rrset : zone.rrsets()) {
            RrsetKey key = key(rrset);
            observed.put(key, published.getOrDefault(key, List.of()));
        }
        for (RrsetKey key : owned) {
            observed.put(key, published.getOrDefault(key, List.of()));
        }
        return observed;
    }

    /**
     * The desired and owned RRsets as the primary serves them, and the ownership markers of their
     * names. What this installation owns is what the ledger says plus what its markers claim; a
     * zone the ledger knows nothing of is transferred (where the primary allows it) to find the
     * markers of names the config no longer produces, once: see {@link #transfers}.
     */
    private Observed fromPrimary(ZoneFragment zone, ZoneSettings settings, OwnedZone before) throws MxpolicyException {
        NameServer primary = primary(settings.update().get());
        String ownerId = config.ownership().ownerId();
        Set<Name> owners = new TreeSet<>();
        zone.rrsets().forEach(r -> owners.add(r.get(0).getName()));
        before.rrsets().forEach(k -> owners.add(k.owner()));
        if (transfers(before, ledger)) {
            updates.open(settings.update().get()).transfer(zone.zone()).ifPresent(records -> {
                for (Record r : records) {
                    if (r.getType() == Type.TXT && OwnershipMarker.isMarker(r.getName())) {
                        owners.add(OwnershipMarker.ownerOf(r.getName()));
                    }
                }
            });
        }
        Map<Name, List<Record>> markers = new TreeMap<>();
        for (Name owner : owners) {
            if (OwnershipMarker.isMarker(owner)) {
                continue;
            }
            Name markerName = OwnershipMarker.name(owner);
            List<Record> marker = ask(zone, primary, markerName, Type.TXT);
            if (!marker.isEmpty()) {
                markers.put(markerName, marker);
            }
        }
        Set<RrsetKey> owned = new TreeSet<>(before.rrsets());
        owned.addAll(OwnershipMarker.owned(markers, ownerId));
        Set<RrsetKey> keys = new TreeSet<>(owned);
        zone.rrsets().forEach(r -> keys.add(key(r)));
        Map<RrsetKey, List<Record>> observed = new LinkedHashMap<>();
        for (RrsetKey key : keys) {
            observed.put(key, ask(zone, primary, key.owner(), key.type()));
        }
        return new Observed(observed, markers, owned);
    }

    /**
     * Whether the zone is transferred to find its markers: only when the ledger knows nothing of
     * it and what is found will be kept, so that a zone is transferred once (a new machine, a lost
     * state directory) and not on every run. Without a state directory, every run would transfer
     * every zone, the whole of each, which a hoster with thousands of zones cannot afford.
     */
    static boolean transfers(OwnedZone before, LedgerStore ledger) {
        return before.isEmpty() && ledger.keeps();
    }

    private List<Record> ask(ZoneFragment zone, NameServer primary, Name name, int type)
            throws VerificationFailedException {
        ServerAnswer answer = authorities.askAll(List.of(primary), name, type).get(0);
        if (!answer.answered() || !answer.authoritative()) {
            throw new VerificationFailedException(
                    "cannot read zone " + zone.zone() + " from its primary",
                    List.of(Finding.error(
                            "publish.primary",
                            SourcePosition.file(config.source()),
                            primary
                                    + " did not answer authoritatively for " + name + " " + Type.string(type) + ": "
                                    + answer.problem().orElse("not authoritative"))));
        }
        return answer.records();
    }

    /**
     * For each TLSA RRset the plan takes records from: the chain on disk and the chains its MX
     * presents on each address now, which the safety rules protect.
     */
    private Map<Name, List<List<X509Certificate>>> chainsInUse(List<RrsetChange> changes, Set<String> compromisedKeys)
            throws InvalidInputException {
        Map<Name, List<List<X509Certificate>>> inUse = new HashMap<>();
        for (RrsetChange change : changes) {
            if (change.type() != Type.TLSA || change.after().containsAll(change.before())) {
                continue;
            }
            for (MailDomain domain : config.domains()) {
                for (MxHost mx : domain.mx()) {
                    Name owner = Name.fromConstantString("_" + mx.port() + "._tcp." + mx.host() + ".");
                    if (!owner.equals(change.owner()) || inUse.containsKey(owner)) {
                        continue;
                    }
                    List<List<X509Certificate>> chains = new ArrayList<>();
                    chains.add(certificates.get().chain(mx.cert()).certificates());
                    for (InetSocketAddress address : addresses.of(mx)) {
                        SmtpObservation seen = probe.probe(mx.host(), address);
                        if (!seen.chain().isEmpty()
                                && !compromisedKeys.contains(
                                        spkiSha256(seen.chain().get(0)))) {
                            chains.add(seen.chain());
                        }
                    }
                    inUse.put(owner, chains);
                }
            }
        }
        return inUse;
    }

    private static String spkiSha256(X509Certificate cert) {
        try {
            return HexFormat.of()
                    .formatHex(
                            java.security.MessageDigest.getInstance("SHA-256").digest(SubjectPublicKey.spkiOf(cert)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
