package org.mxpolicy.files;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.mxpolicy.cert.CertificateChain;
import org.mxpolicy.cert.PrivateKeyReader;
import org.mxpolicy.config.FileReference;
import org.mxpolicy.config.ServeSettings;
import org.mxpolicy.desired.DesiredState;
import org.mxpolicy.desired.DesiredStateBuilder;
import org.mxpolicy.desired.DomainPolicy;
import org.mxpolicy.desired.HttpsHost;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.plan.OwnershipLedger;
import org.mxpolicy.record.MtaStsMode;
import org.mxpolicy.record.MtaStsPolicy;
import org.mxpolicy.server.AdminSettings;
import org.mxpolicy.server.HostCertificate;
import org.mxpolicy.server.ListenAddress;
import org.mxpolicy.server.PolicyService;

/**
 * The HTTPS hosts of a config file with their certificates and keys read from the files it
 * names: the file-system side of {@link PolicyService}.
 */
public final class HttpsHostFiles implements PolicyService.HostSource {

    private final Path config;
    private final Clock clock;
    /** The config read for the settings at start, taken by the first load: a hoster's config is large. */
    private final AtomicReference<ConfigFile> readAhead = new AtomicReference<>();

    public HttpsHostFiles(Path config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    /** The config's {@code serve} settings; the config read for them is used by the next {@link #load()}. */
    public ServeSettings settings() throws InvalidInputException {
        ConfigFile file = ConfigFile.load(config);
        readAhead.set(file);
        return file.config().serve();
    }

    /** The config, as read for {@link #settings()} (read again when there was none). */
    public ConfigFile config() throws InvalidInputException {
        ConfigFile ahead = readAhead.get();
        return ahead != null ? ahead : ConfigFile.load(config);
    }

    /**
     * The admin listener as the config's {@code serve} settings want it, from the config read for
     * {@link #settings()} (read again when there was none).
     */
    public AdminSettings adminSettings(ListenAddress address) throws InvalidInputException {
        ConfigFile ahead = readAhead.get();
        return AdminFiles.settings(ahead != null ? ahead : ConfigFile.load(config), address, clock);
    }

    /**
     * Only a config that does not load is an error here. A host whose certificate or key file
     * cannot be read is left out, and a broken MX certificate, next key or rollover state (which
     * the desired state reads but serve never presents) is reported: both are findings, and the
     * other hosts are served.
     */
    @Override
    public PolicyService.Loaded load() throws InvalidInputException {
        ConfigFile ahead = readAhead.getAndSet(null);
        ConfigFile file = ahead != null ? ahead : ConfigFile.load(config);
        List<Finding> findings = new ArrayList<>(file.warnings());
        List<HttpsHost> hosts =
                withdrawing(file, HttpsHost.of(file.config(), policies(file, findings), findings), findings);
        CertificateFiles certificates = file.certificates();
        // a hoster's thousands of certificate and key files are read and parsed on every core
        List<HostFiles> read =
                hosts.parallelStream().map(host -> read(certificates, host)).toList();
        // what the config no longer names is forgotten
        Set<Path> named = files(file, certificates, hosts);
        chainsRead.keySet().retainAll(named);
        keysRead.keySet().retainAll(named);
        List<PolicyService.Candidate> candidates = new ArrayList<>();
        List<HttpsHost> unreadable = new ArrayList<>();
        for (HostFiles files : read) {
            if (files.problems().isEmpty()) {
                candidates.add(files.candidate());
            } else {
                findings.addAll(files.problems());
                unreadable.add(files.host());
            }
        }
        return new PolicyService.Loaded(candidates, unreadable, findings, files(file, certificates, hosts));
    }

    /**
     * The hosts of the config, and the policy host of each domain whose MTA-STS {@code publish} is
     * withdrawing (RFC 8461 section 8.3): it serves {@code mode: none} with a small
     * {@code max_age} (one day, or the old one if shorter), and the certificate and key the config
     * named for it, until the withdrawal ends (the old {@code max_age} after it started). A domain back in the config is served as the config says.
     */
    private List<HttpsHost> withdrawing(ConfigFile file, List<HttpsHost> hosts, List<Finding> findings) {
        JsonOwnershipLedger store = new JsonOwnershipLedger(file.stateDir());
        OwnershipLedger ledger;
        try {
            ledger = store.load();
        } catch (InvalidInputException e) {
            findings.addAll(e.findings());
            return hosts;
        }
        Set<String> served = new java.util.HashSet<>();
        hosts.stream().filter(h -> h.kind() == HttpsHost.Kind.POLICY).forEach(h -> served.add(h.domain()));
        List<HttpsHost> all = new ArrayList<>(hosts);
        for (OwnershipLedger.Withdrawal w : ledger.withdrawals()) {
            if (served.contains(w.domain()) || !clock.instant().isBefore(w.ends())) {
                continue;
            }
            if (w.terms().cert().isEmpty() || w.terms().key().isEmpty()) {
                findings.add(Finding.warning(
                        "serve.withdrawal-no-cert",
                        org.mxpolicy.finding.SourcePosition.file(store.file().toString()),
                        HttpsHost.Kind.POLICY.host(w.domain()) + " should serve mode none until " + w.ends()
                                + ", but no certificate and key were recorded for it"));
                continue;
            }
            all.add(new HttpsHost(
                    HttpsHost.Kind.POLICY,
                    w.domain(),
                    HttpsHost.Kind.POLICY.host(w.domain()),
                    Optional.of(new MtaStsPolicy(MtaStsMode.NONE, List.of(), w.noneMaxAge())),
                    Optional.empty(),
                    new FileReference(w.terms().cert().get(), null),
                    new FileReference(w.terms().key().get(), null)));
            served.add(w.domain());
        }
        return all;
    }

    /** The domains' policies: those of the desired state, or from the config alone when it cannot be built. */
    private List<DomainPolicy> policies(ConfigFile file, List<Finding> findings) {
        try {
            DesiredState desired = file.desiredState(clock.instant());
            findings.addAll(desired.findings());
            return desired.policies();
        } catch (InvalidInputException e) {
            findings.addAll(e.findings());
            return DesiredStateBuilder.policies(file.config(), findings);
        }
    }

    @Override
    public Set<Path> filesNamed() {
        try {
            ConfigFile file = ConfigFile.load(config);
            List<Finding> ignored = new ArrayList<>();
            return files(
                    file,
                    file.certificates(),
                    HttpsHost.of(file.config(), DesiredStateBuilder.policies(file.config(), ignored), ignored));
        } catch (InvalidInputException e) {
            return Set.of(config);
        }
    }

    @Override
    public String origin() {
        return config.toString();
    }

    /** The config file and every certificate and key file it names for the server. */
    private Set<Path> files(ConfigFile file, CertificateFiles certificates, List<HttpsHost> hosts) {
        Set<Path> files = new LinkedHashSet<>();
        files.add(config);
        Path ledger = new JsonOwnershipLedger(file.stateDir()).file();
        if (java.nio.file.Files.isRegularFile(ledger)) {
            files.add(ledger);
        }
        for (HttpsHost host : hosts) {
            files.add(certificates.resolve(host.cert()));
            files.add(certificates.resolve(host.key()));
        }
        return files;
    }

    /** One host's certificate and key as read: the candidate, or the problems that leave it out. */
    private record HostFiles(HttpsHost host, PolicyService.Candidate candidate, List<Finding> problems) {}

    private HostFiles read(CertificateFiles certificates, HttpsHost host) {
        try {
            return new HostFiles(
                    host, new PolicyService.Candidate(host, hostCertificate(certificates, host)), List.of());
        } catch (InvalidInputException e) {
            return new HostFiles(host, null, e.findings());
        }
    }

    /** A file's content as read before, and the stamp the file had then. */
    private record Read<T>(FileStamp stamp, T value) {}

    /**
     * What was read at the previous load, by path: a reload reads again only the files whose stamp
     * changed, so one renewed certificate among a hoster's thousands does not mean parsing them all.
     */
    private final Map<Path, Read<CertificateChain>> chainsRead = new ConcurrentHashMap<>();

    private final Map<Path, Read<PrivateKey>> keysRead = new ConcurrentHashMap<>();

    private interface Reader<T> {
        T read() throws InvalidInputException;
    }

    private static <T> T readAgainIfChanged(Map<Path, Read<T>> earlier, Path path, Reader<T> reader)
            throws InvalidInputException {
        Optional<FileStamp> before = FileStamp.of(path);
        Read<T> cached = earlier.get(path);
        if (cached != null && before.isPresent() && cached.stamp().equals(before.get())) {
            return cached.value();
        }
        T value = reader.read();
        // stamped as it was before reading: a change while it is read is read again next time
        before.ifPresentOrElse(stamp -> earlier.put(path, new Read<>(stamp, value)), () -> earlier.remove(path));
        return value;
    }

    private HostCertificate hostCertificate(CertificateFiles certificates, HttpsHost host)
            throws InvalidInputException {
        List<Finding> problems = new ArrayList<>();
        CertificateChain chain = null;
        PrivateKey privateKey = null;
        try {
            chain = readAgainIfChanged(
                    chainsRead, certificates.resolve(host.cert()), () -> certificates.chain(host.cert()));
        } catch (InvalidInputException e) {
            problems.addAll(e.findings());
        }
        try {
            privateKey = readAgainIfChanged(
                    keysRead, certificates.resolve(host.key()), () -> privateKey(certificates, host.key()));
        } catch (InvalidInputException e) {
            problems.addAll(e.findings());
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        return new HostCertificate(host.host(), chain, privateKey);
    }

    static PrivateKey privateKey(CertificateFiles certificates, FileReference file) throws InvalidInputException {
        Path path = certificates.resolve(file);
        byte[] bytes;
        try {
            bytes = InputFiles.read(path, PrivateKeyReader.SIZE_LIMIT);
        } catch (InvalidInputException e) {
            Finding f = e.findings().get(0);
            throw new InvalidInputException(
                    new Finding(f.severity(), f.id(), file.position(), "cannot read " + path + ": " + f.message()));
        }
        try {
            return PrivateKeyReader.read(new ByteArrayInputStream(bytes), path.toString());
        } catch (InvalidInputException e) {
            throw new InvalidInputException(e.findings().stream()
                    .map(f -> new Finding(
                            f.severity(), f.id(), f.position(), f.message() + " (named at " + file.position() + ")"))
                    .toList());
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }
}
