package org.mxpolicy.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.mxpolicy.cert.CertificateChainReader;
import org.mxpolicy.check.CheckReport;
import org.mxpolicy.check.CheckRunner;
import org.mxpolicy.check.CheckSettings;
import org.mxpolicy.check.Observers;
import org.mxpolicy.check.OwnershipCheck;
import org.mxpolicy.desired.DesiredDomain;
import org.mxpolicy.desired.DesiredState;
import org.mxpolicy.dns.DnsLookup;
import org.mxpolicy.files.AtomicFiles;
import org.mxpolicy.files.ConfigFile;
import org.mxpolicy.files.InputFiles;
import org.mxpolicy.files.JsonOwnershipLedger;
import org.mxpolicy.files.OutputPaths;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.MxpolicyException;
import org.mxpolicy.probe.ConnectOverrides;
import org.mxpolicy.probe.HttpsPolicyFetch;
import org.mxpolicy.probe.PolicyFetch;
import org.mxpolicy.probe.SmtpProbe;
import org.mxpolicy.probe.StartTlsProbe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code mxpolicy check}: the cron check, with monitoring-plugin exit codes. */
@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "The cron check: DNS, certificates and live MX servers against the config.",
            "For every MX, the certificate on disk, the published TLSA records (DNSSEC-validated by mxpolicy",
            "itself) and the certificate presented live after STARTTLS on every address; for every domain, the MX",
            "RRset, the _mta-sts id against the policy served and the policy the config yields, and TLS-RPT; for",
            "every zone, its authoritative servers, SOA serials and signature expiry; with a 'reports' section,",
            "the stored TLS reports of each domain and MX against their thresholds. Prints each finding and the",
            "plan that would bring the DNS in line (mxpolicy publish applies it).",
            "",
            "Exit codes (monitoring-plugin convention): 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN; a bad config or",
            "certificate is 2 as well, with one line naming the file and position.",
            "",
            "With --shard K/N, N machines split the config and each checks its part; --merge reads their JSON",
            "reports back into one report, as if one machine had checked everything."
        },
        footer = {
            "",
            "Examples:",
            "  mxpolicy check -c /etc/mxpolicy/provider.yaml",
            "  mxpolicy check -c provider.yaml --format prometheus -o /var/lib/node_exporter/mxpolicy.prom",
            "  mxpolicy check -c lab.yaml --connect mx1.example.test:25=127.0.0.1:2525 --ca-file lab-ca.pem",
            "  mxpolicy check -c provider.yaml --shard 2/3 --format json -o shard-2.json",
            "  mxpolicy check --merge shard-1.json shard-2.json shard-3.json --format prometheus"
        })
final class CheckCommand implements Callable<Integer> {

    @Option(
            names = {"-c", "--config"},
            paramLabel = "CONFIG",
            description = "The provider config (required unless --merge; with --merge, the shards must be of it).")
    private Path config;

    @Option(
            names = "--shard",
            paramLabel = "K/N",
            converter = CheckShard.Converter.class,
            description = "Check only part K of N (1 <= K <= N) of the zones, domains and MX hosts; the same"
                    + " part on every run and machine. Merge the JSON reports of all N with --merge.")
    private CheckShard shard;

    @Option(
            names = "--merge",
            arity = "1..*",
            paramLabel = "FILE",
            description = "Merge the JSON reports (--format json) of all shards of one config into one report"
                    + " instead of checking; exit code as one unsharded check.")
    private List<Path> merge = new ArrayList<>();

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            defaultValue = "text",
            description = "text (default), json or prometheus (node_exporter textfile collector).")
    private CheckOutput format;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FILE",
            description =
                    "Write the report to FILE (atomically, for collectors that read it any time) instead of stdout.")
    private Path output;

    @Option(
            names = "--mkdir",
            description = "Make FILE's directory when it is missing (without it, a missing directory is refused).")
    private boolean mkdir;

    @Option(
            names = {"-q", "--quiet"},
            description = "Leave out OK results.")
    private boolean quiet;

    @Option(
            names = "--connect",
            paramLabel = "HOST:PORT=ADDRESS:PORT",
            description = "Connect to ADDRESS:PORT when probing HOST:PORT (an MX on 25, a policy host on 443),"
                    + " keeping HOST for SNI and certificate checks; repeatable.")
    private List<String> connect = new ArrayList<>();

    @Option(
            names = "--ca-file",
            paramLabel = "FILE",
            description = "CA certificates (PEM) to trust for MTA-STS policy hosts instead of the JDK's trust store.")
    private Path caFile;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            defaultValue = "10s",
            converter = DurationConverter.class,
            description = "Per DNS query, connection and protocol step (default: ${DEFAULT-VALUE}).")
    private Duration timeout;

    @Option(
            names = "--parallel",
            paramLabel = "N",
            defaultValue = "" + CheckSettings.DEFAULT_PARALLELISM,
            description = "Domains, hosts and zones checked at once (default: ${DEFAULT-VALUE}).")
    private int parallel;

    @Option(
            names = "--cert-warning",
            paramLabel = "DURATION",
            defaultValue = "21d",
            converter = DurationConverter.class,
            description = "WARNING when a certificate expires within this (default: ${DEFAULT-VALUE}).")
    private Duration certWarning;

    @Option(
            names = "--cert-critical",
            paramLabel = "DURATION",
            defaultValue = "7d",
            converter = DurationConverter.class,
            description = "CRITICAL when a certificate expires within this (default: ${DEFAULT-VALUE}).")
    private Duration certCritical;

    @Option(
            names = "--rrsig-warning",
            paramLabel = "DURATION",
            defaultValue = "3d",
            converter = DurationConverter.class,
            description = "WARNING when a signature of a published record or the DNSKEY set expires within this"
                    + " (default: ${DEFAULT-VALUE}).")
    private Duration rrsigWarning;

    @Option(
            names = "--rrsig-critical",
            paramLabel = "DURATION",
            defaultValue = "1d",
            converter = DurationConverter.class,
            description = "CRITICAL when such a signature expires within this (default: ${DEFAULT-VALUE}).")
    private Duration rrsigCritical;

    @Option(names = "--ehlo", paramLabel = "NAME", description = "Name sent in EHLO (default: this host's name).")
    private String ehlo;

    @Spec
    private CommandSpec spec;

    private final Clock clock;

    CheckCommand(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Integer call() throws MxpolicyException {
        if (output != null) {
            // Refused before the probes run, not after minutes of checking.
            OutputPaths.file(output, mkdir);
        }
        if (!merge.isEmpty()) {
            return merge();
        }
        if (config == null) {
            throw new ParameterException(spec.commandLine(), "Missing required option: '--config=CONFIG'");
        }
        if (parallel < 1) {
            throw new ParameterException(spec.commandLine(), "--parallel must be at least 1");
        }
        ConnectOverrides overrides;
        try {
            overrides = ConnectOverrides.parse(connect);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--connect " + e.getMessage());
        }
        ConfigFile file = ConfigFile.load(config);
        DesiredState desired = file.desiredState(clock.instant());
        PrintWriter err = spec.commandLine().getErr();
        Findings.print(err, file.warnings(desired));

        DnsLookup dns = Observation.lookup(file, timeout, Duration.ofMinutes(5), clock);
        SmtpProbe starttls = new StartTlsProbe(timeout, ProbeNetwork.ehloName(ehlo));
        SmtpProbe smtp = (host, address) -> starttls.probe(host, overrides.target(host, address.getPort(), address));
        PolicyFetch policies = policyFetch(overrides);
        Observers observers =
                new Observers(dns, Observation.authorities(dns, timeout), smtp, policies, Observation.reports(file));
        CheckSettings settings = new CheckSettings(certWarning, certCritical, rrsigWarning, rrsigCritical, parallel);

        Map<String, Object> provenance = new LinkedHashMap<>();
        if (shard != null) {
            provenance.putAll(shardJson(CheckShard.fingerprint(desired)));
            desired = shard.select(desired);
        }
        provenance.put("domains", domainsJson(desired));
        CheckReport report = new CheckRunner(observers, settings, clock).run(desired);
        report = OwnershipCheck.with(
                report,
                OwnershipCheck.results(
                        new JsonOwnershipLedger(file.stateDir()).load(), desired.zones(), clock.instant()));
        return print(KeysCheck.added(report, file, clock.instant()), provenance);
    }

    /** {@code --merge}: the shards' reports as one, printed as a check's. */
    private int merge() throws MxpolicyException {
        if (shard != null) {
            throw new ParameterException(
                    spec.commandLine(), "--merge takes the reports of all shards; leave out --shard");
        }
        String expected = null;
        if (config != null) {
            ConfigFile file = ConfigFile.load(config);
            expected = CheckShard.fingerprint(file.desiredState(clock.instant()));
        }
        CheckMerge.Merged merged = CheckMerge.merge(merge, expected, String.valueOf(config));
        return print(merged.report(), merged.json());
    }

    /**
     * The domains checked, with their MX hosts and MTA-STS policy: what the status pages need to
     * put an MX host's results in its domains' rows.
     */
    static List<Map<String, Object>> domainsJson(DesiredState desired) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (DesiredDomain d : desired.domains()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("domain", d.name());
            m.put("mx", d.mxHosts());
            m.put("tls_reports", d.tlsReports());
            desired.policy(d.name()).ifPresent(p -> {
                Map<String, Object> sts = new LinkedHashMap<>();
                sts.put("mode", p.policy().mode().keyword());
                sts.put("id", p.policy().id());
                m.put("mta_sts", sts);
            });
            out.add(m);
        }
        return out;
    }

    private Map<String, Object> shardJson(String fingerprint) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", shard.index());
        m.put("count", shard.count());
        m.put("config", fingerprint);
        return Map.of("shard", m);
    }

    private int print(CheckReport report, Map<String, Object> provenance) throws MxpolicyException {
        PrintWriter err = spec.commandLine().getErr();
        String text = format.render(report, quiet, provenance);
        if (output != null) {
            AtomicFiles.write(output, text.getBytes(StandardCharsets.UTF_8), AtomicFiles.PUBLIC);
            err.println(CheckOutput.summary(report));
        } else {
            spec.commandLine().getOut().print(text);
        }
        spec.commandLine().getOut().flush();
        return report.status().exitCode();
    }

    private PolicyFetch policyFetch(ConnectOverrides overrides) throws InvalidInputException {
        if (caFile == null) {
            return HttpsPolicyFetch.withDefaultTrust(timeout, overrides);
        }
        byte[] bundle = InputFiles.read(caFile, CertificateChainReader.SIZE_LIMIT);
        return HttpsPolicyFetch.trusting(
                HttpsPolicyFetch.readCaBundle(new java.io.ByteArrayInputStream(bundle), caFile.toString()),
                timeout,
                overrides);
    }
}
