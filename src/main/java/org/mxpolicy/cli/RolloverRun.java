package org.mxpolicy.cli;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mxpolicy.cert.CertificateChain;
import org.mxpolicy.cert.CertificateRequest;
import org.mxpolicy.cert.KeyPairMaker;
import org.mxpolicy.cert.KeyPairSpec;
import org.mxpolicy.cert.SubjectPublicKey;
import org.mxpolicy.check.ZoneServers;
import org.mxpolicy.config.MailDomain;
import org.mxpolicy.config.MxHost;
import org.mxpolicy.config.RolloverSettings;
import org.mxpolicy.config.ZoneSettings;
import org.mxpolicy.desired.DesiredState;
import org.mxpolicy.dns.AuthoritativeQuery;
import org.mxpolicy.dns.DnsAnswer;
import org.mxpolicy.dns.DnsLookup;
import org.mxpolicy.dns.NameServer;
import org.mxpolicy.dns.ServerAnswer;
import org.mxpolicy.files.ConfigFile;
import org.mxpolicy.files.JsonRolloverStore;
import org.mxpolicy.files.KeyStaging;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.VerificationFailedException;
import org.mxpolicy.plan.ZonePlan;
import org.mxpolicy.probe.ConnectOverrides;
import org.mxpolicy.probe.SmtpObservation;
import org.mxpolicy.probe.StartTlsProbe;
import org.mxpolicy.record.TlsaRecord;
import org.mxpolicy.rollover.RolloverMachine;
import org.mxpolicy.rollover.RolloverState;
import org.mxpolicy.zone.TlsaData;
import org.mxpolicy.zone.ZoneFragment;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.Type;

/**
 * The steps of a certificate rollover that touch the world, around the pure
 * {@link RolloverMachine}: reading and saving each MX host's state, staging keys, observing
 * whether a record is served everywhere and whether every address of the MX presents the current
 * key, publishing, and reloading the MTA. Every step saves the state it reached, so running a
 * command again after a crash continues where it stopped.
 */
final class RolloverRun {

    private final ConfigFile file;
    private final Duration timeout;
    private final Clock clock;
    private final PrintWriter err;
    private final JsonRolloverStore store;
    private final RolloverMachine machine;
    private final Publisher publisher;
    private final DnsLookup dns;
    private final AuthoritativeQuery authorities;

    RolloverRun(ConfigFile file, Path configPath, Duration timeout, ConnectOverrides overrides, Clock clock,
            PrintWriter out, PrintWriter err) throws InvalidInputException {
        this.file = file;
        this.timeout = timeout;
        this.clock = clock;
        this.err = err;
        this.store = file.rolloverStore();
        this.machine = new RolloverMachine(clock, file.config().rollover().margin());
        this.publisher = new Publisher(file, configPath, timeout, overrides, clock, out, err);
        // the publisher's lookups: no cache, as observations are repeated until the data is there
        this.dns = publisher.dns();
        this.authorities = publisher.authorities();
    }

    RolloverMachine machine() {
        return machine;
    }

    /** The configured MX hosts, each once, in config order. */
    List<MxHost> mxHosts() {
        Map<String, MxHost> hosts = new java.util.LinkedHashMap<>();
        for (MailDomain domain : file.config().domains()) {
            domain.mx().forEach(mx -> hosts.putIfAbsent(mx.host(), mx));
        }
        return List.copyOf(hosts.values());
    }

    Optional<MxHost> mxHost(String host) {
        String name = host.toLowerCase(java.util.Locale.ROOT).replaceAll("\\.$", "");
        return mxHosts().stream().filter(mx -> mx.host().equals(name)).findFirst();
    }

    CertificateChain diskChain(MxHost mx) throws InvalidInputException {
        return file.certificates().chain(mx.cert());
    }

    Optional<RolloverState> saved(MxHost mx) throws InvalidInputException {
        return store.load(mx.host());
    }

    /** The saved state, or a new one whose current key is the certificate's on disk (saved). */
    RolloverState stateFromDisk(MxHost mx) throws Exception {
        Optional<RolloverState> saved = store.load(mx.host());
        if (saved.isPresent()) {
            return saved.get();
        }
        SubjectPublicKey key = SubjectPublicKey.of(diskChain(mx).leaf());
        return save(RolloverState.start(mx.host(), RolloverState.KeyEntry.of(key, clock.instant()), clock.instant()));
    }

    RolloverState save(RolloverState state) throws Exception {
        store.save(state);
        return state;
    }

    /** Makes a key like the current one (or as {@code spec} says) and its CSR, and stages it. */
    RolloverState stageNext(MxHost mx, RolloverState state, Optional<KeyPairSpec> spec, boolean force) throws Exception {
        CertificateChain disk = diskChain(mx);
        SubjectPublicKey current = SubjectPublicKey.of(disk.leaf());
        KeyPairSpec kind = spec.isPresent() ? spec.get() : KeyPairSpec.like(current, mx.cert().position());
        KeyPair key = new KeyPairMaker(new SecureRandom()).make(kind);
        CertificateRequest request = CertificateRequest.create(key,
                CertificateRequest.namesFor(mx.host(), disk.leaf()), mx.position());
        RolloverMachine.Step<RolloverMachine.Staging> step =
                machine.stage(state, RolloverState.KeyEntry.of(KeyPairMaker.publicKey(key), clock.instant()), force);
        if (step.outcome().refused()) {
            throw refusal("rollover.stage", mx, step.message());
        }
        // the key on disk first: a crash after it leaves an unused key file, never a state
        // naming a key that does not exist
        KeyStaging.Staged staged = new KeyStaging(file.stateDir()).stage(mx.host(), key, request);
        err.println("mxpolicy rollover: " + mx.host() + ": next key " + kind.description() + " staged at " + staged.keyFile()
                + "; certificate request " + staged.csr());
        return save(step.state());
    }

    /**
     * Whether the next key's usage-3 record is served by every authoritative server and
     * validates; saves what {@link RolloverMachine#observePublication} makes of it.
     */
    RolloverState observePublication(MxHost mx, RolloverState state) throws Exception {
        if (state.next().isEmpty()) {
            return state;
        }
        Publication seen = publication(mx, state.next().get().key());
        RolloverMachine.Step<RolloverMachine.Publication> step =
                machine.observePublication(state, seen.everywhere(), seen.ttlWindow());
        return save(step.state());
    }

    /** What the DNS shows of one key's usage-3 record. */
    record Publication(boolean everywhere, Duration ttlWindow) {}

    /**
     * Whether {@code key}'s usage-3 record is served by every authoritative server of the zone
     * and validates, and the largest TTL of the RRset seen (the TTL window of the gate).
     */
    Publication publication(MxHost mx, RolloverState.KeyEntry key) {
        Name owner = tlsaOwner(mx);
        boolean everywhere = true;
        long ttl = mx.tlsa().ttl();
        List<NameServer> servers = ZoneServers.of(zone(mx), dns, authorities);
        if (servers.isEmpty()) {
            everywhere = false;
        }
        for (ServerAnswer answer : authorities.askAll(servers, owner, Type.TLSA)) {
            everywhere &= answer.answered() && containsKey(answer.records(), key);
            for (Record r : answer.records()) {
                ttl = Math.max(ttl, r.getTTL());
            }
        }
        DnsAnswer validated = dns.lookup(owner, Type.TLSA);
        everywhere &= validated.security() == DnsAnswer.Security.SECURE && containsKey(validated.records(), key);
        return new Publication(everywhere, Duration.ofSeconds(ttl));
    }

    RolloverSettings.UnknownKeyAction onUnknownKey() {
        return file.config().rollover().onUnknownKey();
    }

    /** The MX's certificate file as the config names it, resolved against the config's directory. */
    Path certificatePath(MxHost mx) {
        return file.baseDir().resolve(mx.cert().path());
    }

    /**
     * Drops the retiring key when every address of the MX presents the current key: saves the
     * state without it and publishes the record set without its record. When publishing fails
     * (an address still presented the old key to the safety rules' own probe, a server did not
     * answer), the retiring key is saved back, so the next run tries again; a crash in between
     * leaves the record published, which is the safe side.
     */
    RolloverMachine.Step<RolloverMachine.Live> retire(MxHost mx, RolloverState state, Duration wait) throws Exception {
        RolloverMachine.Step<RolloverMachine.Live> step = observeLive(mx, state);
        if (step.outcome() != RolloverMachine.Live.RETIRED) {
            return step;
        }
        save(step.state());
        try {
            publish(mx, java.util.Set.of(), wait);
        } catch (Exception e) {
            save(state);
            throw e;
        }
        return step;
    }

    /** Whether every address of the MX presents the current key (nothing saved). */
    RolloverMachine.Step<RolloverMachine.Live> observeLive(MxHost mx, RolloverState state) throws InvalidInputException {
        List<InetSocketAddress> addresses = publisher.mxAddresses(mx);
        boolean all = !addresses.isEmpty();
        StartTlsProbe probe = new StartTlsProbe(timeout, "localhost.localdomain");
        for (InetSocketAddress address : addresses) {
            SmtpObservation seen = probe.probe(mx.host(), address);
            all &= !seen.chain().isEmpty()
                    && state.current().isKey(org.mxpolicy.cert.SubjectPublicKey.spkiOf(seen.chain().get(0)));
        }
        return machine.observeLive(state, all);
    }

    /**
     * Publishes the zone of the MX's TLSA records as the config and the saved states want it,
     * and waits until it is served everywhere. A zone without {@code update} or {@code sign} is
     * left to the operator.
     */
    void publish(MxHost mx, java.util.Set<String> compromisedKeys, Duration wait) throws Exception {
        ZoneSettings settings = zone(mx);
        if (settings.update().isEmpty() && settings.signing().isEmpty()) {
            err.println("mxpolicy rollover: zone " + settings.name() + " has neither 'update' nor 'sign': publish its"
                    + " records yourself (mxpolicy generate), then run this again");
            return;
        }
        DesiredState desired = file.desiredState(clock.instant());
        ZoneFragment zone = desired.zones().stream().filter(z -> z.zoneName().equals(settings.name())).findFirst()
                .orElseThrow();
        Map<ZoneFragment, ZonePlan> plans = publisher.plan(List.of(zone), compromisedKeys);
        publisher.printAndRequireAccepted(plans);
        publisher.requireServed(publisher.apply(plans, List.of(zone)), wait);
    }

    /** Runs the configured MTA reload command, if any. */
    void reloadMta() throws Exception {
        Optional<String> command = file.config().rollover().mtaReload();
        if (command.isEmpty()) {
            err.println("mxpolicy rollover: no 'rollover.mta_reload' configured; reload the MTA yourself now");
            return;
        }
        ConfiguredCommand.run(command.get(), timeout.multipliedBy(3), "rollover.mta-reload",
                file.config().rollover().position(), "the MTA reload");
        err.println("mxpolicy rollover: ran '" + command.get() + "'");
    }

    String describe(RolloverState state) {
        java.time.Instant now = clock.instant();
        StringBuilder text = new StringBuilder(state.host() + ": " + machine.phase(state).text()
                + "; current key " + state.current().label());
        state.next().ifPresent(n -> {
            text.append("; next key ").append(n.key().label());
            machine.gate(state).ifPresentOrElse(gate -> text.append(", ").append(gate.describe(now)),
                    () -> text.append(", its record not yet served by every authoritative server"));
        });
        state.retiring().ifPresent(r -> text.append("; retiring ").append(r.key().label())
                .append(r.compromised() ? " (compromised, record dropped)" : " (record kept until every address presents the current key)"));
        return text.toString();
    }

    ZoneSettings zone(MxHost mx) {
        String zone = file.config().zoneFor(tlsaOwner(mx).toString()).orElseThrow();
        return file.config().zones().get(zone);
    }

    static Name tlsaOwner(MxHost mx) {
        return Name.fromConstantString("_" + mx.port() + "._tcp." + mx.host() + ".");
    }

    private static boolean containsKey(List<Record> records, RolloverState.KeyEntry key) {
        for (Record r : records) {
            Optional<TlsaRecord> value = r instanceof TLSARecord tlsa ? TlsaData.of(tlsa) : Optional.empty();
            if (value.isPresent() && value.get().usage() == 3 && value.get().selector() == TlsaRecord.SELECTOR_SPKI
                    && TlsaRecord.of(3, value.get().matching(), spki(key)).equals(value.get())) {
                return true;
            }
        }
        return false;
    }

    private static SubjectPublicKey spki(RolloverState.KeyEntry key) {
        try {
            return org.mxpolicy.cert.PublicKeyReader.read(new java.io.ByteArrayInputStream(key.spki()), "rollover state");
        } catch (InvalidInputException e) {
            throw new IllegalStateException("a saved key that was valid when saved no longer parses", e);
        }
    }

    private VerificationFailedException refusal(String id, MxHost mx, String message) {
        return new VerificationFailedException(mx.host() + ": refused",
                List.of(Finding.error(id, mx.position(), message)));
    }
}
