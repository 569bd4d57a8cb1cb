package org.mxpolicy.cli;

import java.io.IOException;
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
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.mxpolicy.cert.CertificateChain;
import org.mxpolicy.check.ZoneServers;
import org.mxpolicy.config.MailDomain;
import org.mxpolicy.config.MxHost;
import org.mxpolicy.config.ServerAddress;
import org.mxpolicy.config.UpdateTarget;
import org.mxpolicy.config.ZoneFileSigning;
import org.mxpolicy.config.ZoneSettings;
import org.mxpolicy.desired.DesiredState;
import org.mxpolicy.dns.AuthoritativeQuery;
import org.mxpolicy.dns.DnsAnswer;
import org.mxpolicy.dns.DnsLookup;
import org.mxpolicy.dns.NameServer;
import org.mxpolicy.dns.Rfc2136Update;
import org.mxpolicy.dns.ServerAnswer;
import org.mxpolicy.dns.TsigKeyFile;
import org.mxpolicy.dns.UpdateException;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.SourcePosition;
import org.mxpolicy.finding.VerificationFailedException;
import org.mxpolicy.probe.ConnectOverrides;
import org.mxpolicy.probe.SmtpObservation;
import org.mxpolicy.probe.StartTlsProbe;
import org.mxpolicy.state.Planner;
import org.mxpolicy.state.RrsetKey;
import org.mxpolicy.state.SafetyRules;
import org.mxpolicy.state.ZonePlan;
import org.mxpolicy.zone.RrsetChange;
import org.mxpolicy.zone.ZoneFragment;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code mxpolicy publish}: plan (by default) or apply the records the config owns, then wait
 * until every authoritative server serves them and they validate.
 */
@Command(
        name = "publish",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Bring the DNS in line with the config and the certificates. For each zone with 'update', the",
            "RRsets mxpolicy owns are read from the zone's primary and compared with the desired ones; the",
            "plan (create, change, delete per RRset) is printed, and with --apply sent as RFC 2136 updates",
            "signed with TSIG, each RRset's current content as a prerequisite, so a concurrent change is",
            "detected instead of overwritten. For each zone with 'sign', the records are merged into the",
            "zone file, the zone is signed and verified (as mxpolicy sign does), and the reload command runs.",
            "Then publish waits until every authoritative server serves the new data and it validates.",
            "",
            "A plan that would remove the TLSA record of a certificate still in use (on disk or presented",
            "live by the MX) or ask for TLS reports over https is refused, and nothing is applied."
        },
        footer = {
            "",
            "Examples:",
            "  mxpolicy publish -c /etc/mxpolicy/provider.yaml            # print the plan",
            "  mxpolicy publish -c /etc/mxpolicy/provider.yaml --apply    # apply it and wait",
            "Exit codes: 0 applied (or nothing to do, or a dry run), 1 refused, rejected or not served in",
            "time, 2 bad usage or bad input."
        })
final class PublishCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "CONFIG", description = "The provider config.")
    private Path config;

    @Option(names = "--apply", description = "Apply the plan (without it, only print it).")
    private boolean apply;

    @Option(names = {"-z", "--zone"}, paramLabel = "ZONE", description = "Only this zone; repeatable (default: all).")
    private List<String> onlyZones = new ArrayList<>();

    @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "5m", converter = DurationConverter.class,
            description = "How long to wait for every authoritative server to serve the new data (default:"
                    + " ${DEFAULT-VALUE}; 0 to not wait).")
    private Duration wait;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
            description = "Per DNS query, update message and connection (default: ${DEFAULT-VALUE}).")
    private Duration timeout;

    @Option(names = "--connect", paramLabel = "HOST:PORT=ADDRESS:PORT",
            description = "Connect to ADDRESS:PORT when probing HOST:PORT for the certificate it presents; repeatable.")
    private List<String> connect = new ArrayList<>();

    @Spec
    private CommandSpec spec;

    private final Clock clock;

    PublishCommand() {
        this(Clock.systemUTC());
    }

    PublishCommand(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Integer call() throws Exception {
        ConnectOverrides overrides;
        try {
            overrides = ConnectOverrides.parse(connect);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--connect " + e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ConfigFile file = ConfigFile.load(config);
        DesiredState desired = file.desiredState(clock.instant());
        Findings.print(err, file.warnings(desired));
        List<ZoneFragment> zones = selectedZones(file, desired, err);

        DnsLookup dns = Observation.lookup(file, timeout, Duration.ZERO, clock);
        AuthoritativeQuery authorities = Observation.authorities(dns, timeout);
        Map<ZoneFragment, ZonePlan> plans = new LinkedHashMap<>();
        for (ZoneFragment zone : zones) {
            ZoneSettings settings = file.config().zones().get(zone.zoneName());
            if (settings.update().isPresent()) {
                plans.put(zone, plan(file, zone, primary(settings.update().get()), authorities, overrides));
            }
        }
        PlanText.lines(List.copyOf(plans.values())).forEach(out::println);
        for (ZoneFragment zone : zones) {
            if (file.config().zones().get(zone.zoneName()).signing().isPresent()) {
                out.println("zone " + zone.zone() + ": merged into its zone file and signed" + (apply ? "" : " with --apply"));
            }
        }
        out.flush();
        List<Finding> refused = new ArrayList<>();
        plans.values().forEach(p -> p.refusals().forEach(r -> refused.add(
                Finding.error(r.id(), SourcePosition.file(file.config().source()), r.reason()))));
        if (!refused.isEmpty()) {
            throw new VerificationFailedException("the plan is refused; nothing was applied", refused);
        }
        if (!apply) {
            err.println("mxpolicy publish: dry run, nothing changed; apply with --apply");
            return 0;
        }

        List<ZoneFragment> changed = new ArrayList<>();
        for (Map.Entry<ZoneFragment, ZonePlan> e : plans.entrySet()) {
            if (e.getValue().isEmpty()) {
                continue;
            }
            UpdateTarget target = file.config().zones().get(e.getKey().zoneName()).update().get();
            Rfc2136Update update = new Rfc2136Update(Observation.socketAddress(target.server()), tsig(file, target),
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
            if (signing.isPresent() && signZoneFile(file, zone, signing.get(), err)) {
                changed.add(zone);
            }
        }
        if (changed.isEmpty()) {
            err.println("mxpolicy publish: nothing to change");
            return 0;
        }
        if (wait.isZero()) {
            return 0;
        }
        List<Finding> lagging = awaitServed(file, changed, dns, authorities, err);
        if (!lagging.isEmpty()) {
            throw new VerificationFailedException("not served everywhere within " + wait.toSeconds() + " s", lagging);
        }
        return 0;
    }

    private List<ZoneFragment> selectedZones(ConfigFile file, DesiredState desired, PrintWriter err)
            throws InvalidInputException {
        List<Name> wanted = new ArrayList<>();
        for (String z : onlyZones) {
            Name name = KeyDirectory.zoneName(z);
            if (desired.zones().stream().noneMatch(f -> f.zone().equals(name))) {
                throw new ParameterException(spec.commandLine(), "--zone " + z + " is not a zone of " + config);
            }
            wanted.add(name);
        }
        List<ZoneFragment> zones = new ArrayList<>();
        for (ZoneFragment zone : desired.zones()) {
            if (!wanted.isEmpty() && !wanted.contains(zone.zone())) {
                continue;
            }
            ZoneSettings settings = file.config().zones().get(zone.zoneName());
            if (settings.update().isEmpty() && settings.signing().isEmpty()) {
                err.println("mxpolicy publish: zone " + zone.zone() + " has neither 'update' nor 'sign' in "
                        + file.config().source() + "; skipped (mxpolicy generate writes its records for other tools)");
                continue;
            }
            zones.add(zone);
        }
        return zones;
    }

    private static NameServer primary(UpdateTarget target) throws InvalidInputException {
        return new NameServer(target.server().toString(), Observation.socketAddress(target.server()));
    }

    /** Desired against what the primary serves, with the safety rules applied. */
    private ZonePlan plan(ConfigFile file, ZoneFragment zone, NameServer primary, AuthoritativeQuery authorities,
            ConnectOverrides overrides) throws Exception {
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
        SafetyRules rules = new SafetyRules(chainsInUse(file, changes, overrides), List.of(), httpsAllowed(file));
        return new ZonePlan(zone.zone(), changes, rules.check(changes, zone.zone()));
    }

    /**
     * For each TLSA RRset the plan takes records from: the chain on disk and the chains its MX
     * presents on each address now, which the safety rules protect.
     */
    private Map<Name, List<List<X509Certificate>>> chainsInUse(ConfigFile file, List<RrsetChange> changes,
            ConnectOverrides overrides) throws InvalidInputException {
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
                    for (InetSocketAddress address : addresses(mx, overrides)) {
                        SmtpObservation seen = probe.probe(mx.host(), address);
                        if (!seen.chain().isEmpty()) {
                            chains.add(seen.chain());
                        }
                    }
                    inUse.put(owner, chains);
                }
            }
        }
        return inUse;
    }

    /** The MX's addresses from the system resolver, or the --connect target. */
    private static List<InetSocketAddress> addresses(MxHost mx, ConnectOverrides overrides) {
        Optional<InetSocketAddress> override = overrides.lookup(mx.host(), mx.port());
        if (override.isPresent()) {
            return List.of(override.get());
        }
        try {
            return Arrays.stream(InetAddress.getAllByName(mx.host())).map(a -> new InetSocketAddress(a, mx.port())).toList();
        } catch (java.net.UnknownHostException e) {
            return List.of();
        }
    }

    private static java.util.Set<Name> httpsAllowed(ConfigFile file) {
        java.util.Set<Name> allowed = new java.util.HashSet<>();
        for (MailDomain domain : file.config().domains()) {
            if (domain.tlsRpt().map(t -> t.allowHttps()).orElse(false)) {
                allowed.add(Name.fromConstantString("_smtp._tls." + domain.name() + "."));
                domain.mx().forEach(mx -> allowed.add(Name.fromConstantString("_smtp._tls." + mx.host() + ".")));
            }
        }
        return allowed;
    }

    private static org.xbill.DNS.TSIG tsig(ConfigFile file, UpdateTarget target) throws InvalidInputException {
        Path path = file.baseDir().resolve(target.key().path());
        KeyDirectory.checkPermissions(path);
        String text = new String(InputFiles.read(path), StandardCharsets.UTF_8);
        Optional<Name> name = target.keyName().map(n -> Name.fromConstantString(n + "."));
        return TsigKeyFile.read(new StringReader(text), path.toString()).select(name).tsig();
    }

    /** Merges, signs and writes the zone file as {@code mxpolicy sign} does; true when it changed. */
    private boolean signZoneFile(ConfigFile file, ZoneFragment zone, ZoneFileSigning signing, PrintWriter err)
            throws Exception {
        Path output = file.baseDir().resolve(signing.output().path());
        byte[] before = Files.exists(output) ? Files.readAllBytes(output) : new byte[0];
        List<String> args = new ArrayList<>(List.of("--zone", zone.zoneName(),
                "-K", file.baseDir().resolve(signing.keys().path()).toString(),
                "-c", config.toString(), "-o", output.toString()));
        if (signing.nsec3()) {
            args.add("--nsec3");
        }
        args.add(file.baseDir().resolve(signing.zoneFile().path()).toString());
        SignCommand sign = new SignCommand(clock);
        CommandLine line = new CommandLine(sign);
        line.setOut(spec.commandLine().getOut());
        line.setErr(err);
        line.parseArgs(args.toArray(String[]::new));
        sign.call();
        boolean changed = !Arrays.equals(before, Files.readAllBytes(output));
        err.println("mxpolicy publish: zone " + zone.zone() + ": " + output + (changed ? " signed and written" : " unchanged"));
        if (changed && signing.reload().isPresent()) {
            reload(signing.reload().get(), signing, err);
        }
        return changed;
    }

    private void reload(String command, ZoneFileSigning signing, PrintWriter err) throws Exception {
        List<String> argv = List.of(command.strip().split("\\s+"));
        try {
            Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new VerificationFailedException("the reload command failed", List.of(Finding.error(
                        "publish.reload", signing.position(), "'" + command + "' failed: "
                                + new String(output, StandardCharsets.UTF_8).strip())));
            }
            err.println("mxpolicy publish: ran '" + command + "'");
        } catch (IOException e) {
            throw new VerificationFailedException("the reload command failed", List.of(Finding.error(
                    "publish.reload", signing.position(), "cannot run '" + command + "': " + e.getMessage())));
        }
    }

    /**
     * Polls until every authoritative server of each changed zone serves every desired RRset and
     * the validating lookup gets it SECURE; returns what still lags at the deadline.
     */
    private List<Finding> awaitServed(ConfigFile file, List<ZoneFragment> zones, DnsLookup dns,
            AuthoritativeQuery authorities, PrintWriter err) throws InterruptedException {
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
}
