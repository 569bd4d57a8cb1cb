package org.mxpolicy.apply;

import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.mxpolicy.cert.SubjectPublicKey;
import org.mxpolicy.config.MailDomain;
import org.mxpolicy.config.MxHost;
import org.mxpolicy.config.ProviderConfig;
import org.mxpolicy.config.UpdateTarget;
import org.mxpolicy.config.ZoneFileSigning;
import org.mxpolicy.config.ZoneSettings;
import org.mxpolicy.desired.CertificateSource;
import org.mxpolicy.desired.DesiredStateBuilder;
import org.mxpolicy.dns.AuthoritativeQuery;
import org.mxpolicy.dns.NameServer;
import org.mxpolicy.dns.ServerAnswer;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.MxpolicyException;
import org.mxpolicy.finding.SourcePosition;
import org.mxpolicy.finding.VerificationFailedException;
import org.mxpolicy.plan.Planner;
import org.mxpolicy.plan.RrsetKey;
import org.mxpolicy.plan.SafetyRules;
import org.mxpolicy.plan.ZonePlan;
import org.mxpolicy.probe.SmtpObservation;
import org.mxpolicy.probe.SmtpProbe;
import org.mxpolicy.zone.RrsetChange;
import org.mxpolicy.zone.ZoneFileReader;
import org.mxpolicy.zone.ZoneFragment;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The plan of each zone: the RRsets mxpolicy owns as they are published (by the zone's primary for
 * RFC 2136 zones, in the previous signed output for zones mxpolicy signs), against the desired ones,
 * with the safety rules applied to the certificates on disk and those the MX hosts present now.
 */
public final class ZonePlanner {

    private final ProviderConfig config;
    private final Path baseDir;
    private final SigningFiles signingFiles;
    private final Supplier<CertificateSource> certificates;
    private final AuthoritativeQuery authorities;
    private final MxAddresses addresses;
    private final SmtpProbe probe;

    /**
     * @param baseDir the config's directory, against which its file names are resolved
     * @param signingFiles where the signed output of zones with {@code sign} is read
     * @param certificates read afresh for every plan: a certificate changes while a rollover goes on
     */
    public ZonePlanner(
            ProviderConfig config,
            Path baseDir,
            SigningFiles signingFiles,
            Supplier<CertificateSource> certificates,
            AuthoritativeQuery authorities,
            MxAddresses addresses,
            SmtpProbe probe) {
        this.config = config;
        this.baseDir = baseDir;
        this.signingFiles = signingFiles;
        this.certificates = certificates;
        this.authorities = authorities;
        this.addresses = addresses;
        this.probe = probe;
    }

    /**
     * The plan of each zone with {@code update} or {@code sign}, in the given order. The records of
     * {@code compromisedKeys} (SHA-256 hex of their SPKI) may go although an MX still presents
     * them: an emergency rollover.
     */
    public Map<ZoneFragment, ZonePlan> plan(List<ZoneFragment> zones, Set<String> compromisedKeys)
            throws MxpolicyException {
        List<ZoneFragment> published = zones.stream()
                .filter(z -> {
                    ZoneSettings settings = config.zones().get(z.zoneName());
                    return settings.update().isPresent() || settings.signing().isPresent();
                })
                .toList();
        Set<Name> httpsReportOwners = DesiredStateBuilder.httpsReportOwners(config);
        List<ZonePlan> plans = ConcurrentZones.map(published, zone -> {
            ZoneSettings settings = config.zones().get(zone.zoneName());
            Map<RrsetKey, List<Record>> observed = settings.update().isPresent()
                    ? fromPrimary(zone, primary(settings.update().get()))
                    : fromSignedOutput(zone, settings.signing().get());
            return plan(zone, observed, compromisedKeys, httpsReportOwners);
        });
        Map<ZoneFragment, ZonePlan> byZone = new LinkedHashMap<>();
        for (int i = 0; i < published.size(); i++) {
            byZone.put(published.get(i), plans.get(i));
        }
        return byZone;
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

    /** Desired against what is published, with the safety rules applied. */
    private ZonePlan plan(
            ZoneFragment zone,
            Map<RrsetKey, List<Record>> observed,
            Set<String> compromisedKeys,
            Set<Name> httpsReportOwners)
            throws InvalidInputException {
        List<RrsetChange> changes = Planner.plan(zone.rrsets(), observed);
        SafetyRules rules = new SafetyRules(chainsInUse(changes, compromisedKeys), List.of(), httpsReportOwners);
        return new ZonePlan(zone.zone(), changes, rules.check(changes, zone.zone()));
    }

    /**
     * The owned RRsets as the previous signed output has them (what the DNS server was given last),
     * or none when there is no output yet.
     */
    private Map<RrsetKey, List<Record>> fromSignedOutput(ZoneFragment zone, ZoneFileSigning settings)
            throws InvalidInputException {
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
            RrsetKey key = new RrsetKey(rrset.get(0).getName(), rrset.get(0).getType());
            observed.put(key, published.getOrDefault(key, List.of()));
        }
        return observed;
    }

    /** The owned RRsets as the primary serves them. */
    private Map<RrsetKey, List<Record>> fromPrimary(ZoneFragment zone, NameServer primary)
            throws VerificationFailedException {
        Map<RrsetKey, List<Record>> observed = new LinkedHashMap<>();
        for (List<Record> rrset : zone.rrsets()) {
            Record first = rrset.get(0);
            ServerAnswer answer = authorities
                    .askAll(List.of(primary), first.getName(), first.getType())
                    .get(0);
            if (!answer.answered() || !answer.authoritative()) {
                throw new VerificationFailedException(
                        "cannot read zone " + zone.zone() + " from its primary",
                        List.of(Finding.error(
                                "publish.primary",
                                SourcePosition.file(config.source()),
                                primary
                                        + " did not answer authoritatively for " + first.getName() + " "
                                        + Type.string(first.getType()) + ": "
                                        + answer.problem().orElse("not authoritative"))));
            }
            observed.put(new RrsetKey(first.getName(), first.getType()), answer.records());
        }
        return observed;
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
