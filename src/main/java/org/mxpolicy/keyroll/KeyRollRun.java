package org.mxpolicy.keyroll;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.mxpolicy.check.ZoneServers;
import org.mxpolicy.config.KeyPolicy;
import org.mxpolicy.config.ZoneFileSigning;
import org.mxpolicy.config.ZoneSettings;
import org.mxpolicy.desired.Nameserver;
import org.mxpolicy.dns.AuthoritativeQuery;
import org.mxpolicy.dns.DnsAnswer;
import org.mxpolicy.dns.DnsLookup;
import org.mxpolicy.dns.NameServer;
import org.mxpolicy.dns.ServerAnswer;
import org.mxpolicy.dnssec.KeyGenerator;
import org.mxpolicy.dnssec.ZoneKey;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.MxpolicyException;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * {@code keys run} and {@code keys status} for one zone: the keys and the saved state read, the
 * zone and its parent observed through the ports, {@link KeyRollMachine} asked, and its decisions
 * carried out: the state saved first, then each key file changed atomically in the machine's
 * order, then the zone signed and published through the same path as {@code publish}. Every
 * decision follows from files and the DNS, so a run after a crash carries on where it stopped.
 */
public final class KeyRollRun {

    /** Signs the zone with its keys as they are now and publishes it as {@code publish} does. */
    @FunctionalInterface
    public interface ZonePublisher {
        void publish(String zone) throws MxpolicyException;
    }

    /** The ports a key rollover observes the DNS through. */
    public record Observers(DnsLookup dns, AuthoritativeQuery authorities) {}

    /** One zone's run: what the machine decided and whether it was carried out. */
    public record Outcome(String zone, KeyRollMachine.Decision decision, boolean applied) {}

    /** Tries before giving up when new keys keep colliding with existing key tags (1 in 65536 each). */
    private static final int TRIES = 16;

    private final KeyFileStore keyFiles;
    private final KeyRollStore store;
    private final Observers observers;
    private final Path baseDir;
    private final SecureRandom random;
    private final Clock clock;
    private final Consumer<String> log;
    private final KeyRollMachine machine = new KeyRollMachine();

    public KeyRollRun(
            KeyFileStore keyFiles,
            KeyRollStore store,
            Observers observers,
            Path baseDir,
            SecureRandom random,
            Clock clock,
            Consumer<String> log) {
        this.keyFiles = keyFiles;
        this.store = store;
        this.observers = observers;
        this.baseDir = baseDir;
        this.random = random;
        this.clock = clock;
        this.log = log;
    }

    /** {@code keys status}: what the machine would decide now; nothing is written. */
    public Outcome status(ZoneSettings zone) throws MxpolicyException {
        return new Outcome(zone.name(), decide(zone, clock.instant()), false);
    }

    /**
     * {@code keys run}: decides, saves what was seen, changes the key files, then signs and
     * publishes the zone through {@code publisher} (also when nothing changed: signatures come due).
     */
    public Outcome run(ZoneSettings zone, ZonePublisher publisher) throws MxpolicyException {
        Instant now = clock.instant();
        Path dir = keyDir(zone);
        Name origin = origin(zone.name());
        // a run stopped inside a retime left the .key file behind the .private file; the machine
        // sees the .private timing and has nothing more to do for that key, so it is put right here
        for (String key : keyFiles.settle(dir, origin)) {
            log.accept(zone.name() + ": " + key + ": .key file's timing brought in line with its .private file");
        }
        KeyRollMachine.Decision decision = decide(zone, now);
        store.save(decision.state());
        for (KeyAction action : decision.actions()) {
            // read again for each action: the one before may have changed the key
            List<ZoneKey> keys = keyFiles.load(dir, origin);
            if (action instanceof KeyAction.NewKey k) {
                ZoneKey key = newKey(origin, keys, k);
                keyFiles.create(dir, key);
                log.accept(zone.name() + ": " + key.baseName() + ": " + action.describe());
            } else if (action instanceof KeyAction.SetTime t) {
                ZoneKey key = keys.stream()
                        .filter(z -> KeyId.of(z).equals(t.key()))
                        .findFirst()
                        .orElseThrow(() -> new IllegalStateException("the machine named a key that is gone: " + t));
                keyFiles.retime(dir, key.withTiming(key.timing().with(t.event(), t.time())));
                log.accept(zone.name() + ": " + key.baseName() + ": " + action.describe());
            }
        }
        decision.notes().forEach(n -> log.accept(zone.name() + ": " + n));
        publisher.publish(zone.name());
        return new Outcome(zone.name(), decision, true);
    }

    private KeyRollMachine.Decision decide(ZoneSettings zone, Instant now) throws MxpolicyException {
        KeyPolicy policy = policy(zone);
        List<ZoneKey> keys = keyFiles.load(keyDir(zone), origin(zone.name()));
        KeyRollState saved = store.load(zone.name()).orElse(KeyRollState.empty(zone.name(), now));
        ServedKeys served = observe(zone, policy, keys);
        return machine.decide(zone.name(), policy, keys, saved, served, now);
    }

    private ZoneKey newKey(Name origin, List<ZoneKey> keys, KeyAction.NewKey k) throws InvalidInputException {
        // as keygen: no tag, or tag once revoked, of another key of the algorithm either way
        Set<Integer> taken = new HashSet<>();
        for (ZoneKey other : keys) {
            if (other.algorithm() == k.algorithm()) {
                taken.add(other.keyTag());
                taken.add(other.revoked().keyTag());
            }
        }
        KeyGenerator generator = new KeyGenerator(random);
        for (int i = 0; i < TRIES; i++) {
            ZoneKey key = generator
                    .generate(origin, k.algorithm(), k.role().flags(), KeyGenerator.DEFAULT_RSA_BITS, k.ttl())
                    .withTiming(k.timing());
            if (!taken.contains(key.keyTag()) && !taken.contains(key.revoked().keyTag())) {
                return key;
            }
        }
        throw new InvalidInputException(
                "keys.tag-collision", null, "every new key collided with an existing key tag; remove unused keys");
    }

    private static KeyPolicy policy(ZoneSettings zone) {
        return zone.signing().flatMap(ZoneFileSigning::keyPolicy).orElseThrow();
    }

    private Path keyDir(ZoneSettings zone) {
        return baseDir.resolve(zone.signing().orElseThrow().keys().path());
    }

    static Name origin(String zone) {
        return Name.fromConstantString(zone.equals(".") ? "." : zone + ".");
    }

    /** What the zone's servers and the parent's serve of the keys, each through every server and validated. */
    ServedKeys observe(ZoneSettings zone, KeyPolicy policy, List<ZoneKey> keys) {
        Name origin = origin(zone.name());
        List<NameServer> servers =
                ZoneServers.of(origin, Nameserver.of(zone.nameservers()), observers.dns(), observers.authorities());
        List<ServerAnswer> dnskeys = observers.authorities().askAll(servers, origin, Type.DNSKEY);
        List<ServerAnswer> soas = observers.authorities().askAll(servers, origin, Type.SOA);
        DnsAnswer validatedDnskey = observers.dns().lookup(origin, Type.DNSKEY);
        DnsAnswer validatedSoa = observers.dns().lookup(origin, Type.SOA);
        boolean allAnswered = !servers.isEmpty()
                && dnskeys.stream().allMatch(ServerAnswer::answered)
                && soas.stream().allMatch(ServerAnswer::answered);
        Set<KeyId> served = new HashSet<>();
        Set<KeyId> unsigned = new HashSet<>();
        long ttl = 0;
        for (ServerAnswer a : dnskeys) {
            for (Record r : a.records()) {
                ttl = Math.max(ttl, r.getTTL());
            }
        }
        for (ZoneKey k : keys) {
            KeyId id = KeyId.of(k);
            if (allAnswered
                    && validatedDnskey.security() == DnsAnswer.Security.SECURE
                    && containsKey(validatedDnskey.records(), k)
                    && dnskeys.stream().allMatch(a -> containsKey(a.records(), k))) {
                served.add(id);
            }
            if (allAnswered
                    && validatedSoa.security() == DnsAnswer.Security.SECURE
                    && dnskeys.stream().noneMatch(a -> signedBy(a.signatures(), id))
                    && soas.stream().noneMatch(a -> signedBy(a.signatures(), id))) {
                unsigned.add(id);
            }
        }
        return new ServedKeys(served, Duration.ofSeconds(ttl), unsigned, parentDs(origin, policy, keys));
    }

    /** The parent's DS RRset of the zone when every parent server serves the same one and it validates. */
    private Optional<ServedKeys.ParentDs> parentDs(Name origin, KeyPolicy policy, List<ZoneKey> keys) {
        Name parent = origin(policy.parent());
        List<NameServer> configured =
                ZoneServers.configured(Nameserver.of(policy.parentNameservers()), observers.dns());
        List<NameServer> servers = observers.authorities().servers(parent, configured);
        if (servers.isEmpty()) {
            return Optional.empty();
        }
        DnsAnswer validated = observers.dns().lookup(origin, Type.DS);
        if (validated.security() != DnsAnswer.Security.SECURE) {
            return Optional.empty();
        }
        ServedKeys.ParentDs seen = dsOf(validated.records(), keys);
        Duration ttl = seen.ttl();
        for (ServerAnswer a : observers.authorities().askAll(servers, origin, Type.DS)) {
            if (!a.answered()) {
                return Optional.empty();
            }
            ServedKeys.ParentDs at = dsOf(a.records(), keys);
            if (!at.keys().equals(seen.keys()) || at.others() != seen.others()) {
                return Optional.empty();
            }
            ttl = ttl.compareTo(at.ttl()) >= 0 ? ttl : at.ttl();
        }
        return Optional.of(new ServedKeys.ParentDs(seen.keys(), seen.others(), ttl));
    }

    private static ServedKeys.ParentDs dsOf(List<Record> records, List<ZoneKey> keys) {
        Set<KeyId> matched = new HashSet<>();
        int others = 0;
        long ttl = 0;
        for (Record r : records) {
            if (!(r instanceof DSRecord ds)) {
                continue;
            }
            ttl = Math.max(ttl, r.getTTL());
            Optional<ZoneKey> key = keys.stream().filter(k -> matches(ds, k)).findFirst();
            if (key.isPresent()) {
                matched.add(KeyId.of(key.get()));
            } else {
                others++;
            }
        }
        return new ServedKeys.ParentDs(matched, others, Duration.ofSeconds(ttl));
    }

    private static boolean matches(DSRecord ds, ZoneKey key) {
        if (ds.getFootprint() != key.keyTag()
                || ds.getAlgorithm() != key.algorithm().number()) {
            return false;
        }
        try {
            DSRecord expected = new DSRecord(key.zone(), DClass.IN, 0, ds.getDigestID(), key.dnskey());
            return Arrays.equals(expected.getDigest(), ds.getDigest());
        } catch (IllegalArgumentException e) {
            return false; // a digest type dnsjava does not know cannot be checked, so it does not count
        }
    }

    private static boolean containsKey(List<Record> records, ZoneKey key) {
        byte[] wanted = key.dnskey().getKey();
        for (Record r : records) {
            if (r instanceof DNSKEYRecord d
                    && d.getType() == Type.DNSKEY
                    && d.getAlgorithm() == key.algorithm().number()
                    && d.getFlags() == key.flags()
                    && Arrays.equals(d.getKey(), wanted)) {
                return true;
            }
        }
        return false;
    }

    private static boolean signedBy(List<RRSIGRecord> signatures, KeyId id) {
        return signatures.stream().anyMatch(s -> s.getFootprint() == id.tag() && s.getAlgorithm() == id.algorithm());
    }
}
