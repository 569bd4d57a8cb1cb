package org.mxpolicy.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.mxpolicy.check.StoredReports;
import org.mxpolicy.files.FileWatcher;
import org.mxpolicy.files.HttpsHostFiles;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.SourcePosition;
import org.mxpolicy.server.AccessLog;
import org.mxpolicy.server.AdminPasswords;
import org.mxpolicy.server.AdminSettings;
import org.mxpolicy.server.ListenAddress;
import org.mxpolicy.server.PolicyService;
import org.mxpolicy.server.ServerException;
import org.mxpolicy.server.ServerLimits;
import org.mxpolicy.status.StoredReportDays;
import org.mxpolicy.tls.TlsProfile;
import org.mxpolicy.tls.TlsRuleSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code mxpolicy serve}: the HTTPS server of the MTA-STS policy files and of the mail client
 * configuration documents (Thunderbird Autoconfig, Outlook Autodiscover). Parses the options and
 * runs {@link PolicyService} with the config's files, the signals and a file watcher.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "The HTTPS server of the MTA-STS policies and mail client autoconfiguration.",
            "Serves the MTA-STS policy of every domain with mta_sts at",
            "https://mta-sts.<domain>/.well-known/mta-sts.txt, and with client_services.autoconfig and .autodiscover",
            "the mail client settings at https://autoconfig.<domain>/mail/config-v1.1.xml (Thunderbird) and",
            "https://autodiscover.<domain>/autodiscover/autodiscover.xml (Outlook). Each host has its own certificate,",
            "chosen by SNI. TLS 1.3 and 1.2 as BSI TR-03116-4 allows (--tls-profile bsi, the default), or with X25519 and",
            "ChaCha20-Poly1305 added (--tls-profile modern).",
            "Runs until SIGTERM or SIGINT. SIGHUP, or a change to the config or a certificate or key file, reloads",
            "them; a reload that fails keeps the previous state. Access log on stderr.",
            "An admin listener answers /healthz and /metrics (Prometheus), and with serve.status_check the status",
            "pages (/); off loopback it needs serve.admin_tls_certificate, admin_tls_key and admin_password_file."
        },
        footer = {
            "",
            "Examples:",
            "  mxpolicy serve -c /etc/mxpolicy/provider.yaml",
            "  mxpolicy serve -c provider.yaml --listen 127.0.0.1:8443 --admin 127.0.0.1:8461",
            "  curl --resolve mta-sts.example.com:8443:127.0.0.1 https://mta-sts.example.com:8443/.well-known/mta-sts.txt"
        })
final class ServeCommand implements Callable<Integer> {

    /** certbot writes a certificate and its key one after the other; reload after both. */
    static final Duration QUIET_PERIOD = Duration.ofSeconds(1);
    /** For file systems that report no changes: compare the files this often anyway. */
    static final Duration RECHECK = Duration.ofSeconds(60);

    @Option(
            names = {"-c", "--config"},
            paramLabel = "CONFIG",
            description = "Provider config (YAML); required unless --hash-password.")
    private Path config;

    @Option(
            names = "--listen",
            paramLabel = "ADDR:PORT",
            defaultValue = "[::]:443",
            converter = AddressConverter.class,
            description =
                    "Address of the HTTPS listener (default: ${DEFAULT-VALUE}; [::] takes IPv4 too on most systems).")
    private ListenAddress listen;

    @Option(
            names = "--admin",
            paramLabel = "ADDR:PORT",
            defaultValue = "127.0.0.1:8461",
            converter = AddressConverter.class,
            description =
                    "Address of the plain-HTTP admin listener with /healthz and /metrics (default: ${DEFAULT-VALUE});"
                            + " keep it on loopback.")
    private ListenAddress admin;

    @Option(
            names = "--tls-profile",
            paramLabel = "PROFILE",
            converter = ProfileConverter.class,
            description = "bsi (default): what BSI TR-03116-4 allows (TLS 1.3 and 1.2, AES-GCM, NIST curves);"
                    + " modern: bsi plus X25519 and ChaCha20-Poly1305.")
    private TlsProfile.Choice tlsProfile;

    @Option(
            names = "--hash-password",
            paramLabel = "USER",
            description = "Read a password from standard input (one line), print the line USER:bcrypt-hash for"
                    + " serve.admin_password_file, and exit.")
    private String hashPasswordUser;

    @Option(
            names = "--no-watch",
            negatable = false,
            description = "Reload only on SIGHUP; do not watch the config, certificate and key files for changes.")
    private boolean noWatch;

    @Spec
    private CommandSpec spec;

    private final Clock clock;

    ServeCommand(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Integer call() throws Exception {
        if (hashPasswordUser != null) {
            return hashPassword();
        }
        if (config == null) {
            throw new ParameterException(spec.commandLine(), "Missing required option: '--config=CONFIG'");
        }
        PrintWriter err = spec.commandLine().getErr();
        PolicyService.Messages messages = new PolicyService.Messages() {
            @Override
            public void line(String message) {
                err.println(message);
                err.flush();
            }

            @Override
            public void findings(java.util.List<Finding> findings) {
                Findings.print(err, findings);
                err.flush();
            }
        };
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        TlsRuleSet edition = TlsRuleSet.inForceAt(today)
                .orElseThrow(() -> new ServerException("no edition of TR-03116-4 is known to be in force on " + today));
        HttpsHostFiles hostFiles = new HttpsHostFiles(config, clock);
        TlsProfile profile = TlsProfile.of(profileChoice(hostFiles), edition);
        AdminSettings adminSettings = hostFiles.adminSettings(admin);
        Optional<StoredReports> reports = Observation.reports(hostFiles.config());
        if (adminSettings.status().isPresent() && reports.isPresent()) {
            adminSettings = adminSettings.withStatus(adminSettings
                    .status()
                    .get()
                    .withReports(new StoredReportDays(reports.get().store())));
        }
        PolicyService.Settings settings =
                new PolicyService.Settings(listen, adminSettings, ServerLimits.DEFAULT, profile);
        // before a hoster's thousands of certificates are read
        settings.admin().requireProtected();

        // The watcher reports to the service, which tells the watcher what to watch.
        AtomicReference<PolicyService> service = new AtomicReference<>();
        try (FileWatcher watcher = noWatch
                        ? null
                        : new FileWatcher(
                                changed -> {
                                    messages.line("mxpolicy: changed: "
                                            + changed.stream()
                                                    .map(Path::toString)
                                                    .collect(Collectors.joining(", ")) + "; reloading");
                                    service.get().reload();
                                },
                                QUIET_PERIOD,
                                RECHECK,
                                clock);
                AccessLog accessLog = new AccessLog(err)) {
            service.set(new PolicyService(
                    hostFiles, Optional.ofNullable(watcher).map(ServeCommand::fileChanges), messages, clock));
            ServeSignals.install(service.get()::stop, service.get()::reload);
            service.get().run(settings, accessLog);
        }
        return 0;
    }

    /** {@code --hash-password USER}: one line of standard input in, one line of the password file out. */
    private int hashPassword() throws InvalidInputException {
        String password;
        try {
            java.io.BufferedReader in = new java.io.BufferedReader(
                    new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8));
            password = in.readLine();
        } catch (java.io.IOException e) {
            throw new InvalidInputException(
                    "input.unreadable", SourcePosition.file("<stdin>"), "cannot read: " + e.getMessage());
        }
        if (password == null || password.isEmpty()) {
            throw new InvalidInputException(
                    "admin.password-empty", SourcePosition.file("<stdin>"), "no password on standard input");
        }
        try {
            spec.commandLine()
                    .getOut()
                    .println(AdminPasswords.line(hashPasswordUser, password.toCharArray(), new SecureRandom()));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--hash-password: " + e.getMessage());
        }
        spec.commandLine().getOut().flush();
        return 0;
    }

    /**
     * The TLS profile: {@code --tls-profile} when given, else the config's {@code serve.tls_profile},
     * else {@code bsi}.
     */
    private TlsProfile.Choice profileChoice(HttpsHostFiles hostFiles) throws InvalidInputException {
        if (tlsProfile != null) {
            return tlsProfile;
        }
        // Read once at start: a changed profile needs a new listener, not a reload.
        return switch (hostFiles.settings().tlsProfile()) {
            case BSI -> TlsProfile.Choice.BSI;
            case MODERN -> TlsProfile.Choice.MODERN;
        };
    }

    private static PolicyService.FileChanges fileChanges(FileWatcher watcher) {
        return new PolicyService.FileChanges() {
            @Override
            public void watch(Set<Path> files) {
                watcher.watch(files);
            }

            @Override
            public void start() {
                watcher.start();
            }
        };
    }

    static final class ProfileConverter implements ITypeConverter<TlsProfile.Choice> {
        @Override
        public TlsProfile.Choice convert(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "bsi" -> TlsProfile.Choice.BSI;
                case "modern" -> TlsProfile.Choice.MODERN;
                default -> throw new TypeConversionException("'" + value + "' is neither bsi nor modern");
            };
        }
    }

    /** Parses {@code ADDR:PORT} for picocli. */
    static final class AddressConverter implements ITypeConverter<ListenAddress> {
        @Override
        public ListenAddress convert(String value) {
            try {
                return ListenAddress.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
