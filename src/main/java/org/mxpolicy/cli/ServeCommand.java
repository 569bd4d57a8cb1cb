package org.mxpolicy.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.Collectors;
import org.mxpolicy.cert.CertificateChain;
import org.mxpolicy.cert.PrivateKeyReader;
import org.mxpolicy.config.ClientServices;
import org.mxpolicy.config.FileReference;
import org.mxpolicy.config.MailDomain;
import org.mxpolicy.config.MtaStsSettings;
import org.mxpolicy.config.ServerCertificate;
import org.mxpolicy.desired.DesiredState;
import org.mxpolicy.desired.DomainPolicy;
import org.mxpolicy.files.CertificateFiles;
import org.mxpolicy.files.ConfigFile;
import org.mxpolicy.files.FileWatcher;
import org.mxpolicy.files.InputFiles;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.MxpolicyException;
import org.mxpolicy.finding.SourcePosition;
import org.mxpolicy.record.ClientService;
import org.mxpolicy.record.ClientServiceRecords.ServiceEndpoint;
import org.mxpolicy.server.AccessLog;
import org.mxpolicy.server.ClientConfigHost;
import org.mxpolicy.server.HostCertificate;
import org.mxpolicy.server.ListenAddress;
import org.mxpolicy.server.MailClientSettings;
import org.mxpolicy.server.PolicyHost;
import org.mxpolicy.server.PolicyHostChecks;
import org.mxpolicy.server.PolicyServer;
import org.mxpolicy.server.ServedHosts;
import org.mxpolicy.server.ServerException;
import org.mxpolicy.server.ServerLimits;
import org.mxpolicy.server.TlsEngine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code mxpolicy serve}: the HTTPS server of the MTA-STS policy files and of the mail client
 * configuration documents (Thunderbird Autoconfig, Outlook Autodiscover).
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
            "chosen by SNI. TLS 1.3 and 1.2 with ECDHE and AEAD suites only (BSI TR-03116-4).",
            "Runs until SIGTERM or SIGINT. SIGHUP, or a change to the config or a certificate or key file, reloads",
            "them; a reload that fails keeps the previous state. Access log on stderr.",
            "A plain-HTTP admin listener answers /healthz and /metrics (Prometheus)."
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
    /** What fails for mail clients when a client configuration host's certificate does not name it. */
    private static final String CLIENT_CONSEQUENCE = "mail clients will refuse it";

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "CONFIG", description = "Provider config (YAML).")
    private Path config;

    @Option(names = "--listen", paramLabel = "ADDR:PORT", defaultValue = "[::]:443",
            converter = AddressConverter.class,
            description = "Address of the HTTPS listener (default: ${DEFAULT-VALUE}; [::] takes IPv4 too on most systems).")
    private ListenAddress listen;

    @Option(names = "--admin", paramLabel = "ADDR:PORT", defaultValue = "127.0.0.1:8461",
            converter = AddressConverter.class,
            description = "Address of the plain-HTTP admin listener with /healthz and /metrics (default: ${DEFAULT-VALUE});"
                    + " keep it on loopback.")
    private ListenAddress admin;

    @Option(names = "--tls-engine", paramLabel = "ENGINE", defaultValue = "jsse", converter = EngineConverter.class,
            description = "jsse (default): the JDK's TLS, the server's suite order on TLS 1.3 and 1.2;"
                    + " conscrypt: all of TLS in BoringSSL, the client's suite order on TLS 1.3"
                    + " (falls back to jsse where its native library cannot load).")
    private TlsEngine.Choice tlsEngine;

    @Option(names = "--no-watch", negatable = false,
            description = "Reload only on SIGHUP; do not watch the config, certificate and key files for changes.")
    private boolean noWatch;

    @Spec
    private CommandSpec spec;

    private final Clock clock;

    ServeCommand() {
        this(Clock.systemUTC());
    }

    ServeCommand(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        Loaded loaded = load(err);
        ServedHosts serving = loaded.servable();
        if (serving.isEmpty()) {
            throw new ServerException(NOTHING_TO_SERVE + config);
        }

        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        ServeSignals.install(() -> events.add(Event.STOP), () -> events.add(Event.RELOAD));
        try (FileWatcher watcher = noWatch ? null : new FileWatcher(changed -> {
                    err.println("mxpolicy: changed: " + changed.stream().map(Path::toString)
                            .collect(Collectors.joining(", ")) + "; reloading");
                    err.flush();
                    events.add(Event.RELOAD);
                }, QUIET_PERIOD, RECHECK, clock)) {
            if (watcher != null) {
                // before the listeners start, which takes a while: a renewal meanwhile is not missed
                watcher.watch(loaded.files());
            }
            try (AccessLog accessLog = new AccessLog(err);
                    PolicyServer server = PolicyServer.start(serving, listen, admin, ServerLimits.DEFAULT, accessLog,
                            TlsEngine.of(tlsEngine))) {
                if (watcher != null) {
                    watcher.start();
                }
                err.println("mxpolicy: serving " + String.join(", ", serving.names()) + " on "
                        + new ListenAddress(listen.host(), server.port()) + "; health check on http://"
                        + new ListenAddress(admin.host(), server.adminPort()) + PolicyServer.HEALTH_PATH);
                err.println("mxpolicy: TLS engine: " + server.tlsEngine().describe());
                err.flush();
                while (events.take() == Event.RELOAD) {
                    serving = reload(server, serving, watcher, err);
                }
                err.println("mxpolicy: stopping");
                err.flush();
            }
        }
        return 0;
    }

    private enum Event { STOP, RELOAD }

    private static final String NOTHING_TO_SERVE = "no host can be served: give mta_sts, client_services.autoconfig"
            + " or client_services.autodiscover a cert and key with a valid certificate for at least one domain in ";

    /**
     * Reads the config and key material again; on any problem the server keeps what it has.
     *
     * @return what is served afterwards
     */
    private ServedHosts reload(PolicyServer server, ServedHosts serving, FileWatcher watcher, PrintWriter err) {
        Instant now = clock.instant();
        try {
            Loaded loaded;
            try {
                loaded = load(err);
            } catch (InvalidInputException e) {
                if (watcher != null) {
                    // the config may name other files now, and fixing any of them must trigger
                    // the next reload
                    watcher.watch(filesNamedByConfig());
                }
                throw e;
            }
            if (watcher != null) {
                watcher.watch(loaded.files());
            }
            ServedHosts next = keepServing(loaded, serving, now, err);
            if (next.isEmpty()) {
                throw new ServerException(NOTHING_TO_SERVE + config);
            }
            server.reload(next);
            server.metrics().reloaded(true, now);
            err.println("mxpolicy: reloaded " + config + ": serving " + String.join(", ", next.names()));
            err.flush();
            return next;
        } catch (InvalidInputException e) {
            Findings.print(err, e.findings());
            err.println("mxpolicy: reload failed; still serving the previous config");
        } catch (MxpolicyException e) {
            err.println("mxpolicy: reload failed: " + e.getMessage() + "; still serving the previous config");
        }
        server.metrics().reloaded(false, now);
        err.flush();
        return serving;
    }

    /**
     * The files the config names now, for the watcher; only the config itself when it cannot be
     * read. Problems are not reported here: {@link #load} has done that.
     */
    private Set<Path> filesNamedByConfig() {
        try {
            return files(ConfigFile.load(config));
        } catch (InvalidInputException e) {
            return Set.of(config);
        }
    }

    /**
     * The new hosts, except that a host the server is serving and whose new certificate is
     * refused keeps its current certificate as long as that one still passes the checks: a
     * renewal caught halfway (new certificate, old key) must not take the host offline.
     */
    private static ServedHosts keepServing(Loaded loaded, ServedHosts serving, Instant now, PrintWriter err) {
        Map<String, HostCertificate> current = serving.certificates().stream()
                .collect(Collectors.toMap(HostCertificate::host, c -> c));
        List<PolicyHost> policies = new ArrayList<>(loaded.servable().policies());
        for (PolicyHost refused : loaded.refusedPolicies()) {
            previous(current, refused.host(), now, err).ifPresent(old ->
                    policies.add(new PolicyHost(refused.host(), refused.policy(), old.chain(), old.key())));
        }
        List<ClientConfigHost> clients = new ArrayList<>(loaded.servable().clientConfigs());
        for (ClientConfigHost refused : loaded.refusedClientConfigs()) {
            previous(current, refused.host(), now, err).ifPresent(old ->
                    clients.add(new ClientConfigHost(refused.kind(), refused.settings(), old)));
        }
        return new ServedHosts(policies, clients);
    }

    private static Optional<HostCertificate> previous(Map<String, HostCertificate> current, String host, Instant now,
            PrintWriter err) {
        HostCertificate old = current.get(host);
        if (old == null || PolicyHostChecks.check(old, "", now, SourcePosition.file(old.chain().source()))
                .stream().anyMatch(Finding::isError)) {
            return Optional.empty();
        }
        err.println("mxpolicy: " + host + " keeps its current certificate from " + old.chain().source()
                + " until the new one can be served");
        return Optional.of(old);
    }

    /**
     * The config's hosts, with every warning and refusal printed.
     *
     * @param servable the hosts that passed their checks
     * @param refusedPolicies policy hosts whose certificate has errors (not served at start)
     * @param refusedClientConfigs the same for client configuration hosts
     * @param files the config and every certificate and key file it names for the server
     */
    private record Loaded(ServedHosts servable, List<PolicyHost> refusedPolicies,
            List<ClientConfigHost> refusedClientConfigs, Set<Path> files) {}

    private Loaded load(PrintWriter err) throws InvalidInputException {
        ConfigFile file = ConfigFile.load(config);
        Instant now = clock.instant();
        DesiredState desired = file.desiredState(now);
        List<Finding> findings = file.warnings(desired);
        Loaded loaded = servableHosts(file, desired, now, findings);
        Findings.print(err, findings);
        return new Loaded(loaded.servable(), loaded.refusedPolicies(), loaded.refusedClientConfigs(), files(file));
    }

    /** The config file and every certificate and key file it names for the server. */
    private Set<Path> files(ConfigFile file) {
        Set<Path> files = new LinkedHashSet<>();
        files.add(config);
        CertificateFiles certificates = file.certificates();
        for (MailDomain domain : file.config().domains()) {
            domain.mtaSts().ifPresent(m -> {
                m.cert().ifPresent(f -> files.add(certificates.resolve(f)));
                m.key().ifPresent(f -> files.add(certificates.resolve(f)));
            });
            domain.clientServices().ifPresent(c -> {
                for (Optional<ServerCertificate> tls : List.of(c.autoconfig(), c.autodiscover())) {
                    tls.ifPresent(t -> {
                        files.add(certificates.resolve(t.cert()));
                        files.add(certificates.resolve(t.key()));
                    });
                }
            });
        }
        return files;
    }

    /**
     * The hosts to serve: for every domain, {@code mta-sts.<domain>} when {@code mta_sts} has
     * {@code cert} and {@code key}, and {@code autoconfig.<domain>} and
     * {@code autodiscover.<domain>} when {@code client_services} has them; each only when its
     * certificate passes {@link PolicyHostChecks}. Unreadable files are bad input, all reported
     * at once; a refused host is reported and left out.
     */
    private static Loaded servableHosts(ConfigFile file, DesiredState desired, Instant now, List<Finding> findings)
            throws InvalidInputException {
        CertificateFiles certificates = file.certificates();
        List<Finding> problems = new ArrayList<>();
        List<PolicyHost> policies = new ArrayList<>();
        List<PolicyHost> refusedPolicies = new ArrayList<>();
        List<ClientConfigHost> clients = new ArrayList<>();
        List<ClientConfigHost> refusedClients = new ArrayList<>();
        for (MailDomain domain : file.config().domains()) {
            if (domain.mtaSts().isPresent()) {
                MtaStsSettings settings = domain.mtaSts().get();
                DomainPolicy policy = desired.policy(domain.name()).orElseThrow(
                        () -> new IllegalStateException("no policy built for " + domain.name()));
                if (settings.cert().isEmpty() || settings.key().isEmpty()) {
                    findings.add(Finding.warning("serve.no-cert", settings.position(), policy.policyHost()
                            + " is not served: mta_sts has no cert and key for it"));
                } else {
                    FileReference certFile = settings.cert().get();
                    try {
                        HostCertificate tls = hostCertificate(certificates, policy.policyHost(), certFile,
                                settings.key().get());
                        PolicyHost host = new PolicyHost(tls.host(), policy.policy(), tls.chain(), tls.key());
                        boolean ok = passes(PolicyHostChecks.check(host, now, certFile.position()), findings);
                        (ok ? policies : refusedPolicies).add(host);
                    } catch (InvalidInputException e) {
                        problems.addAll(e.findings());
                    }
                }
            }
            if (domain.clientServices().isPresent()) {
                ClientServices services = domain.clientServices().get();
                MailClientSettings settings = MailClientSettings.of(domain.name(), endpoints(services));
                Map<ClientConfigHost.Kind, Optional<ServerCertificate>> kinds = Map.of(
                        ClientConfigHost.Kind.AUTOCONFIG, services.autoconfig(),
                        ClientConfigHost.Kind.AUTODISCOVER, services.autodiscover());
                for (ClientConfigHost.Kind kind : ClientConfigHost.Kind.values()) {
                    if (kinds.get(kind).isEmpty()) {
                        continue;
                    }
                    ServerCertificate files = kinds.get(kind).get();
                    try {
                        HostCertificate tls = hostCertificate(certificates, kind.host(domain.name()), files.cert(),
                                files.key());
                        ClientConfigHost host = new ClientConfigHost(kind, settings, tls);
                        boolean ok = passes(PolicyHostChecks.check(tls, CLIENT_CONSEQUENCE, now,
                                files.cert().position()), findings);
                        (ok ? clients : refusedClients).add(host);
                    } catch (InvalidInputException e) {
                        problems.addAll(e.findings());
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        return new Loaded(new ServedHosts(policies, clients), refusedPolicies, refusedClients, Set.of());
    }

    private static boolean passes(List<Finding> checks, List<Finding> findings) {
        findings.addAll(checks);
        return checks.stream().noneMatch(Finding::isError);
    }

    private static Map<ClientService, List<ServiceEndpoint>> endpoints(ClientServices services) {
        Map<ClientService, List<ServiceEndpoint>> endpoints = new EnumMap<>(ClientService.class);
        services.services().forEach((service, list) -> endpoints.put(service,
                list.stream().map(e -> new ServiceEndpoint(e.host(), e.port())).toList()));
        return endpoints;
    }

    private static HostCertificate hostCertificate(CertificateFiles certificates, String host, FileReference cert,
            FileReference key) throws InvalidInputException {
        List<Finding> problems = new ArrayList<>();
        CertificateChain chain = null;
        PrivateKey privateKey = null;
        try {
            chain = certificates.chain(cert);
        } catch (InvalidInputException e) {
            problems.addAll(e.findings());
        }
        try {
            privateKey = privateKey(certificates, key);
        } catch (InvalidInputException e) {
            problems.addAll(e.findings());
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        return new HostCertificate(host, chain, privateKey);
    }

    private static PrivateKey privateKey(CertificateFiles certificates, FileReference file)
            throws InvalidInputException {
        Path path = certificates.resolve(file);
        byte[] bytes;
        try {
            bytes = InputFiles.read(path);
        } catch (InvalidInputException e) {
            Finding f = e.findings().get(0);
            throw new InvalidInputException(new Finding(f.severity(), f.id(), file.position(),
                    "cannot read " + path + ": " + f.message()));
        }
        try {
            return PrivateKeyReader.read(new ByteArrayInputStream(bytes), path.toString());
        } catch (InvalidInputException e) {
            throw new InvalidInputException(e.findings().stream()
                    .map(f -> new Finding(f.severity(), f.id(), f.position(), f.message() + " (named at "
                            + file.position() + ")"))
                    .toList());
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** Parses {@code ADDR:PORT} for picocli. */
    static final class EngineConverter implements ITypeConverter<TlsEngine.Choice> {
        @Override
        public TlsEngine.Choice convert(String value) {
            return switch (value.toLowerCase(java.util.Locale.ROOT)) {
                case "jsse" -> TlsEngine.Choice.JSSE;
                case "conscrypt" -> TlsEngine.Choice.CONSCRYPT;
                default -> throw new TypeConversionException("'" + value + "' is neither jsse nor conscrypt");
            };
        }
    }

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
