package org.mxpolicy.server;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.Collectors;
import org.eclipse.jetty.server.RequestLog;
import org.mxpolicy.cert.ProvenKeyPairs;
import org.mxpolicy.cert.ServerCertificateChecks;
import org.mxpolicy.desired.HttpsHost;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.MxpolicyException;
import org.mxpolicy.finding.SourcePosition;
import org.mxpolicy.tls.JsseProperties;
import org.mxpolicy.tls.TlsProfile;

/**
 * {@code mxpolicy serve} as a service: turns the hosts the config asks for ({@link HttpsHost},
 * with their key material read) into running hosts, serves them with {@link PolicyServer}, and
 * reloads on request until stopped. Reading the files, watching them and the signals are the
 * caller's, behind the interfaces here.
 *
 * <p>A host is served only when its certificate passes {@link ServerCertificateChecks}. On reload, a host
 * whose new certificate is refused keeps the one it is serving as long as that still passes: a
 * renewal caught halfway (new certificate, old key) must not take the host offline. A reload that
 * fails as a whole keeps everything as it was.
 */
public final class PolicyService {

    /** Reads the config and the key material it names. */
    public interface HostSource {
        /**
         * The hosts with their key material, those whose key material cannot be read, what was
         * found reading them, and the files read.
         *
         * @throws InvalidInputException when the config cannot be read or used, with every problem
         */
        Loaded load() throws InvalidInputException;

        /** The files the config names now, for the watcher; only the config when it cannot be read. */
        Set<Path> filesNamed();

        /** What the messages call it, e.g. the config file's path. */
        String origin();
    }

    /** Reports changes to the files it is told to watch, once started; see {@code cli.FileWatcher}. */
    public interface FileChanges {
        void watch(Set<Path> files);

        void start();
    }

    /** Where the service's messages and findings go. */
    public interface Messages {
        void line(String message);

        void findings(List<Finding> findings);
    }

    /** A host of the config with the key material read from its files. */
    public record Candidate(HttpsHost host, HostCertificate certificate) {}

    /**
     * What a load of the config gave: the hosts to serve, its findings, the files to watch.
     *
     * @param unreadable hosts whose certificate or key file cannot be read or parsed (the reasons
     *     are among the findings): left out at start; on reload, the reload fails as a whole
     * @param findings the config's warnings and every problem found reading the files it names
     * @param files the config and every certificate and key file it names for the server
     */
    public record Loaded(List<Candidate> hosts, List<HttpsHost> unreadable, List<Finding> findings, Set<Path> files) {}

    /** Where and how to listen. */
    public record Settings(ListenAddress listen, AdminSettings admin, ServerLimits limits, TlsProfile profile) {}

    private enum Event {
        STOP,
        RELOAD
    }

    private final HostSource source;
    private final Optional<FileChanges> watcher;
    private final Messages out;
    private final Clock clock;
    /** Key pairs proven at earlier loads: a reload proves only what changed. */
    private final ProvenKeyPairs proven = new ProvenKeyPairs();

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

    public PolicyService(HostSource source, Optional<FileChanges> watcher, Messages out, Clock clock) {
        this.source = source;
        this.watcher = watcher;
        this.out = out;
        this.clock = clock;
    }

    /** Asks {@link #run} to return. Safe from any thread, e.g. a signal handler. */
    public void stop() {
        events.add(Event.STOP);
    }

    /** Asks {@link #run} to read the config and the key material again. Safe from any thread. */
    public void reload() {
        events.add(Event.RELOAD);
    }

    /**
     * Serves until {@link #stop()}.
     *
     * @throws MxpolicyException when nothing can be served at start, or a listener cannot start
     */
    public void run(Settings settings, RequestLog.Writer accessLog) throws MxpolicyException, InterruptedException {
        JsseProperties.use(settings.profile()).forEach(kept -> out.line("mxpolicy: " + kept));
        Instant now = clock.instant();
        Selection loaded = select(source.load(), now);
        ServedHosts serving = loaded.servable();
        if (serving.isEmpty()) {
            throw new NoServableHostException(NOTHING_TO_SERVE + source.origin());
        }
        // before the listeners start, which takes a while: a renewal meanwhile is not missed
        watcher.ifPresent(w -> w.watch(loaded.files()));
        try (PolicyServer server = PolicyServer.start(
                serving, settings.listen(), settings.admin(), settings.limits(), accessLog, settings.profile())) {
            watcher.ifPresent(FileChanges::start);
            out.line("mxpolicy: serving " + serving.summary() + " on "
                    + new ListenAddress(settings.listen().host(), server.port()) + "; health check on "
                    + (settings.admin().tls().isPresent() ? "https://" : "http://")
                    + new ListenAddress(settings.admin().address().host(), server.adminPort())
                    + PolicyServer.HEALTH_PATH
                    + (settings.admin().status().isPresent() ? "; status pages at /" : ""));
            out.line("mxpolicy: TLS profile " + settings.profile().describe() + ": "
                    + String.join(" ", settings.profile().cipherSuites()) + "; groups "
                    + System.getProperty(JsseProperties.NAMED_GROUPS));
            while (events.take() == Event.RELOAD) {
                serving = reload(server, serving);
            }
            out.line("mxpolicy: stopping");
        }
    }

    private static final String NOTHING_TO_SERVE = "no host can be served: give mta_sts, client_services.autoconfig"
            + " or client_services.autodiscover a cert and key with a valid certificate for at least one domain in ";

    /** Reads everything again; on any problem the server keeps what it has. Returns what is served afterwards. */
    private ServedHosts reload(PolicyServer server, ServedHosts serving) {
        Instant now = clock.instant();
        try {
            Selection loaded;
            try {
                Loaded read = source.load();
                if (!read.unreadable().isEmpty()) {
                    // a file of a served host may be caught half-written: the reload fails, nothing changes
                    throw new InvalidInputException(
                            read.findings().stream().filter(Finding::isError).toList());
                }
                loaded = select(read, now);
            } catch (InvalidInputException e) {
                // the config may name other files now, and fixing any of them must trigger the next reload
                watcher.ifPresent(w -> w.watch(source.filesNamed()));
                throw e;
            }
            watcher.ifPresent(w -> w.watch(loaded.files()));
            ServedHosts next = keepServing(loaded, serving, now);
            if (next.isEmpty()) {
                throw new ServerException(NOTHING_TO_SERVE + source.origin());
            }
            server.reload(next);
            server.metrics().reloaded(true, now);
            out.line("mxpolicy: reloaded " + source.origin() + ": serving " + next.summary());
            return next;
        } catch (InvalidInputException e) {
            out.findings(e.findings());
            out.line("mxpolicy: reload failed; still serving the previous config");
        } catch (MxpolicyException e) {
            out.line("mxpolicy: reload failed: " + e.getMessage() + "; still serving the previous config");
        }
        server.metrics().reloaded(false, now);
        return serving;
    }

    /**
     * The hosts sorted by their certificate checks: refused ones have errors, or key material that
     * cannot be read, and are not served at start.
     */
    private record Selection(ServedHosts servable, List<HttpsHost> refused, Set<Path> files) {}

    private Selection select(Loaded loaded, Instant now) {
        List<Finding> findings = new ArrayList<>(loaded.findings());
        List<PolicyHost> policies = new ArrayList<>();
        List<ClientConfigHost> clients = new ArrayList<>();
        List<HttpsHost> refused = new ArrayList<>(loaded.unreadable());
        // each check proves a key pair, which costs; a hoster has thousands, so on every core
        List<List<Finding>> checked = loaded.hosts().parallelStream()
                .map(candidate -> checks(
                        candidate.certificate(),
                        candidate.host().kind() == HttpsHost.Kind.POLICY
                                ? ServerCertificateChecks.POLICY_CONSEQUENCE
                                : ServerCertificateChecks.CLIENT_CONSEQUENCE,
                        now,
                        candidate.host().cert().position()))
                .toList();
        for (int i = 0; i < loaded.hosts().size(); i++) {
            Candidate candidate = loaded.hosts().get(i);
            HttpsHost host = candidate.host();
            HostCertificate tls = candidate.certificate();
            if (host.kind() == HttpsHost.Kind.POLICY) {
                PolicyHost policy = new PolicyHost(tls.host(), host.policy().orElseThrow(), tls.chain(), tls.key());
                if (passes(checked.get(i), findings)) {
                    policies.add(policy);
                } else {
                    refused.add(host);
                }
            } else {
                ClientConfigHost client =
                        new ClientConfigHost(host.kind(), host.clientSettings().orElseThrow(), tls);
                if (passes(checked.get(i), findings)) {
                    clients.add(client);
                } else {
                    refused.add(host);
                }
            }
        }
        out.findings(findings);
        proven.keepOnly(loaded.hosts().stream().map(c -> c.certificate().key()).toList());
        return new Selection(new ServedHosts(policies, clients), refused, loaded.files());
    }

    private List<Finding> checks(HostCertificate tls, String consequence, Instant now, SourcePosition where) {
        return ServerCertificateChecks.check(tls.host(), tls.chain(), tls.key(), consequence, now, where, proven);
    }

    private static boolean passes(List<Finding> checks, List<Finding> findings) {
        findings.addAll(checks);
        return checks.stream().noneMatch(Finding::isError);
    }

    /**
     * The new hosts, except that a host being served whose new certificate is refused keeps its
     * current certificate as long as that one still passes the checks.
     */
    private ServedHosts keepServing(Selection loaded, ServedHosts serving, Instant now) {
        Map<String, HostCertificate> current =
                serving.certificates().stream().collect(Collectors.toMap(HostCertificate::host, c -> c));
        List<PolicyHost> policies = new ArrayList<>(loaded.servable().policies());
        List<ClientConfigHost> clients = new ArrayList<>(loaded.servable().clientConfigs());
        for (HttpsHost refused : loaded.refused()) {
            Optional<HostCertificate> old = previous(current, refused.host(), now);
            if (old.isEmpty()) {
                continue;
            }
            if (refused.kind() == HttpsHost.Kind.POLICY) {
                policies.add(new PolicyHost(
                        refused.host(),
                        refused.policy().orElseThrow(),
                        old.get().chain(),
                        old.get().key()));
            } else {
                clients.add(new ClientConfigHost(
                        refused.kind(), refused.clientSettings().orElseThrow(), old.get()));
            }
        }
        return new ServedHosts(policies, clients);
    }

    private Optional<HostCertificate> previous(Map<String, HostCertificate> current, String host, Instant now) {
        HostCertificate old = current.get(host);
        if (old == null
                || checks(old, "", now, SourcePosition.file(old.chain().source())).stream()
                        .anyMatch(Finding::isError)) {
            return Optional.empty();
        }
        out.line("mxpolicy: " + host + " keeps its current certificate from "
                + old.chain().source() + " until the new one can be served");
        return Optional.of(old);
    }
}
