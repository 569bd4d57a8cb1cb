package org.mxpolicy.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.mxpolicy.config.ImapSettings;
import org.mxpolicy.config.ReportsSettings;
import org.mxpolicy.files.ConfigFile;
import org.mxpolicy.files.OwnedPaths;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.MxpolicyException;
import org.mxpolicy.finding.SourcePosition;
import org.mxpolicy.history.HistoryException;
import org.mxpolicy.intake.ImapIntake;
import org.mxpolicy.intake.ImapLogin;
import org.mxpolicy.intake.IngestResult;
import org.mxpolicy.intake.MailIntake;
import org.mxpolicy.intake.MaildirIntake;
import org.mxpolicy.intake.Quarantine;
import org.mxpolicy.store.JdbcReportStore;
import org.mxpolicy.store.StoreLocation;
import org.mxpolicy.tlsrpt.FailureExplainer;
import org.mxpolicy.tlsrpt.FailureExplanation;
import org.mxpolicy.tlsrpt.GroupKey;
import org.mxpolicy.tlsrpt.ParseNote;
import org.mxpolicy.tlsrpt.ReportLimits;
import org.mxpolicy.tlsrpt.ReportRejectedException;
import org.mxpolicy.tlsrpt.ReportStore;
import org.mxpolicy.tlsrpt.ReportStoreException;
import org.mxpolicy.tlsrpt.ReportSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code mxpolicy reports}: TLS reports (RFC 8460) taken in by mail, stored, and summed up. */
@Command(
        name = "reports",
        mixinStandardHelpOptions = true,
        description = {
            "TLS reports (RFC 8460, TR-03108-11-R): take in the report mails senders send to the tls_rpt address,",
            "keep them in a database (SQLite by default, or PostgreSQL), and sum them up per domain, policy and MX.",
            "See docs/reports.md."
        },
        footer = {
            "",
            "Examples:",
            "  mxpolicy reports ingest -c /etc/mxpolicy/provider.yaml < report.eml   # a Postfix pipe transport",
            "  mxpolicy reports ingest -c /etc/mxpolicy/provider.yaml --maildir /var/mail/tlsrpt/Maildir",
            "  mxpolicy reports ingest -c /etc/mxpolicy/provider.yaml --imap",
            "  mxpolicy reports summary -c /etc/mxpolicy/provider.yaml --since 7d"
        },
        subcommands = {ReportsCommand.Ingest.class, ReportsCommand.Summary.class, ReportsCommand.Prune.class})
final class ReportsCommand implements Runnable {

    /** sysexits.h: the input data was incorrect (the mail can never be a report). */
    static final int EX_DATAERR = ReportRejectedException.EX_DATAERR;
    /** sysexits.h: temporary failure (the store is unavailable); the MTA retries. */
    static final int EX_TEMPFAIL = ReportStoreException.EX_TEMPFAIL;

    /** The finding id of a login file that cannot be trusted or read. */
    static final String LOGIN_TRUST = "reports.imap-login";

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The config's report settings resolved against its directory. */
    record Setup(
            StoreLocation location,
            Path quarantine,
            Optional<Path> processed,
            Duration retention,
            Optional<ImapSettings> imap,
            Path baseDir) {

        static Setup of(ConfigFile file) {
            ReportsSettings settings = file.config().reports();
            StoreLocation location = settings.database()
                    .map(d -> StoreLocation.of(d, file.baseDir()))
                    .orElseGet(() -> StoreLocation.sqlite(file.stateDir().resolve(ReportsSettings.DEFAULT_DATABASE)));
            Path quarantine = settings.quarantineDir()
                    .map(f -> file.baseDir().resolve(f.path()))
                    .orElseGet(() -> file.stateDir().resolve(ReportsSettings.DEFAULT_QUARANTINE));
            Optional<Path> processed =
                    settings.processedFolder().map(f -> file.baseDir().resolve(f.path()));
            return new Setup(location, quarantine, processed, settings.retention(), settings.imap(), file.baseDir());
        }
    }

    /**
     * Outside ingest, an unavailable store is work that failed (exit 1), not a cue for an MTA to
     * retry.
     */
    private static int failed(CommandSpec spec, ReportStoreException e) {
        spec.commandLine().getErr().println(spec.qualifiedName() + ": " + e.getMessage());
        return Main.EXIT_FAILED;
    }

    /** The config and what it says about reports; a config error is reported as bad input. */
    private static Setup setup(Path config, PrintWriter err) throws InvalidInputException {
        ConfigFile file = ConfigFile.load(config);
        Findings.print(err, file.warnings());
        try {
            return Setup.of(file);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(
                    "reports.database", file.config().reports().position(), "'database' " + e.getMessage());
        }
    }

    @Command(
            name = "ingest",
            mixinStandardHelpOptions = true,
            sortOptions = false,
            description = {
                "Take in one report mail (RFC 5322) from standard input, as a Postfix pipe transport or a Sieve",
                "or .forward target does, or every mail of a Maildir or of an IMAP folder (reports.imap), in one",
                "pass. Exit codes follow sysexits as MTAs expect:",
                "0 stored (or stored before), 75 the store is unavailable (the MTA retries), 65 the mail can",
                "never be a report (it is kept in the quarantine directory with the reason)."
            },
            footer = {
                "",
                "Examples:",
                "  # master.cf: tlsrpt unix - n n - 2 pipe flags=Rq user=mxpolicy argv=/usr/bin/mxpolicy reports ingest"
                        + " -c /etc/mxpolicy/provider.yaml",
                "  mxpolicy reports ingest -c /etc/mxpolicy/provider.yaml < report.eml",
                "  mxpolicy reports ingest -c /etc/mxpolicy/provider.yaml --maildir /var/mail/tlsrpt/Maildir",
                "  mxpolicy reports ingest -c /etc/mxpolicy/provider.yaml --imap   # from a timer, e.g. every 10 minutes",
                "  mxpolicy reports ingest -c /etc/mxpolicy/provider.yaml --imap --idle   # a service: mail as it arrives",
                "  mxpolicy reports ingest -c /etc/mxpolicy/provider.yaml --input /var/lib/mxpolicy/reports-quarantine/X.eml"
            })
    static final class Ingest implements Callable<Integer> {

        private final Clock clock;

        @Spec
        private CommandSpec spec;

        @Option(
                names = {"-c", "--config"},
                required = true,
                paramLabel = "FILE",
                description = "Provider config (YAML); its 'reports' section names the store.")
        private Path config;

        @Option(
                names = "--maildir",
                paramLabel = "DIR",
                description = "Take in every mail in DIR/new and DIR/cur, and move each processed one to the"
                        + " processed folder (reports.processed_folder, default DIR/.Processed).")
        private Path maildir;

        @Option(
                names = "--imap",
                description = "Take in every mail in the IMAP folder of reports.imap (IMAPS, login from its login_file)"
                        + " and move each processed one to its processed_folder; one pass (see --idle).")
        private boolean imap;

        @Option(
                names = "--idle",
                description = "With --imap: after the pass, stay connected and take in new mail as it arrives"
                        + " (IMAP IDLE); connects again after a lost connection, stops on SIGTERM or SIGINT.")
        private boolean idle;

        @Option(
                names = "--input",
                paramLabel = "FILE",
                description = "Read the mail from FILE instead of standard input (to take in a mail again from"
                        + " the quarantine).")
        private Path input;

        Ingest(Clock clock) {
            this.clock = clock;
        }

        @Override
        public Integer call() {
            if ((maildir != null ? 1 : 0) + (input != null ? 1 : 0) + (imap ? 1 : 0) > 1) {
                throw new ParameterException(spec.commandLine(), "--maildir, --imap and --input exclude each other");
            }
            if (idle && !imap) {
                throw new ParameterException(spec.commandLine(), "--idle needs --imap");
            }
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            String name = "mxpolicy reports ingest: ";
            Setup setup;
            try {
                setup = setup(config, err);
            } catch (InvalidInputException e) {
                // a broken config is the operator's to fix; the MTA keeps the mail meanwhile
                e.findings().forEach(f -> err.println(Findings.line(f)));
                return EX_TEMPFAIL;
            }
            Optional<ImapIntake.Mailbox> mailbox = Optional.empty();
            if (imap) {
                try {
                    mailbox = Optional.of(mailbox(setup));
                } catch (InvalidInputException e) {
                    e.findings().forEach(f -> err.println(Findings.line(f)));
                    return EX_TEMPFAIL;
                }
            }
            Instant now = clock.instant();
            ReportLimits limits = ReportLimits.defaults();
            try (ReportStore store = JdbcReportStore.open(setup.location())) {
                MailIntake intake = new MailIntake(
                        limits, store, new Quarantine(setup.quarantine(), 4L * limits.maxMessageBytes()));
                if (maildir != null) {
                    Path processed = setup.processed().orElse(maildir.resolve(ReportsSettings.DEFAULT_PROCESSED));
                    MaildirIntake.Pass pass =
                            new MaildirIntake(maildir, processed, intake).run(now, line -> err.println(name + line));
                    out.println(ReportsOutput.count(pass.mails(), "mail") + ": "
                            + ReportsOutput.count(pass.stored(), "report") + " stored, " + pass.duplicates()
                            + " stored before, " + pass.quarantined() + " quarantined");
                    return 0;
                }
                if (mailbox.isPresent() && idle) {
                    ImapIntake.Watch watch = new ImapIntake.Watch();
                    ServeSignals.install(watch::stop, () -> {});
                    new ImapIntake(mailbox.get(), intake)
                            .watch(
                                    clock,
                                    line -> {
                                        err.println(name + line);
                                        err.flush();
                                    },
                                    pass -> {
                                        out.println(ReportsOutput.count(pass.mails(), "mail") + ": "
                                                + ReportsOutput.count(pass.stored(), "report") + " stored, "
                                                + pass.duplicates() + " stored before, " + pass.quarantined()
                                                + " quarantined");
                                        out.flush();
                                    },
                                    watch);
                    return 0;
                }
                if (mailbox.isPresent()) {
                    ImapIntake.Pass pass =
                            new ImapIntake(mailbox.get(), intake).run(now, line -> err.println(name + line));
                    out.println(ReportsOutput.count(pass.mails(), "mail") + ": "
                            + ReportsOutput.count(pass.stored(), "report") + " stored, " + pass.duplicates()
                            + " stored before, " + pass.quarantined() + " quarantined");
                    return 0;
                }
                IngestResult result;
                if (input != null) {
                    try (InputStream in = Files.newInputStream(input)) {
                        result = intake.ingest(in, input.toString(), now);
                    }
                } else {
                    result = intake.ingest(System.in, "stdin", now);
                }
                for (ParseNote note : result.notes()) {
                    err.println(name + "note: " + note);
                }
                for (String rejection : result.rejections()) {
                    err.println(name + rejection);
                }
                result.quarantined().ifPresent(p -> err.println(name + "the mail is kept in " + p));
                if (result.rejected()) {
                    return EX_DATAERR;
                }
                out.println(ReportsOutput.count(result.stored(), "report") + " stored, " + result.duplicates()
                        + " stored before");
                return 0;
            } catch (ReportStoreException e) {
                err.println(name + e.getMessage());
                return EX_TEMPFAIL;
            } catch (IOException e) {
                err.println(name
                        + ReportStoreException.io("cannot take in the mail", e).getMessage());
                return EX_TEMPFAIL;
            }
        }
    }

    /** The IMAP mailbox of the config, its login read from a file only the user running mxpolicy can read. */
    static ImapIntake.Mailbox mailbox(Setup setup) throws InvalidInputException {
        ImapSettings settings = setup.imap()
                .orElseThrow(() -> new InvalidInputException(
                        "reports.imap",
                        (SourcePosition) null,
                        "--imap needs reports.imap in the config, e.g. imap: { server: imap.example.com:993,"
                                + " login_file: /etc/mxpolicy/tlsrpt-imap.login }"));
        Path loginFile = setup.baseDir().resolve(settings.loginFile().path());
        OwnedPaths.requireSecretFile(loginFile, LOGIN_TRUST, OwnedPaths.Links.FOLLOW);
        ImapLogin login;
        try {
            login = ImapLogin.parse(Files.readString(loginFile));
        } catch (IOException e) {
            throw new InvalidInputException(
                    LOGIN_TRUST,
                    SourcePosition.file(loginFile.toString()),
                    "cannot read the login file: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(LOGIN_TRUST, SourcePosition.file(loginFile.toString()), e.getMessage());
        }
        Optional<Path> ca = settings.caFile().map(f -> setup.baseDir().resolve(f.path()));
        return new ImapIntake.Mailbox(
                settings.server().host(),
                settings.server().port(),
                login,
                settings.folder(),
                settings.processedFolder(),
                ca);
    }

    @Command(
            name = "summary",
            mixinStandardHelpOptions = true,
            sortOptions = false,
            description = {
                "Per domain, policy type and MX host: successful and failed sessions, the failure rate, the",
                "failures by result type and by reporting organisation, and the first and last report period.",
                "Successful sessions are reported per policy, so an MX host is the policy's mx-host entries."
            },
            footer = {
                "",
                "Examples:",
                "  mxpolicy reports summary -c /etc/mxpolicy/provider.yaml",
                "  mxpolicy reports summary -c /etc/mxpolicy/provider.yaml --since 30d --domain example.com",
                "  mxpolicy reports summary -c /etc/mxpolicy/provider.yaml --format csv > tlsrpt.csv"
            })
    static final class Summary implements Callable<Integer> {

        private final Clock clock;

        @Spec
        private CommandSpec spec;

        @Option(
                names = {"-c", "--config"},
                required = true,
                paramLabel = "FILE",
                description = "Provider config (YAML).")
        private Path config;

        @Option(
                names = "--since",
                paramLabel = "DURATION",
                converter = DurationConverter.class,
                defaultValue = "7d",
                description = "Reports whose period ended within this time (default ${DEFAULT-VALUE}).")
        private Duration since;

        @Option(names = "--domain", paramLabel = "DOMAIN", description = "Only this policy domain.")
        private String domain;

        @Option(
                names = "--format",
                paramLabel = "FORMAT",
                defaultValue = "text",
                description = "text, json or csv (default ${DEFAULT-VALUE}).")
        private ReportsOutput.Format format;

        Summary(Clock clock) {
            this.clock = clock;
        }

        @Override
        public Integer call() throws MxpolicyException {
            Setup setup = setup(config, spec.commandLine().getErr());
            Instant from = clock.instant().truncatedTo(ChronoUnit.SECONDS).minus(since);
            try (ReportStore store = JdbcReportStore.open(setup.location())) {
                Optional<String> only = Optional.ofNullable(domain).map(ReportsOutput::domainKey);
                ReportStore.SummaryData data = store.summary(from, only);
                List<ReportSummary.Group> groups = ReportSummary.of(data);
                Map<GroupKey, List<FailureExplanation>> explanations = Map.of();
                if (groups.stream().anyMatch(g -> g.failed() > 0)) {
                    explanations = new FailureExplainer(FailureExplainer.CHANGE_WINDOW)
                            .explain(
                                    groups,
                                    new ReportStore.FailureEvidence(
                                            store.policyStrings(from, only), data.failureHosts()),
                                    store.history().versions(FailureExplainer.subjects(groups)));
                }
                spec.commandLine().getOut().print(ReportsOutput.render(groups, explanations, format, from));
            } catch (ReportStoreException e) {
                return failed(spec, e);
            } catch (HistoryException e) {
                spec.commandLine().getErr().println(spec.qualifiedName() + ": " + e.getMessage());
                return Main.EXIT_FAILED;
            }
            return 0;
        }
    }

    @Command(
            name = "prune",
            mixinStandardHelpOptions = true,
            description = {
                "Delete the reports whose period ended longer ago than reports.retention (default 400d): reports",
                "carry IP addresses (TR-03108-14-M). Run it daily, from a timer."
            },
            footer = {"", "Examples:", "  mxpolicy reports prune -c /etc/mxpolicy/provider.yaml"})
    static final class Prune implements Callable<Integer> {

        private final Clock clock;

        @Spec
        private CommandSpec spec;

        @Option(
                names = {"-c", "--config"},
                required = true,
                paramLabel = "FILE",
                description = "Provider config (YAML).")
        private Path config;

        Prune(Clock clock) {
            this.clock = clock;
        }

        @Override
        public Integer call() throws MxpolicyException {
            Setup setup = setup(config, spec.commandLine().getErr());
            Instant before = clock.instant().truncatedTo(ChronoUnit.SECONDS).minus(setup.retention());
            try (ReportStore store = JdbcReportStore.open(setup.location())) {
                int deleted = store.prune(before);
                spec.commandLine()
                        .getOut()
                        .println(ReportsOutput.count(deleted, "report") + " deleted that ended before " + before
                                + " (retention "
                                + DurationConverter.format(setup.retention()) + ")");
            } catch (ReportStoreException e) {
                return failed(spec, e);
            }
            return 0;
        }
    }
}
