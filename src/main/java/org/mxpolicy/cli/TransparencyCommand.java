package org.mxpolicy.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.mxpolicy.audit.MxAudit;
import org.mxpolicy.audit.PkixTrust;
import org.mxpolicy.audit.PolicyProbes;
import org.mxpolicy.cert.CertificateChainReader;
import org.mxpolicy.config.ReportsSettings;
import org.mxpolicy.dns.DnsLookup;
import org.mxpolicy.files.AtomicFiles;
import org.mxpolicy.files.ConfigFile;
import org.mxpolicy.files.InputFiles;
import org.mxpolicy.files.JsonLayout;
import org.mxpolicy.files.LogFiles;
import org.mxpolicy.files.OutputPaths;
import org.mxpolicy.finding.InputLimit;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.MxpolicyException;
import org.mxpolicy.finding.SourcePosition;
import org.mxpolicy.probe.ConnectOverrides;
import org.mxpolicy.probe.HttpsPolicyFetch;
import org.mxpolicy.probe.PolicyFetch;
import org.mxpolicy.scan.AddressLimit;
import org.mxpolicy.scan.TlsScanner;
import org.mxpolicy.store.JdbcReportStore;
import org.mxpolicy.store.StoreLocation;
import org.mxpolicy.tls.TlsRuleSet;
import org.mxpolicy.transparency.AuditPartnerCheck;
import org.mxpolicy.transparency.LogSource;
import org.mxpolicy.transparency.PartnerFindings;
import org.mxpolicy.transparency.PartnerHistory;
import org.mxpolicy.transparency.PartnerJudge;
import org.mxpolicy.transparency.PartnerList;
import org.mxpolicy.transparency.PartnerTraffic;
import org.mxpolicy.transparency.PartnerVerdict;
import org.mxpolicy.transparency.PostfixLogReader;
import org.mxpolicy.transparency.ReportHtml;
import org.mxpolicy.transparency.ReportJson;
import org.mxpolicy.transparency.TrafficTally;
import org.mxpolicy.transparency.TransparencyReport;
import org.mxpolicy.transparency.VerdictHistory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code mxpolicy transparency}: which partner providers meet TR-03108 (16-M), as HTML or JSON. */
@Command(
        name = "transparency",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "The transparency report of BSI TR-03108 16-M: which partner providers meet the guideline (DANE and",
            "STARTTLS per TR-03116-4), from a list of partner domains audited live (--partners), from the outbound",
            "log of your Postfix (--log: the TLS level and cipher of every delivery), or both. With -c CONFIG each",
            "report's verdicts are kept in the report store, and a partner whose verdict changed (say, lost DANE)",
            "shows as a change, every partner with the date since when its verdict holds. HTML for customers",
            "(self-contained, one file) or JSON. See docs/transparency.md."
        },
        footer = {
            "",
            "Examples:",
            "  mxpolicy transparency --log /var/log/mail.log /var/log/mail.log.1 /var/log/mail.log.2.gz -o report.html",
            "  mxpolicy transparency --partners partners.txt -c /etc/mxpolicy/provider.yaml --format json -o report.json",
            "  mxpolicy transparency --partners partners.txt --log /var/log/mail.log --per-day -o /var/www/tls.html"
        })
final class TransparencyCommand implements Callable<Integer> {

    /** Partner lists are short text; a megabyte is a hundred thousand domains or more. */
    private static final InputLimit PARTNERS_LIMIT = new InputLimit("partner list", "partners.size", 4 * 1024 * 1024);

    /** Output formats. */
    enum Format {
        html,
        json
    }

    @Option(
            names = "--log",
            arity = "1..*",
            paramLabel = "FILE",
            description = "Postfix mail logs (plain, rotated or gzip), read oldest first by modification time. Needs"
                    + " smtp_tls_loglevel = 1 or more.")
    private List<Path> logs = new ArrayList<>();

    @Option(
            names = "--partners",
            paramLabel = "FILE",
            description = "Partner mail domains, one per line (# comments), each audited live. With --log as well,"
                    + " only these are reported.")
    private Path partners;

    @Option(
            names = {"-c", "--config"},
            paramLabel = "CONFIG",
            description = "The provider config: its report store keeps the history of verdicts; its dns section"
                    + " gives the resolvers and trust anchors unless --resolver is given.")
    private Path config;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "html", description = "html (default) or json.")
    private Format format;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FILE",
            description = "Write the report to FILE atomically instead of stdout.")
    private Path output;

    @Option(names = "--mkdir", description = "Make FILE's directory when it is missing.")
    private boolean mkdir;

    @Option(names = "--per-day", description = "Add the deliveries per day and level of protection (with --log).")
    private boolean perDay;

    @Option(
            names = "--year",
            paramLabel = "YEAR",
            description = "The year the logs end in, for syslog timestamps without a year (default: the year,"
                    + " UTC, of each file's last modification).")
    private Integer year;

    @Option(
            names = "--resolver",
            paramLabel = "ADDR[:PORT]",
            description = "Ask this resolver (repeatable); answers are validated by mxpolicy itself.")
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
            description = "Per DNS query and per TLS handshake (default: ${DEFAULT-VALUE}).")
    private Duration timeout;

    @Option(
            names = "--parallel",
            paramLabel = "N",
            defaultValue = "16",
            description = "Partners looked up and MX addresses scanned at once (default: ${DEFAULT-VALUE}).")
    private int parallel;

    @Option(
            names = "--per-address",
            paramLabel = "K",
            defaultValue = "2",
            description = "Most connections open to one IP address at once (default: ${DEFAULT-VALUE}).")
    private int perAddress;

    @Option(
            names = "--ca-file",
            paramLabel = "FILE",
            description = "CA certificates (PEM) that MTA-STS policy hosts and PKIX senders are judged against"
                    + " instead of the JDK's trust store.")
    private Path caFile;

    @Option(names = "--ehlo", paramLabel = "NAME", description = "Name sent in EHLO (default: this host's name).")
    private String ehlo;

    @Spec
    private CommandSpec spec;

    private final Clock clock;

    TransparencyCommand(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Integer call() throws MxpolicyException, InterruptedException {
        if (logs.isEmpty() && partners == null) {
            throw new ParameterException(spec.commandLine(), "give --log FILE..., --partners FILE, or both");
        }
        if (parallel < 1 || perAddress < 1) {
            throw new ParameterException(spec.commandLine(), "--parallel and --per-address must be at least 1");
        }
        if (output != null) {
            OutputPaths.file(output, mkdir);
        }
        PrintWriter err = spec.commandLine().getErr();
        Instant generated = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        LocalDate today = LocalDate.ofInstant(generated, ZoneOffset.UTC);
        TlsRuleSet rules = TlsRuleSet.inForceAt(today)
                .orElseThrow(() -> new IllegalStateException("no TR-03116-4 edition is in force on " + today));
        Optional<ConfigFile> file = Optional.empty();
        if (config != null) {
            file = Optional.of(ConfigFile.load(config));
            Findings.print(err, file.get().warnings());
        }
        List<String> partnerDomains = List.of();
        if (partners != null) {
            String text = new String(InputFiles.read(partners, PARTNERS_LIMIT), StandardCharsets.UTF_8);
            partnerDomains = PartnerList.read(new StringReader(text), partners.toString());
        }

        Optional<TransparencyReport.LogSummary> logSummary = Optional.empty();
        Map<String, PartnerTraffic> traffic = Map.of();
        TrafficTally tally = new TrafficTally(rules);
        if (!logs.isEmpty()) {
            PostfixLogReader reader = new PostfixLogReader();
            List<String> names = new ArrayList<>();
            for (LogFiles.LogFile log : LogFiles.oldestFirst(logs)) {
                String name = log.path().toString();
                names.add(name);
                try {
                    reader.read(new LogSource(name, year != null ? year : log.modifiedYear(), log::open), tally);
                } catch (IOException e) {
                    throw new InvalidInputException(
                            "input.unreadable", SourcePosition.file(name), "cannot read: " + e.getMessage());
                }
            }
            traffic = tally.partners();
            if (reader.reading().badLines() > 0) {
                err.println(
                        "mxpolicy transparency: warning: " + reader.reading().badLines() + " of "
                                + reader.reading().lines() + " log lines could not be read (first at "
                                + String.join(", ", reader.reading().firstBadLines()) + ")");
            }
            if (reader.reading().tlsSessions() == 0 && reader.reading().deliveries() > 0) {
                err.println("mxpolicy transparency: warning: the log has deliveries but no TLS lines; is"
                        + " smtp_tls_loglevel at least 1?");
            }
            Optional<LocalDate> first =
                    traffic.values().stream().map(PartnerTraffic::first).min(LocalDate::compareTo);
            Optional<LocalDate> last =
                    traffic.values().stream().map(PartnerTraffic::last).max(LocalDate::compareTo);
            logSummary = Optional.of(new TransparencyReport.LogSummary(names, reader.reading(), first, last));
        }

        Map<String, PartnerFindings> audited = new LinkedHashMap<>();
        if (!partnerDomains.isEmpty()) {
            DnsLookup dns = resolvers.isEmpty() && trustAnchors.isEmpty() && file.isPresent()
                    ? Observation.lookup(file.get(), timeout, Duration.ofMinutes(5), clock)
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
            try (TlsScanner scanner = new TlsScanner(timeout, limit, ProbeNetwork.ehloName(ehlo))) {
                MxAudit audit = new MxAudit(
                        dns,
                        scanner,
                        rules,
                        parallel,
                        MxAudit.SMTP_PORT,
                        new PolicyProbes(fetch, trust, generated, limit));
                for (PartnerFindings findings : new AuditPartnerCheck(audit).check(partnerDomains)) {
                    audited.put(findings.domain(), findings);
                }
            }
        }

        List<PartnerVerdict> verdicts = PartnerJudge.judge(partnerDomains, audited, traffic);
        Map<String, PartnerHistory> history = history(file, verdicts, generated);
        List<TransparencyReport.Entry> entries = new ArrayList<>();
        for (PartnerVerdict verdict : verdicts) {
            entries.add(new TransparencyReport.Entry(
                    verdict, history.getOrDefault(verdict.domain(), PartnerHistory.firstSeen(generated))));
        }
        TransparencyReport report = new TransparencyReport(
                generated,
                rules.describe(),
                entries,
                !partnerDomains.isEmpty(),
                logSummary,
                perDay && !logs.isEmpty() ? tally.perDay() : new TreeMap<>());
        String text = format == Format.html ? ReportHtml.render(report) : ReportJson.render(report, JsonLayout.WRITER);
        if (output != null) {
            AtomicFiles.write(output, text.getBytes(StandardCharsets.UTF_8), AtomicFiles.PUBLIC);
            err.println("mxpolicy transparency: " + report.meeting() + " of "
                    + report.partners().size() + " partners meet TR-03108, "
                    + report.changed().size() + " changed; written to " + output);
        } else {
            spec.commandLine().getOut().print(text);
            spec.commandLine().getOut().flush();
        }
        return 0;
    }

    /** The verdicts recorded in the config's report store, or none without a config. */
    private Map<String, PartnerHistory> history(
            Optional<ConfigFile> file, List<PartnerVerdict> verdicts, Instant generated) throws MxpolicyException {
        if (file.isEmpty()) {
            return VerdictHistory.none().record(verdicts, generated);
        }
        ReportsSettings settings = file.get().config().reports();
        StoreLocation location = settings.database()
                .map(d -> StoreLocation.of(d, file.get().baseDir()))
                .orElseGet(() -> StoreLocation.sqlite(file.get().stateDir().resolve(ReportsSettings.DEFAULT_DATABASE)));
        try (JdbcReportStore store = JdbcReportStore.open(location)) {
            return store.partnerHistory().record(verdicts, generated);
        }
    }
}
