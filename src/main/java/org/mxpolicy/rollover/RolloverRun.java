package org.mxpolicy.rollover;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.mxpolicy.apply.ConfiguredCommand;
import org.mxpolicy.apply.MxAddresses;
import org.mxpolicy.apply.Publication;
import org.mxpolicy.cert.CertificateChain;
import org.mxpolicy.cert.CertificateRequest;
import org.mxpolicy.cert.KeyPairMaker;
import org.mxpolicy.cert.KeyPairSpec;
import org.mxpolicy.cert.SubjectPublicKey;
import org.mxpolicy.check.ZoneServers;
import org.mxpolicy.config.MailDomain;
import org.mxpolicy.config.MxHost;
import org.mxpolicy.config.ProviderConfig;
import org.mxpolicy.config.RolloverSettings;
import org.mxpolicy.config.ZoneSettings;
import org.mxpolicy.desired.CertificateSource;
import org.mxpolicy.desired.Nameserver;
import org.mxpolicy.dns.AuthoritativeQuery;
import org.mxpolicy.dns.DnsAnswer;
import org.mxpolicy.dns.DnsLookup;
import org.mxpolicy.dns.NameServer;
import org.mxpolicy.dns.ServerAnswer;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.MxpolicyException;
import org.mxpolicy.finding.VerificationFailedException;
import org.mxpolicy.probe.SmtpObservation;
import org.mxpolicy.probe.SmtpProbe;
import org.mxpolicy.record.TlsaRecord;
import org.mxpolicy.zone.TlsaData;
import org.mxpolicy.zone.ZoneFragment;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.Type;

/**
 * The steps of a certificate rollover that touch the world, around the pure
 * {@link RolloverMachine}: reading and saving each MX host's state through the
 * {@link RolloverStore}, staging keys, observing whether a record is served everywhere and whether
 * every address of the MX presents the current key, publishing, and reloading the MTA. Every step
 * saves the state it reached, so running a command again after a crash continues where it stopped.
 */
public final class RolloverRun {

    /**
     * The desired records of one zone at a given time, with the records the saved rollover states
     * keep published.
     */
    @FunctionalInterface
    public interface DesiredSource {
        ZoneFragment zoneAt(Instant now, String zone) throws InvalidInputException;
    }

    /** The ports a rollover observes the world through. */
    public record Observers(DnsLookup dns, AuthoritativeQuery authorities, MxAddresses addresses, SmtpProbe smtp) {}

    private final ProviderConfig config;
    private final Path baseDir;
    private final Supplier<CertificateSource> certificates;
    private final RolloverStore store;
    private final NextKeyStaging staging;
    private final DesiredSource desired;
    private final Observers observers;
    private final Publication publication;
    private final Duration timeout;
    private final Clock clock;
    private final Consumer<String> planLines;
    private final Consumer<String> log;
    private final RolloverMachine machine;

    /**
     * @param baseDir the config's directory, against which its file names are resolved
     * @param certificates read afresh for every step: a certificate changes while a rollover goes on
     * @param planLines where the plans are shown before they are applied
     * @param log where what each step did is reported as it happens
     */
    public RolloverRun(
            ProviderConfig config,
            Path baseDir,
            Supplier<CertificateSource> certificates,
            RolloverStore store,
            NextKeyStaging staging,
            DesiredSource desired,
            Observers observers,
            Publication publication,
            Duration timeout,
            Clock clock,
            Consumer<String> planLines,
            Consumer<String> log) {
        this.config = config;
        this.baseDir = baseDir;
        this.certificates = certificates;
        this.store = store;
        this.staging = staging;
        this.desired = desired;
        this.observers = observers;
        this.publication = publication;
        this.timeout = timeout;
        this.clock = clock;
        this.planLines = planLines;
        this.log = log;
        this.machine = new RolloverMachine(clock, config.rollover().margin());
    }

    public ProviderConfig config() {
        return config;
    }

    public RolloverMachine machine() {
        return machine;
    }

    /** The configured MX hosts, each once, in config order. */
    public List<MxHost> mxHosts() {
        Map<String, MxHost> hosts = new LinkedHashMap<>();
        for (MailDomain domain : config.domains()) {
            domain.mx().forEach(mx -> hosts.putIfAbsent(mx.host(), mx));
        }
        return List.copyOf(hosts.values());
    }

    public Optional<MxHost> mxHost(String host) {
        String name = host.toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
        return mxHosts().stream().filter(mx -> mx.host().equals(name)).findFirst();
    }

    public CertificateChain diskChain(MxHost mx) throws InvalidInputException {
        return certificates.get().chain(mx.cert());
    }

    public Optional<RolloverState> saved(MxHost mx) throws InvalidInputException {
        return store.load(mx.host());
    }

    /** The saved state, or a new one whose current key is the certificate's on disk (saved). */
    public RolloverState stateFromDisk(MxHost mx) throws MxpolicyException {
        Optional<RolloverState> saved = store.load(mx.host());
        if (saved.isPresent()) {
            return saved.get();
        }
        SubjectPublicKey key = SubjectPublicKey.of(diskChain(mx).leaf());
        return save(RolloverState.start(mx.host(), RolloverState.KeyEntry.of(key, clock.instant()), clock.instant()));
    }

    public RolloverState save(RolloverState state) throws MxpolicyException {
        store.save(state);
        return state;
    }

    /** Makes a key like the current one (or as {@code spec} says) and its CSR, and stages it. */
    public RolloverState stageNext(MxHost mx, RolloverState state, Optional<KeyPairSpec> spec, boolean force)
            throws MxpolicyException {
        requirePublicKeySelector(mx);
        CertificateChain disk = diskChain(mx);
        SubjectPublicKey current = SubjectPublicKey.of(disk.leaf());
        KeyPairSpec kind = spec.isPresent()
                ? spec.get()
                : KeyPairSpec.like(current, mx.cert().position());
        KeyPair key = new KeyPairMaker(new SecureRandom()).make(kind);
        CertificateRequest request =
                CertificateRequest.create(key, CertificateRequest.namesFor(mx.host(), disk.leaf()), mx.position());
        RolloverMachine.Step<RolloverMachine.Staging> step =
                machine.stage(state, RolloverState.KeyEntry.of(KeyPairMaker.publicKey(key), clock.instant()), force);
        if (step.outcome().refused()) {
            throw refusal("rollover.stage", mx, step.message());
        }
        // the key on disk first: a crash after it leaves an unused key file, never a state
        // naming a key that does not exist
        NextKeyStaging.StagedKey staged = staging.stageNext(mx.host(), key, request);
        log.accept(mx.host() + ": next key " + kind.description() + " staged at " + staged.keyFile()
                + "; certificate request " + staged.csr());
        return save(step.state());
    }

    /**
     * Whether the next key's usage-3 record is served by every authoritative server and
     * validates; saves what {@link RolloverMachine#observePublication} makes of it.
     */
    public RolloverState observePublication(MxHost mx, RolloverState state) throws MxpolicyException {
        if (state.next().isEmpty()) {
            return state;
        }
        ServedRecord seen = servedRecord(mx, state.next().get().key());
        RolloverMachine.Step<RolloverMachine.Publication> step =
                machine.observePublication(state, seen.everywhere(), seen.ttlWindow());
        return save(step.state());
    }

    /** What the DNS shows of one key's usage-3 record. */
    public record ServedRecord(boolean everywhere, Duration ttlWindow) {}

    /**
     * Whether {@code key}'s usage-3 record is served by every authoritative server of the zone
     * and validates, and the largest TTL of the RRset seen (the TTL window of the gate).
     */
    public ServedRecord servedRecord(MxHost mx, RolloverState.KeyEntry key) {
        Name owner = tlsaOwner(mx);
        boolean everywhere = true;
        long ttl = mx.tlsa().ttl();
        ZoneSettings zone = zone(mx);
        List<NameServer> servers = ZoneServers.of(
                Name.fromConstantString(zone.name() + "."),
                Nameserver.of(zone.nameservers()),
                observers.dns(),
                observers.authorities());
        if (servers.isEmpty()) {
            everywhere = false;
        }
        for (ServerAnswer answer : observers.authorities().askAll(servers, owner, Type.TLSA)) {
            everywhere &= answer.answered() && containsKey(answer.records(), key);
            for (Record r : answer.records()) {
                ttl = Math.max(ttl, r.getTTL());
            }
        }
        DnsAnswer validated = observers.dns().lookup(owner, Type.TLSA);
        everywhere &= validated.security() == DnsAnswer.Security.SECURE && containsKey(validated.records(), key);
        return new ServedRecord(everywhere, Duration.ofSeconds(ttl));
    }

    public RolloverSettings.UnknownKeyAction onUnknownKey() {
        return config.rollover().onUnknownKey();
    }

    /** The MX's certificate file as the config names it, resolved against the config's directory. */
    public Path certificatePath(MxHost mx) {
        return baseDir.resolve(mx.cert().path());
    }

    /**
     * Drops the retiring key when every address of the MX presents the current key: saves the
     * state without it and publishes the record set without its record. When publishing fails
     * (an address still presented the old key to the safety rules' own probe, a server did not
     * answer), the retiring key is saved back, so the next run tries again; a crash in between
     * leaves the record published, which is the safe side.
     */
    public RolloverMachine.Step<RolloverMachine.Live> retire(MxHost mx, RolloverState state, Duration wait)
            throws MxpolicyException {
        RolloverMachine.Step<RolloverMachine.Live> step = observeLive(mx, state);
        if (step.outcome() != RolloverMachine.Live.RETIRED) {
            return step;
        }
        save(step.state());
        try {
            publish(mx, Set.of(), wait);
        } catch (Exception e) {
            save(state);
            throw e;
        }
        return step;
    }

    /** Whether every address of the MX presents the current key (nothing saved). */
    public RolloverMachine.Step<RolloverMachine.Live> observeLive(MxHost mx, RolloverState state)
            throws InvalidInputException {
        List<InetSocketAddress> addresses = observers.addresses().of(mx);
        boolean all = !addresses.isEmpty();
        for (InetSocketAddress address : addresses) {
            SmtpObservation seen = observers.smtp().probe(mx.host(), address);
            all &= !seen.chain().isEmpty()
                    && state.current()
                            .isKey(SubjectPublicKey.spkiOf(seen.chain().get(0)));
        }
        return machine.observeLive(state, all);
    }

    /**
     * Publishes the zone of the MX's TLSA records as the config and the saved states want it,
     * and waits until it is served everywhere. A zone without {@code update} or {@code sign} is
     * left to the operator.
     */
    public void publish(MxHost mx, Set<String> compromisedKeys, Duration wait) throws MxpolicyException {
        ZoneSettings settings = zone(mx);
        if (settings.update().isEmpty() && settings.signing().isEmpty()) {
            log.accept("zone " + settings.name() + " has neither 'update' nor 'sign': publish its"
                    + " records yourself (mxpolicy generate), then run this again");
            return;
        }
        ZoneFragment zone = desired.zoneAt(clock.instant(), settings.name());
        publication.publish(List.of(zone), compromisedKeys, wait, planLines);
    }

    /** Runs the configured MTA reload command, if any. */
    public void reloadMta() throws MxpolicyException {
        Optional<String> command = config.rollover().mtaReload();
        if (command.isEmpty()) {
            log.accept("no 'rollover.mta_reload' configured; reload the MTA yourself now");
            return;
        }
        ConfiguredCommand.run(
                command.get(),
                timeout.multipliedBy(3),
                "rollover.mta-reload",
                config.rollover().position(),
                "the MTA reload");
        log.accept("ran '" + command.get() + "'");
    }

    /** {@code rollover prepare}: stages a next key unless one is staged (or {@code force}), publishes its record. */
    public RolloverState prepare(MxHost mx, Optional<KeyPairSpec> kind, boolean force, Duration wait)
            throws MxpolicyException {
        requirePublicKeySelector(mx);
        RolloverState state = stateFromDisk(mx);
        if (state.next().isEmpty() || force) {
            state = stageNext(mx, state, kind, force);
        } else {
            log.accept(mx.host() + ": a next key is staged already ("
                    + state.next().get().key().label() + "); --force replaces it");
        }
        publish(mx, Set.of(), wait);
        return observePublication(mx, state);
    }

    /** {@code rollover status}: one line per host, after observing whether next keys' records are served. */
    public List<String> status(List<MxHost> hosts) throws MxpolicyException {
        List<String> lines = new ArrayList<>();
        for (MxHost mx : hosts) {
            Optional<RolloverState> saved = saved(mx);
            lines.add(
                    saved.isEmpty()
                            ? mx.host() + ": no rollover state yet; '"
                                    + CommandHint.of(config, "rollover prepare", "--mx", mx.host())
                                    + "' stages a next key"
                            : describe(observePublication(mx, saved.get())));
        }
        return lines;
    }

    /**
     * What {@link #advance} did: one line per host, and why retiring records that could not be removed
     * yet were not (they are retried next run).
     */
    public record Advanced(List<String> lines, List<Finding> failed) {}

    /** {@code rollover run}: advances every host's rollover as far as it is safe. */
    public Advanced advance(Duration wait) throws MxpolicyException {
        List<String> lines = new ArrayList<>();
        List<Finding> failed = new ArrayList<>();
        for (MxHost mx : mxHosts()) {
            Optional<RolloverState> saved = saved(mx);
            if (saved.isEmpty()) {
                continue;
            }
            RolloverState state = observePublication(mx, saved.get());
            if (state.retiring().isPresent()) {
                try {
                    RolloverMachine.Step<RolloverMachine.Live> live = retire(mx, state, wait);
                    state = live.state();
                    log.accept(live.message());
                } catch (VerificationFailedException e) {
                    // one MX that cannot finish yet does not hold up the others; it is retried next run
                    failed.addAll(e.findings());
                }
            }
            lines.add(describe(state));
        }
        return new Advanced(lines, failed);
    }

    /** {@code rollover now}: the current key is compromised; the READY next key becomes current at once. */
    public RolloverState emergency(MxHost mx, Duration wait) throws MxpolicyException {
        RolloverState state = observePublication(mx, stateFromDisk(mx));
        RolloverState before = state;
        RolloverMachine.Step<RolloverMachine.Emergency> step = machine.emergency(state);
        if (step.outcome().refused()) {
            throw new VerificationFailedException(
                    mx.host() + ": emergency rollover refused",
                    List.of(Finding.error("rollover.emergency-refused", mx.position(), step.message())));
        }
        byte[] disk = SubjectPublicKey.spkiOf(diskChain(mx).leaf());
        if (step.outcome() == RolloverMachine.Emergency.SWITCHED
                && !step.state().current().isKey(disk)) {
            throw new VerificationFailedException(
                    mx.host() + ": emergency rollover refused",
                    List.of(
                            Finding.error(
                                    "rollover.emergency-no-certificate",
                                    mx.cert().position(),
                                    "the certificate " + mx.cert().path()
                                            + " does not carry the next key "
                                            + before.next().get().key().label() + "; install a"
                                            + " certificate for it (request: next.csr in the MX's state directory) and run this again")));
        }
        state = save(step.state());
        log.accept(step.message());
        Set<String> compromised = state.retiring()
                .filter(RolloverState.RetiringKey::compromised)
                .map(r -> Set.of(r.key().sha256()))
                .orElse(Set.of());
        reloadMta();
        publish(mx, compromised, wait);
        if (state.next().isEmpty()) {
            state = stageNext(mx, state, Optional.empty(), false);
            publish(mx, compromised, wait);
            state = observePublication(mx, state);
        }
        return state;
    }

    public String describe(RolloverState state) {
        Instant now = clock.instant();
        StringBuilder text =
                new StringBuilder(state.host() + ": " + machine.phase(state).shown() + "; current key "
                        + state.current().label());
        state.next().ifPresent(n -> {
            text.append("; next key ").append(n.key().label());
            machine.gate(state)
                    .ifPresentOrElse(
                            gate -> text.append(", ").append(gate.describe(now)),
                            () -> text.append(", its record not yet served by every authoritative server"));
        });
        state.retiring()
                .ifPresent(r -> text.append("; retiring ")
                        .append(r.key().label())
                        .append(
                                r.compromised()
                                        ? " (compromised, record dropped)"
                                        : " (record kept until every address presents the current key)"));
        return text.toString();
    }

    public ZoneSettings zone(MxHost mx) {
        String zone = config.zoneFor(tlsaOwner(mx).toString()).orElseThrow();
        return config.zones().get(zone);
    }

    public static Name tlsaOwner(MxHost mx) {
        return Name.fromConstantString("_" + mx.port() + "._tcp." + mx.host() + ".");
    }

    private static boolean containsKey(List<Record> records, RolloverState.KeyEntry key) {
        for (Record r : records) {
            Optional<TlsaRecord> value = r instanceof TLSARecord tlsa ? TlsaData.of(tlsa) : Optional.empty();
            if (value.isPresent()
                    && value.get().usage() == 3
                    && value.get().selector() == TlsaRecord.SELECTOR_SPKI
                    && TlsaRecord.of(3, value.get().matching(), key.publicKey()).equals(value.get())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Refuses to stage a key for a host whose TLSA records name whole certificates (selector 0):
     * the next key's record must be published before its certificate exists, and only a selector 1
     * record, of the public key, can be.
     */
    private static void requirePublicKeySelector(MxHost mx) throws InvalidInputException {
        if (mx.tlsa().selector() != TlsaRecord.SELECTOR_SPKI) {
            throw new InvalidInputException(
                    "rollover.selector",
                    mx.tlsa().position(),
                    mx.host() + ": a key rollover needs TLSA selector 1: the next key's record is published"
                            + " before its certificate exists, and a selector "
                            + mx.tlsa().selector()
                            + " record names a certificate; set tlsa: { selector: 1 } for this host");
        }
    }

    private VerificationFailedException refusal(String id, MxHost mx, String message) {
        return new VerificationFailedException(
                mx.host() + ": refused", List.of(Finding.error(id, mx.position(), message)));
    }
}
