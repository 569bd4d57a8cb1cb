package org.mxpolicy.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Callable;
import org.mxpolicy.cert.CertificateChain;
import org.mxpolicy.cert.PrivateKeyReader;
import org.mxpolicy.config.FileReference;
import org.mxpolicy.config.MailDomain;
import org.mxpolicy.config.MtaStsSettings;
import org.mxpolicy.desired.DesiredState;
import org.mxpolicy.desired.DomainPolicy;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.MxpolicyException;
import org.mxpolicy.server.ListenAddress;
import org.mxpolicy.server.PolicyHost;
import org.mxpolicy.server.PolicyHostChecks;
import org.mxpolicy.server.PolicyServer;
import org.mxpolicy.server.ServerLimits;
import org.mxpolicy.server.ServerException;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code mxpolicy serve}: the HTTPS server of the MTA-STS policy files. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Serve the MTA-STS policy of every domain with mta_sts at",
            "https://mta-sts.<domain>/.well-known/mta-sts.txt, each host with its own certificate (mta_sts.cert",
            "and mta_sts.key), chosen by SNI. TLS 1.3 and 1.2 with ECDHE and AEAD suites only (BSI TR-03116-4).",
            "Runs until SIGTERM or SIGINT; SIGHUP reloads the config and certificates. Access log on stderr.",
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
        List<PolicyHost> hosts = loadHosts(err);
        if (hosts.isEmpty()) {
            throw new ServerException(NOTHING_TO_SERVE + config);
        }

        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        ServeSignals.install(() -> events.add(Event.STOP), () -> events.add(Event.RELOAD));
        try (PolicyServer server = PolicyServer.start(hosts, listen, admin, ServerLimits.DEFAULT, err::println)) {
            err.println("mxpolicy: serving " + names(hosts) + " on " + new ListenAddress(listen.host(), server.port())
                    + "; health check on http://" + new ListenAddress(admin.host(), server.adminPort())
                    + PolicyServer.HEALTH_PATH);
            err.flush();
            while (events.take() == Event.RELOAD) {
                reload(server, err);
            }
            err.println("mxpolicy: stopping");
            err.flush();
        }
        return 0;
    }

    private enum Event { STOP, RELOAD }

    private static final String NOTHING_TO_SERVE = "no policy host can be served: give mta_sts.cert and"
            + " mta_sts.key with a valid certificate for at least one domain in ";

    /** Reads the config and key material again; on any problem the server keeps what it has. */
    private void reload(PolicyServer server, PrintWriter err) {
        try {
            List<PolicyHost> hosts = loadHosts(err);
            if (hosts.isEmpty()) {
                throw new ServerException(NOTHING_TO_SERVE + config);
            }
            server.reload(hosts);
            err.println("mxpolicy: reloaded " + config + ": serving " + names(hosts));
        } catch (InvalidInputException e) {
            Findings.print(err, e.findings());
            err.println("mxpolicy: reload failed; still serving the previous config");
        } catch (MxpolicyException e) {
            err.println("mxpolicy: reload failed: " + e.getMessage() + "; still serving the previous config");
        }
        err.flush();
    }

    /** The config's servable hosts, with every warning and refusal printed. */
    private List<PolicyHost> loadHosts(PrintWriter err) throws InvalidInputException {
        ConfigFile file = ConfigFile.load(config);
        Instant now = clock.instant();
        DesiredState desired = file.desiredState(now);
        List<Finding> findings = file.warnings(desired);
        List<PolicyHost> hosts = servableHosts(file, desired, now, findings);
        Findings.print(err, findings);
        return hosts;
    }

    private static String names(List<PolicyHost> hosts) {
        return String.join(", ", hosts.stream().map(PolicyHost::host).toList());
    }

    /**
     * The hosts to serve: every domain with {@code mta_sts}, {@code cert} and {@code key}, whose
     * certificate passes {@link PolicyHostChecks}. Unreadable files are bad input, all reported
     * at once; a refused host is reported and left out.
     */
    private static List<PolicyHost> servableHosts(ConfigFile file, DesiredState desired, Instant now,
            List<Finding> findings) throws InvalidInputException {
        CertificateFiles certificates = file.certificates();
        List<Finding> problems = new ArrayList<>();
        List<PolicyHost> hosts = new ArrayList<>();
        for (MailDomain domain : file.config().domains()) {
            if (domain.mtaSts().isEmpty()) {
                continue;
            }
            MtaStsSettings settings = domain.mtaSts().get();
            DomainPolicy policy = desired.policy(domain.name()).orElseThrow(
                    () -> new IllegalStateException("no policy built for " + domain.name()));
            if (settings.cert().isEmpty() || settings.key().isEmpty()) {
                findings.add(Finding.warning("serve.no-cert", settings.position(), policy.policyHost()
                        + " is not served: mta_sts has no cert and key for it"));
                continue;
            }
            FileReference certFile = settings.cert().get();
            try {
                CertificateChain chain = certificates.chain(certFile);
                PrivateKey key = privateKey(certificates, settings.key().get());
                PolicyHost host = new PolicyHost(policy.policyHost(), policy.policy(), chain, key);
                List<Finding> checks = PolicyHostChecks.check(host, now, certFile.position());
                findings.addAll(checks);
                if (checks.stream().noneMatch(Finding::isError)) {
                    hosts.add(host);
                }
            } catch (InvalidInputException e) {
                problems.addAll(e.findings());
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        return hosts;
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
