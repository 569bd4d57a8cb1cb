package org.mxpolicy.cli;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.mxpolicy.audit.DomainReport;
import org.mxpolicy.audit.MxAudit;
import org.mxpolicy.audit.OwnEndpoint;
import org.mxpolicy.audit.PartnerList;
import org.mxpolicy.audit.PkixTrust;
import org.mxpolicy.audit.PolicyProbes;
import org.mxpolicy.cert.CertificateChainReader;
import org.mxpolicy.dns.DnsLookup;
import org.mxpolicy.files.AtomicFiles;
import org.mxpolicy.files.ConfigFile;
import org.mxpolicy.files.InputFiles;
import org.mxpolicy.files.OutputPaths;
import org.mxpolicy.finding.InputLimit;
import org.mxpolicy.finding.MxpolicyException;
import org.mxpolicy.probe.ConnectOverrides;
import org.mxpolicy.probe.HttpsPolicyFetch;
import org.mxpolicy.probe.PolicyFetch;
import org.mxpolicy.scan.AddressLimit;
import org.mxpolicy.scan.TlsScanner;
import org.mxpolicy.tls.TlsRuleSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mxpolicy audit}: the TLS of any mail domain's MX hosts, judged against TR-03116-4. */
@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Any mail domain as senders find it, judged requirement by requirement against BSI TR-03108: the MX",
            "RRset and its DNSSEC status (validated by mxpolicy), every MX host's TLSA records and every address's",
            "TLS on port 25 (STARTTLS; versions, suites and order, groups, signature schemes and certificates",
            "against the TR-03116-4 edition in force), the presented chain against the TLSA records (RFC 7672),",
            "the MTA-STS policy as senders fetch it and the TLS-RPT policy. Prints per domain the table of",
            "requirements (pass, fail, warn, unknown, not applicable) and every finding (see docs/audit.md).",
            "",
            "Exit codes (as check): 0 OK, 1 WARNING (outside the profile, or a SHOULD failed), 2 CRITICAL (a MUST",
            "failed), 3 UNKNOWN (an MX or a lookup did not answer); 2 also for bad input, such as a bad --partners line."
        },
        footer = {
            "",
            "Examples:",
            "  mxpolicy audit example.com example.net",
            "  mxpolicy audit --format json --resolver 192.0.2.53 partner.example",
            "  mxpolicy audit --partners partners.txt --format csv > partners.csv",
            "  mxpolicy audit -c provider.yaml --format json -o /var/lib/mxpolicy/audit.json"
        })
final class AuditCommand implements Callable<Integer> {

    @Parameters(arity = "0..*", paramLabel = "DOMAIN", description = "The mail domains to audit.")
    private List<String> domains = new ArrayList<>();

    @Option(
            names = {"-c", "--config"},
            paramLabel = "CONFIG",
            description = "Audit the provider's own domains of this config too, with their client endpoints"
                    + " (client_services: 465, 587, 993, 143, 995, 110), Autoconfig, Autodiscover and MTA-STS"
                    + " policy hosts on 443; its dns settings are used unless --resolver or --trust-anchor is given.")
    private Path config;

    @Option(
            names = "--partners",
            paramLabel = "FILE",
            description = "Audit the partner domains listed in FILE too: one a line, # starts a comment.")
    private Path partners;

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            defaultValue = "text",
            description = "text (default), json, or csv (one row per domain and requirement).")
    private AuditOutput format;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FILE",
            description = "Write the report to FILE (atomically, for the status pages that read it any time)"
                    + " instead of stdout.")
    private Path output;

    @Option(
            names = "--mkdir",
            description = "Make FILE's directory when it is missing (without it, a missing directory is refused).")
    private boolean mkdir;

    @Option(
            names = "--ca-file",
            paramLabel = "FILE",
            description = "CA certificates (PEM) a PKIX sender trusts, for MTA-STS policy hosts and MX certificates"
                    + " (default: the Java runtime's trust store).")
    private Path caFile;

    @Option(
            names = "--resolver",
            paramLabel = "ADDR[:PORT]",
            description = "Ask this resolver (repeatable; default: the system's). Answers are validated by"
                    + " mxpolicy itself either way.")
    private List<String> resolvers = new ArrayList<>();

    @Option(
            names = "--trust-anchor",
            paramLabel = "RECORD",
            description = "A DS or DNSKEY record to validate from instead of the root's (repeatable).")
    private List<String> trustAnchors = new ArrayList<>();

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            defaultValue = "10s",
            converter = DurationConverter.class,
            description = "Per DNS query, TLS handshake (STARTTLS included) and MTA-STS policy fetch"
                    + " (default: ${DEFAULT-VALUE}).")
    private Duration timeout;

    @Option(
            names = "--parallel",
            paramLabel = "N",
            defaultValue = "16",
            description = "Domains looked up and MX addresses scanned at once (default: ${DEFAULT-VALUE}).")
    private int parallel;

    @Option(
            names = "--per-address",
            paramLabel = "K",
            defaultValue = "2",
            description = "Most connections open to one IP address at once, TLS scans and policy fetches together"
                    + " (default: ${DEFAULT-VALUE}).")
    private int perAddress;

    @Option(names = "--ehlo", paramLabel = "NAME", description = "Name sent in EHLO (default: this host's name).")
    private String ehlo;

    @Spec
    private CommandSpec spec;

    private final Clock clock;

    /** A list of a hundred thousand partners fits in well under this. */
    private static final InputLimit PARTNERS_LIMIT = new InputLimit("partner list", "partners.size", 16 * 1024 * 1024);

    AuditCommand(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Integer call() throws MxpolicyException, InterruptedException {
        if (parallel < 1 || perAddress < 1) {
            throw new ParameterException(spec.commandLine(), "--parallel and --per-address must be at least 1");
        }
        if (output != null) {
            // Refused before the probes run, not after minutes of auditing.
            OutputPaths.file(output, mkdir);
        }
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        TlsRuleSet rules = TlsRuleSet.inForceAt(today)
                .orElseThrow(() -> new IllegalStateException("no TR-03116-4 edition is in force on " + today));
        ConfigFile file = config == null ? null : ConfigFile.load(config);
        Map<String, List<OwnEndpoint>> own = file == null ? Map.of() : OwnEndpoints.of(file.config());
        List<String> all = domains(own.keySet());
        DnsLookup dns = file != null && resolvers.isEmpty() && trustAnchors.isEmpty()
                ? Observation.lookup(file, timeout, Duration.ofMinutes(5), clock)
                : ProbeNetwork.lookup(resolvers, trustAnchors, timeout, clock, spec.commandLine());
        PolicyFetch fetch = HttpsPolicyFetch.withDefaultTrust(timeout, ConnectOverrides.none());
        PkixTrust trust = PkixTrust.runtimeDefault();
        if (caFile != null) {
            byte[] bundle = InputFiles.read(caFile, CertificateChainReader.SIZE_LIMIT);
            List<X509Certificate> cas =
                    HttpsPolicyFetch.readCaBundle(new ByteArrayInputStream(bundle), caFile.toString());
            fetch = HttpsPolicyFetch.trusting(cas, timeout, ConnectOverrides.none());
            trust = PkixTrust.of(cas);
        }
        AddressLimit limit = new AddressLimit(perAddress);
        List<DomainReport> reports;
        try (TlsScanner scanner = new TlsScanner(timeout, limit, ProbeNetwork.ehloName(ehlo))) {
            reports = new MxAudit(
                            dns,
                            scanner,
                            rules,
                            parallel,
                            MxAudit.SMTP_PORT,
                            new PolicyProbes(fetch, trust, clock.instant(), limit))
                    .audit(all, own);
        }
        String text = format.render(reports, rules);
        if (output != null) {
            AtomicFiles.write(output, text.getBytes(StandardCharsets.UTF_8), AtomicFiles.PUBLIC);
            spec.commandLine().getErr().println(AuditOutput.summary(reports));
        } else {
            spec.commandLine().getOut().print(text);
        }
        spec.commandLine().getOut().flush();
        return AuditOutput.status(reports).exitCode();
    }

    /** The config's own domains, the domains given, then those of {@code --partners}, each once. */
    private List<String> domains(Set<String> own) throws MxpolicyException {
        Set<String> all = new LinkedHashSet<>(own);
        for (String domain : domains) {
            all.add(domain.strip().toLowerCase(Locale.ROOT).replaceAll("\\.$", ""));
        }
        if (partners != null) {
            byte[] bytes = InputFiles.read(partners, PARTNERS_LIMIT);
            all.addAll(PartnerList.read(new String(bytes, StandardCharsets.UTF_8), partners.toString()));
        }
        if (all.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "give at least one DOMAIN, --partners FILE or -c CONFIG");
        }
        return List.copyOf(all);
    }
}
