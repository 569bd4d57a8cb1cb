package org.mxpolicy.cli;

import java.io.PrintWriter;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mxpolicy.cert.CertificateChain;
import org.mxpolicy.check.CheckRunner;
import org.mxpolicy.check.ZoneServers;
import org.mxpolicy.config.MailDomain;
import org.mxpolicy.config.MxHost;
import org.mxpolicy.config.UpdateTarget;
import org.mxpolicy.config.ZoneFileSigning;
import org.mxpolicy.config.ZoneSettings;
import org.mxpolicy.dns.AuthoritativeQuery;
import org.mxpolicy.dns.DnsAnswer;
import org.mxpolicy.dns.DnsLookup;
import org.mxpolicy.dns.NameServer;
import org.mxpolicy.dns.Rfc2136Update;
import org.mxpolicy.dns.ServerAnswer;
import org.mxpolicy.dns.TsigKeyFile;
import org.mxpolicy.dns.UpdateException;
import org.mxpolicy.files.ConfigFile;
import org.mxpolicy.files.InputFiles;
import org.mxpolicy.files.KeyDirectory;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.SourcePosition;
import org.mxpolicy.finding.VerificationFailedException;
import org.mxpolicy.plan.Planner;
import org.mxpolicy.plan.RrsetKey;
import org.mxpolicy.plan.SafetyRules;
import org.mxpolicy.plan.ZonePlan;
import org.mxpolicy.probe.ConnectOverrides;
import org.mxpolicy.probe.SmtpObservation;
import org.mxpolicy.probe.StartTlsProbe;
import org.mxpolicy.zone.RrsetChange;
import org.mxpolicy.zone.ZoneFragment;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;
import picocli.CommandLine;

/**
 * The APPLY and VERIFY steps of publishing: the plan per zone from what its primary serves, the
 * RFC 2136 updates or the signed zone file, and the wait until every authoritative server serves
 * the result and it validates. Used by {@code publish} and by the certificate-renewal workflow.
 */
final class Publisher {

    private final ConfigFile file;
    private final Path configPath;
    private final Duration timeout;
    private final ConnectOverrides overrides;
    private final Clock clock;
    private final PrintWriter out;
    private final PrintWriter err;
    private final DnsLookup dns;
    private final AuthoritativeQuery authorities;

    Publisher(ConfigFile file, Path configPath, Duration timeout, ConnectOverrides overrides, Clock clock, PrintWriter out,
            PrintWriter err) throws InvalidInputException {
        this.file = file;
        this.configPath = configPath;
        this.timeout = timeout;
        this.overrides = overrides;
        this.clock = clock;
        this.out = out;
        this.err = err;
        // no cache: publishing asks again and again until the new data is there
        this.dns = Observation.lookup(file, timeout, Duration.ZERO, clock);
        this.authorities = Observation.authorities(dns, timeout);
    }

    /** The validating lookup (no cache), shared with the rollover's observations. */
    DnsLookup dns() {
        return dns;
    }

    AuthoritativeQuery authorities() {
        return authorities;
    }

    /** The plan of each zone published by RFC 2136 ({@code update}), in the given order. */
    Map<ZoneFragment, ZonePlan> plan(List<ZoneFragment> zones) throws Exception {
        return plan(zones, java.util.Set.of());
    }

    /**
     * As {@link #plan(List)}, where the records of {@code compromisedKeys} (SHA-256 hex of their
     * SPKI) may go although an MX still presents them: an emergency rollover.
     */
    Map<ZoneFragment, ZonePlan> plan(List<ZoneFragment> zones, java.util.Set<String> compromisedKeys) throws Exception {
        Map<ZoneFragment, ZonePlan> plans = new LinkedHashMap<>();
        for (ZoneFragment zone : zones) {
            ZoneSettings settings = file.config().zones().get(zone.zoneName());
            if (settings.update().isPresent()) {
                plans.put(zone, plan(zone, primary(settings.update().get()), compromisedKeys));
            }
        }
        return plans;
    }

    /** The MX's addresses from validated DNS (A and AAAA), or its --connect target. */
    List<InetSocketAddress> mxAddresses(MxHost mx) {
        Optional<InetSocketAddress> override = overrides.lookup(mx.host(), mx.port());
        if (override.isPresent()) {
            return List.of(override.get());
        }
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (int type : new int[] {Type.A, Type.AAAA}) {
            for (Record r : dns.lookup(Name.fromConstantString(mx.host() + "."), type).records()) {
                InetAddress ip = r instanceof org.xbill.DNS.ARecord a ? a.getAddress() : ((org.xbill.DNS.AAAARecord) r).getAddress();
                addresses.add(new InetSocketAddress(ip, mx.port()));
            }
        }
        return addresses;
    }

    /** Prints the plans; fails, applying nothing, when a safety rule refused any of them. */
    void printAndRequireAccepted(Map<ZoneFragment, ZonePlan> plans) throws VerificationFailedException {
        PlanText.lines(List.copyOf(plans.values())).forEach(out::println);
        out.flush();
        List<Finding> refused = new ArrayList<>();
        plans.values().forEach(p -> p.refusals().forEach(r -> refused.add(
                Finding.error(r.id(), SourcePosition.file(file.config().source()), r.reason()))));
        if (!refused.isEmpty()) {
            throw new VerificationFailedException("the plan is refused; nothing was applied", refused);
        }
    }

    /** Waits for {@link #awaitServed} and fails listing what lags at the end. */
    void requireServed(List<ZoneFragment> zones, Duration wait) throws Exception {
        if (zones.isEmpty() || wait.isZero()) {
            return;
        }
        List<Finding> lagging = awaitServed(zones, wait);
        if (!lagging.isEmpty()) {
            throw new VerificationFailedException("not served everywhere within " + wait.toSeconds() + " s", lagging);
        }
    }

    /**
     * Sends the plans as updates and signs the zone files of {@code zones} with {@code sign};
     * returns the zones whose served data changed.
     */
    List<ZoneFragment> apply(Map<ZoneFragment, ZonePlan> plans, List<ZoneFragment> zones) throws Exception {
        List<ZoneFragment> changed = new ArrayList<>();
        for (Map.Entry<ZoneFragment, ZonePlan> e : plans.entrySet()) {
            if (e.getValue().isEmpty()) {
                continue;
            }
            UpdateTarget target = file.config().zones().get(e.getKey().zoneName()).update().get();
            Rfc2136Update update = new Rfc2136Update(Observation.socketAddress(target.server()), tsig(target),
                    timeout, Rfc2136Update.RetryPolicy.standard());
            try {
                int messages = update.apply(e.getKey().zone(), e.getValue().changes());
                err.println("mxpolicy publish: zone " + e.getKey().zone() + ": " + e.getValue().changes().size()
                        + " change(s) sent to " + target.server() + " in " + messages + " update message(s)");
            } catch (UpdateException ex) {
                String hint = switch (ex.reason()) {
                    case CONCURRENT_CHANGE -> "; the zone changed since it was read: run publish again to re-plan";
                    case NOT_AUTHORIZED -> "; check the TSIG key (" + target.key().path() + ") and the server's update ACL";
                    case UNAVAILABLE -> "";
                };
                throw new VerificationFailedException("zone " + e.getKey().zone() + ": update not applied",
                        List.of(Finding.error("publish." + ex.reason().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
                                target.position(), ex.getMessage() + hint)));
            }
            changed.add(e.getKey());
        }
        for (ZoneFragment zone : zones) {
            Optional<ZoneFileSigning> signing = file.config().zones().get(zone.zoneName()).signing();
            if (signing.isPresent() && signZoneFile(zone, signing.get())) {
                changed.add(zone);
            }
        }
        return changed;
    }

    private static NameServer primary(UpdateTarget target) throws InvalidInputException {
        return new NameServer(target.server().toString(), Observation.socketAddress(target.server()));
    }

    /** Desired against what the primary serves, with the safety rules applied. */
    private ZonePlan plan(ZoneFragment zone, NameServer primary, java.util.Set<String> compromisedKeys) throws Exception {
        Map<RrsetKey, List<Record>> observed = new LinkedHashMap<>();
        for (List<Record> rrset : zone.rrsets()) {
            Record first = rrset.get(0);
            ServerAnswer answer = authorities.askAll(List.of(primary), first.getName(), first.getType()).get(0);
            if (!answer.answered() || !answer.authoritative()) {
                throw new VerificationFailedException("cannot read zone " + zone.zone() + " from its primary",
                        List.of(Finding.error("publish.primary", SourcePosition.file(file.config().source()), primary
                                + " did not answer authoritatively for " + first.getName() + " "
                                + Type.string(first.getType()) + ": " + answer.problem().orElse("not authoritative"))));
            }
            observed.put(new RrsetKey(first.getName(), first.getType()), answer.records());
        }
        List<RrsetChange> changes = Planner.plan(zone.rrsets(), observed);
        SafetyRules rules = new SafetyRules(chainsInUse(changes, compromisedKeys), List.of(), CheckRunner.httpsReportsAllowed(file.config()));
        return new ZonePlan(zone.zone(), changes, rules.check(changes, zone.zone()));
    }

    /**
     * For each TLSA RRset the plan takes records from: the chain on disk and the chains its MX
     * presents on each address now, which the safety rules protect.
     */
    private Map<Name, List<List<X509Certificate>>> chainsInUse(List<RrsetChange> changes, java.util.Set<String> compromisedKeys)
            throws InvalidInputException {
        Map<Name, List<List<X509Certificate>>> inUse = new HashMap<>();
        StartTlsProbe probe = null;
        for (RrsetChange change : changes) {
            if (change.type() != Type.TLSA || change.after().containsAll(change.before())) {
                continue;
            }
            for (MailDomain domain : file.config().domains()) {
                for (MxHost mx : domain.mx()) {
                    Name owner = Name.fromConstantString("_" + mx.port() + "._tcp." + mx.host() + ".");
                    if (!owner.equals(change.owner()) || inUse.containsKey(owner)) {
                        continue;
                    }
                    List<List<X509Certificate>> chains = new ArrayList<>();
                    CertificateChain disk = file.certificates().chain(mx.cert());
                    chains.add(disk.certificates());
                    probe = probe == null ? new StartTlsProbe(timeout, "localhost.localdomain") : probe;
                    for (InetSocketAddress address : mxAddresses(mx)) {
                        SmtpObservation seen = probe.probe(mx.host(), address);
                        if (!seen.chain().isEmpty() && !compromisedKeys.contains(spkiSha256(seen.chain().get(0)))) {
                            chains.add(seen.chain());
                        }
                    }
                    inUse.put(owner, chains);
                }
            }
        }
        return inUse;
    }

    private org.xbill.DNS.TSIG tsig(UpdateTarget target) throws InvalidInputException {
        Path path = file.baseDir().resolve(target.key().path());
        KeyDirectory.checkPermissions(path);
        String text = new String(InputFiles.read(path), StandardCharsets.UTF_8);
        Optional<Name> name = target.keyName().map(n -> Name.fromConstantString(n + "."));
        return TsigKeyFile.read(new StringReader(text), path.toString()).select(name).tsig();
    }

    /** Merges, signs and writes the zone file as {@code mxpolicy sign} does; true when it changed. */
    private boolean signZoneFile(ZoneFragment zone, ZoneFileSigning signing) throws Exception {
        Path output = file.baseDir().resolve(signing.output().path());
        byte[] before = Files.exists(output) ? Files.readAllBytes(output) : new byte[0];
        List<String> args = new ArrayList<>(List.of("--zone", zone.zoneName(),
                "-K", file.baseDir().resolve(signing.keys().path()).toString(),
                "-c", configPath.toString(), "-o", output.toString()));
        if (signing.nsec3()) {
            args.add("--nsec3");
        }
        args.add(file.baseDir().resolve(signing.zoneFile().path()).toString());
        SignCommand sign = new SignCommand(clock);
        CommandLine line = new CommandLine(sign);
        line.setOut(out);
        line.setErr(err);
        line.parseArgs(args.toArray(String[]::new));
        sign.call();
        boolean changed = !Arrays.equals(before, Files.readAllBytes(output));
        err.println("mxpolicy publish: zone " + zone.zone() + ": " + output + (changed ? " signed and written" : " unchanged"));
        if (changed && signing.reload().isPresent()) {
            reload(signing.reload().get(), signing);
        }
        return changed;
    }

    private void reload(String command, ZoneFileSigning signing) throws Exception {
        ConfiguredCommand.run(command, timeout, "publish.reload", signing.position(), "the reload command");
        err.println("mxpolicy publish: ran '" + command + "'");
    }

    /**
     * Polls until every authoritative server of each changed zone serves every desired RRset and
     * the validating lookup gets it SECURE; returns what still lags at the deadline.
     */
    List<Finding> awaitServed(List<ZoneFragment> zones, Duration wait) throws InterruptedException {
        Instant deadline = clock.instant().plus(wait);
        List<Finding> lagging;
        while (true) {
            lagging = new ArrayList<>();
            for (ZoneFragment zone : zones) {
                ZoneSettings settings = file.config().zones().get(zone.zoneName());
                List<NameServer> servers = ZoneServers.of(settings, dns, authorities);
                for (List<Record> rrset : zone.rrsets()) {
                    Record first = rrset.get(0);
                    for (ServerAnswer a : authorities.askAll(servers, first.getName(), first.getType())) {
                        if (!a.answered() || !Planner.same(a.records(), rrset)) {
                            lagging.add(Finding.error("publish.not-served", settings.position(), a.server() + " does not"
                                    + " yet serve " + first.getName() + " " + Type.string(first.getType())
                                    + a.problem().map(p -> " (" + p + ")").orElse(" as desired")));
                        }
                    }
                    DnsAnswer validated = dns.lookup(first.getName(), first.getType());
                    if (validated.security() != DnsAnswer.Security.SECURE || !Planner.same(validated.records(), rrset)) {
                        lagging.add(Finding.error("publish.not-validated", settings.position(), first.getName() + " "
                                + Type.string(first.getType()) + " is " + validated.security()
                                + validated.problem().map(p -> " (" + p + ")").orElse("") + " through the resolver"
                                + (validated.security() == DnsAnswer.Security.SECURE ? ", with other records" : "")));
                    }
                }
            }
            if (lagging.isEmpty()) {
                err.println("mxpolicy publish: served by every authoritative server and validated");
                return lagging;
            }
            if (!clock.instant().isBefore(deadline)) {
                return lagging;
            }
            Thread.sleep(Math.min(1000, Math.max(1, Duration.between(clock.instant(), deadline).toMillis())));
        }
    }

    private static String spkiSha256(X509Certificate cert) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(org.mxpolicy.cert.SubjectPublicKey.spkiOf(cert)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
