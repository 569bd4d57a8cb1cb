package org.mxpolicy.keyroll;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.mxpolicy.config.KeyPolicy;
import org.mxpolicy.dnssec.DnssecAlgorithm;
import org.mxpolicy.dnssec.KeyGenerator;
import org.mxpolicy.dnssec.KeyState;
import org.mxpolicy.dnssec.ZoneKey;
import org.xbill.DNS.Name;

/**
 * A zone, its servers and its parent in memory, for the machine's tests: the key directory, a
 * signer that serves every published key and the signatures of every active key at once, and a
 * parent whose DS RRset the test sets, as a registry would. Time only moves when the test moves it.
 */
final class KeyWorld {

    static final String ZONE = "example.test";
    static final Name ORIGIN = Name.fromConstantString(ZONE + ".");
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    final KeyPolicy policy;
    final List<ZoneKey> keys = new ArrayList<>();
    final KeyRollMachine machine = new KeyRollMachine();
    KeyRollState state = KeyRollState.empty(ZONE, T0);
    Instant now = T0;
    /** The parent's DS RRset; empty: the parent shows none consistently (changing, or not asked). */
    Optional<Set<KeyId>> parentDs = Optional.of(Set.of());

    /** The keys as the last complete run published them: a run cut short publishes nothing. */
    List<ZoneKey> published = List.of();

    private final KeyGenerator generator;

    KeyWorld(KeyPolicy policy) {
        this(policy, 20L);
    }

    /** @param seed of the keys it makes: worlds with the same seed make the same keys in the same order */
    KeyWorld(KeyPolicy policy, long seed) {
        this.policy = policy;
        try {
            SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
            random.setSeed(seed);
            generator = new KeyGenerator(random);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A policy with short, distinct durations, so each wait can be told from the others. */
    static KeyPolicy policy(boolean csk) {
        return new KeyPolicy(
                DnssecAlgorithm.ECDSAP256SHA256,
                csk,
                Duration.ofDays(30),
                Optional.of(Duration.ofDays(365)),
                300,
                Duration.ofSeconds(3600),
                Duration.ofSeconds(60),
                "test",
                List.of(),
                Duration.ofSeconds(900),
                Duration.ofSeconds(120),
                Duration.ofDays(7),
                Duration.ofDays(14),
                Duration.ofDays(7),
                null);
    }

    /** What the servers show now: the keys as the signer used them at the last complete {@link #run}. */
    ServedKeys served() {
        Set<KeyId> published = new HashSet<>();
        Set<KeyId> unsigned = new HashSet<>();
        for (ZoneKey k : this.published) {
            KeyState s = k.timing().stateAt(now);
            if (s.published()) {
                published.add(KeyId.of(k));
            }
            if (!s.signs()) {
                unsigned.add(KeyId.of(k));
            }
        }
        return new ServedKeys(
                published,
                Duration.ofSeconds(policy.dnskeyTtl()),
                unsigned,
                parentDs.map(ds -> new ServedKeys.ParentDs(ds, 0, policy.dsTtl())));
    }

    /** One {@code keys run}: decide, save, carry out every action. */
    KeyRollMachine.Decision run() {
        return run(Integer.MAX_VALUE);
    }

    /** A run that crashes after {@code carriedOut} actions (the state is saved first, as the run does). */
    KeyRollMachine.Decision run(int carriedOut) {
        KeyRollMachine.Decision d = decide();
        state = d.state();
        for (int i = 0; i < Math.min(carriedOut, d.actions().size()); i++) {
            apply(d.actions().get(i));
        }
        if (carriedOut >= d.actions().size()) {
            published = List.copyOf(keys);
        }
        return d;
    }

    KeyRollMachine.Decision decide() {
        return machine.decide(ZONE, policy, List.copyOf(keys), state, served(), now);
    }

    void apply(KeyAction action) {
        if (action instanceof KeyAction.NewKey n) {
            keys.add(generator
                    .generate(ORIGIN, n.algorithm(), n.role().flags(), 2048, n.ttl())
                    .withTiming(n.timing()));
        } else if (action instanceof KeyAction.SetTime t) {
            for (int i = 0; i < keys.size(); i++) {
                ZoneKey k = keys.get(i);
                if (KeyId.of(k).equals(t.key())) {
                    keys.set(i, k.withTiming(k.timing().with(t.event(), t.time())));
                }
            }
        }
    }

    void advance(Duration d) {
        now = now.plus(d);
    }

    ZoneKey key(KeyId id) {
        return keys.stream().filter(k -> KeyId.of(k).equals(id)).findFirst().orElseThrow();
    }

    List<ZoneKey> inState(KeyState s) {
        return keys.stream().filter(k -> k.timing().stateAt(now) == s).toList();
    }

    /** The keys whose CDS the signer publishes now. */
    Set<KeyId> cds() {
        Set<KeyId> out = new HashSet<>();
        for (ZoneKey k : keys) {
            if (k.isKsk() && k.timing().stateAt(now).published() && k.timing().syncedAt(now)) {
                out.add(KeyId.of(k));
            }
        }
        return out;
    }
}
