package org.mxpolicy.keyroll;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.mxpolicy.dnssec.DnssecAlgorithm;
import org.mxpolicy.dnssec.KeyState;
import org.mxpolicy.dnssec.KeyTiming;
import org.mxpolicy.dnssec.KeyTiming.Event;
import org.mxpolicy.dnssec.ZoneKey;

class KeyRollMachineTest {

    // the policy of KeyWorld: DNSKEY TTL 300 s, largest TTL 3600 s, propagation 60 s, DS TTL 900 s,
    // parent propagation 120 s; a wait is seen-since + 2 x TTL + margin
    private static final Duration DNSKEY_WAIT = Duration.ofSeconds(2 * 300 + 60);
    private static final Duration RETIRE_WAIT = Duration.ofSeconds(2 * 3600 + 60);
    private static final Duration DS_WAIT = Duration.ofSeconds(2 * 900 + 120);
    private static final Duration SECOND = Duration.ofSeconds(1);

    @Test
    void anUnsignedZoneGetsItsFirstKeysActiveAtOnceWithCdsForTheFirstDs() {
        KeyWorld csk = new KeyWorld(KeyWorld.policy(true));
        KeyRollMachine.Decision d = csk.run();
        assertThat(d.actions()).hasSize(1);
        KeyAction.NewKey key = (KeyAction.NewKey) d.actions().get(0);
        assertThat(key.role()).isEqualTo(KeyRole.CSK);
        assertThat(key.timing().get(Event.PUBLISH)).contains(KeyWorld.T0);
        assertThat(key.timing().get(Event.ACTIVATE)).contains(KeyWorld.T0);
        assertThat(key.timing().get(Event.SYNC_PUBLISH)).contains(KeyWorld.T0);

        KeyWorld split = new KeyWorld(KeyWorld.policy(false));
        split.run();
        assertThat(split.keys).extracting(ZoneKey::isKsk).containsExactlyInAnyOrder(true, false);
        assertThat(split.cds()).hasSize(1);
        assertThat(split.key(split.cds().iterator().next()).isKsk()).isTrue();
    }

    @Test
    void cdsIsWithdrawnOnceTheParentServesExactlyTheKeysDs() {
        KeyWorld w = new KeyWorld(KeyWorld.policy(true));
        w.run();
        KeyId csk = KeyId.of(w.keys.get(0));
        w.advance(SECOND);
        w.parentDs = Optional.of(Set.of(csk, new KeyId(13, 1))); // another DS still there: not yet
        assertThat(w.run().actions()).isEmpty();
        w.parentDs = Optional.empty(); // the parent's servers disagree: not yet
        assertThat(w.run().actions()).isEmpty();
        w.parentDs = Optional.of(Set.of(csk));
        KeyRollMachine.Decision d = w.run();
        assertThat(d.actions())
                .singleElement()
                .isEqualTo(new KeyAction.SetTime(
                        csk, Event.SYNC_DELETE, Optional.of(w.now), "the parent serves exactly its DS; CDS withdrawn"));
        assertThat(w.cds()).isEmpty();
    }

    @Test
    void aZoneSigningKeyRollsByPrePublicationWithEachWaitFromTheTimeItWasSeen() {
        KeyWorld w = signedSplitZone();
        ZoneKey old = zsk(w, KeyState.ACTIVE);
        Instant start = old.timing()
                .get(Event.ACTIVATE)
                .orElseThrow()
                .plus(Duration.ofDays(30))
                .minus(DNSKEY_WAIT);

        w.now = start.minus(SECOND);
        KeyRollMachine.Decision before = w.run();
        assertThat(before.actions()).isEmpty();
        assertThat(status(before, old).next()).isEqualTo("successor published at " + start);
        assertThat(status(before, old).nextAt()).contains(start);

        w.now = start;
        KeyAction.NewKey publish = (KeyAction.NewKey) w.run().actions().get(0);
        assertThat(publish.role()).isEqualTo(KeyRole.ZSK);
        assertThat(publish.timing().get(Event.PUBLISH)).contains(start);
        assertThat(publish.timing().get(Event.ACTIVATE)).isEmpty();
        ZoneKey next = zsk(w, KeyState.PUBLISHED);

        // the run after the signer published it sees its DNSKEY: the wait starts then
        w.advance(Duration.ofMinutes(15));
        Instant seen = w.now;
        KeyRollMachine.Decision waiting = w.run();
        assertThat(waiting.actions()).isEmpty();
        assertThat(status(waiting, next).phase()).isEqualTo(KeyPhase.PUBLISHED);
        assertThat(status(waiting, next).nextAt()).contains(seen.plus(DNSKEY_WAIT));
        w.now = seen.plus(DNSKEY_WAIT).minus(SECOND);
        assertThat(w.run().actions()).isEmpty();

        w.now = seen.plus(DNSKEY_WAIT);
        assertThat(w.run().actions())
                .containsExactly(
                        new KeyAction.SetTime(
                                KeyId.of(next), Event.ACTIVATE, Optional.of(w.now), "its DNSKEY is in every cache"),
                        new KeyAction.SetTime(
                                KeyId.of(old), Event.INACTIVE, Optional.of(w.now), next.baseName() + " signs instead"));
        assertThat(zsk(w, KeyState.ACTIVE).keyTag()).isEqualTo(next.keyTag());

        // the old key stays published until no cache can hold its signatures
        w.advance(Duration.ofMinutes(5));
        Instant gone = w.now;
        KeyRollMachine.Decision retiring = w.run();
        assertThat(retiring.actions()).isEmpty();
        assertThat(status(retiring, old).phase()).isEqualTo(KeyPhase.RETIRED);
        assertThat(status(retiring, old).nextAt()).contains(gone.plus(RETIRE_WAIT));
        w.now = gone.plus(RETIRE_WAIT).minus(SECOND);
        assertThat(w.run().actions()).isEmpty();
        w.now = gone.plus(RETIRE_WAIT);
        assertThat(w.run().actions())
                .containsExactly(new KeyAction.SetTime(
                        KeyId.of(old), Event.DELETE, Optional.of(w.now), "no cache can hold its signatures any more"));
        assertThat(w.key(KeyId.of(old)).timing().stateAt(w.now)).isEqualTo(KeyState.DELETED);
        assertThat(w.run().actions()).isEmpty();
    }

    @Test
    void aWaitStartsOverWhenWhatWasSeenIsNotSeenAnyMore() {
        KeyWorld w = signedSplitZone();
        w.now = zsk(w, KeyState.ACTIVE)
                .timing()
                .get(Event.ACTIVATE)
                .orElseThrow()
                .plus(Duration.ofDays(30));
        w.run();
        ZoneKey next = zsk(w, KeyState.PUBLISHED);
        w.run();
        Instant first = w.now;
        w.advance(DNSKEY_WAIT.minus(SECOND));
        // one run where a server did not serve it
        KeyRollMachine.Decision lost = w.machine.decide(
                KeyWorld.ZONE,
                w.policy,
                w.keys,
                w.state,
                new ServedKeys(Set.of(), Duration.ZERO, Set.of(), Optional.empty()),
                w.now);
        w.state = lost.state();
        assertThat(w.state.sighting(Sighting.Kind.DNSKEY_SERVED, KeyId.of(next)))
                .isEmpty();
        w.now = first.plus(DNSKEY_WAIT);
        KeyRollMachine.Decision again = w.run();
        assertThat(again.actions()).isEmpty();
        assertThat(status(again, next).nextAt()).contains(w.now.plus(DNSKEY_WAIT));
    }

    @Test
    void aCombinedKeyRollsByDoubleDsWithTheParentActingOnCds() {
        KeyWorld w = new KeyWorld(KeyWorld.policy(true));
        w.run();
        ZoneKey old = w.keys.get(0);
        w.parentDs = Optional.of(w.cds()); // the registry
        w.advance(SECOND);
        w.run();
        assertThat(w.cds()).isEmpty();

        Duration lead = DNSKEY_WAIT.plus(DS_WAIT);
        w.now = KeyWorld.T0.plus(Duration.ofDays(365)).minus(lead);
        KeyRollMachine.Decision publish = w.run();
        assertThat(publish.actions()).singleElement().isInstanceOf(KeyAction.NewKey.class);
        ZoneKey next = w.keys.stream()
                .filter(k -> k.keyTag() != old.keyTag())
                .findFirst()
                .orElseThrow();
        assertThat(next.timing().stateAt(w.now)).isEqualTo(KeyState.PUBLISHED);
        assertThat(w.cds()).isEmpty();

        w.run(); // its DNSKEY is seen
        Instant seen = w.now;
        w.now = seen.plus(DNSKEY_WAIT);
        KeyRollMachine.Decision cds = w.run();
        // the key in use first: CDS naming only the new key would have the parent drop the DS in use
        assertThat(cds.actions())
                .extracting(a -> ((KeyAction.SetTime) a).key(), a -> ((KeyAction.SetTime) a).event())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(KeyId.of(old), Event.SYNC_PUBLISH),
                        org.assertj.core.groups.Tuple.tuple(KeyId.of(old), Event.SYNC_DELETE),
                        org.assertj.core.groups.Tuple.tuple(KeyId.of(next), Event.SYNC_PUBLISH));
        assertThat(w.cds()).containsExactlyInAnyOrder(KeyId.of(old), KeyId.of(next));
        assertThat(status(cds, next).phase()).isEqualTo(KeyPhase.DS_PENDING);

        // until the parent serves the new DS, nothing moves, however long it takes
        w.advance(Duration.ofDays(3));
        KeyRollMachine.Decision waiting = w.run();
        assertThat(waiting.actions()).isEmpty();
        assertThat(status(waiting, next).next()).startsWith("waiting for every server of the parent (test)");
        assertThat(status(waiting, next).nextAt()).isEmpty();

        w.parentDs = Optional.of(w.cds());
        w.run();
        Instant dsSeen = w.now;
        w.now = dsSeen.plus(DS_WAIT).minus(SECOND);
        assertThat(w.run().actions()).isEmpty();
        w.now = dsSeen.plus(DS_WAIT);
        KeyRollMachine.Decision swap = w.run();
        assertThat(swap.actions())
                .extracting(a -> ((KeyAction.SetTime) a).key(), a -> ((KeyAction.SetTime) a).event())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(KeyId.of(next), Event.ACTIVATE),
                        org.assertj.core.groups.Tuple.tuple(KeyId.of(old), Event.INACTIVE),
                        org.assertj.core.groups.Tuple.tuple(KeyId.of(old), Event.SYNC_DELETE));
        assertThat(w.cds()).containsExactly(KeyId.of(next));

        // the registry drops the old DS; CDS goes once the parent serves exactly the new one
        w.parentDs = Optional.of(w.cds());
        w.advance(SECOND);
        KeyRollMachine.Decision settled = w.run();
        assertThat(settled.actions())
                .singleElement()
                .isEqualTo(new KeyAction.SetTime(
                        KeyId.of(next),
                        Event.SYNC_DELETE,
                        Optional.of(w.now),
                        "the parent serves exactly its DS; CDS withdrawn"));
        Instant gone = w.now;
        w.now = gone.plus(RETIRE_WAIT);
        assertThat(w.run().actions())
                .singleElement()
                .extracting(a -> ((KeyAction.SetTime) a).event())
                .isEqualTo(Event.DELETE);
        assertThat(w.inState(KeyState.ACTIVE)).extracting(ZoneKey::keyTag).containsExactly(next.keyTag());
        assertThat(w.cds()).isEmpty();
    }

    @Test
    void aParentThatDropsTheDsInUseEarlyMakesTheSuccessorSignAtOnce() {
        KeyWorld w = new KeyWorld(KeyWorld.policy(true));
        w.run();
        ZoneKey old = w.keys.get(0);
        w.parentDs = Optional.of(w.cds());
        w.now = KeyWorld.T0.plus(Duration.ofDays(365));
        w.run();
        w.run();
        w.advance(DNSKEY_WAIT);
        w.run();
        ZoneKey next = w.keys.get(1);
        w.parentDs = Optional.of(Set.of(KeyId.of(next))); // a registry that replaced the DS instead of adding
        w.advance(SECOND);
        KeyRollMachine.Decision d = w.run();
        assertThat(d.actions())
                .first()
                .isEqualTo(new KeyAction.SetTime(
                        KeyId.of(next),
                        Event.ACTIVATE,
                        Optional.of(w.now),
                        "the parent dropped the DS of the key in use"));
        assertThat(w.key(KeyId.of(old)).timing().stateAt(w.now)).isEqualTo(KeyState.INACTIVE);
    }

    @Test
    void aKeySigningKeyWithoutLifetimeIsRolledOnlyByHand() {
        KeyWorld w = new KeyWorld(new org.mxpolicy.config.KeyPolicy(
                DnssecAlgorithm.ECDSAP256SHA256,
                false,
                Duration.ofDays(30),
                Optional.empty(),
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
                null));
        w.run();
        w.parentDs = Optional.of(w.cds());
        w.now = KeyWorld.T0.plus(Duration.ofDays(3650));
        KeyRollMachine.Decision d = w.run();
        ZoneKey ksk = w.keys.stream().filter(ZoneKey::isKsk).findFirst().orElseThrow();
        assertThat(status(d, ksk).next()).isEqualTo("rolled by hand (no ksk_lifetime)");
        assertThat(d.actions()).noneMatch(a -> a instanceof KeyAction.NewKey n && n.role() == KeyRole.KSK);
    }

    @Test
    void keysThePolicyDoesNotDescribeAreLeftAloneAndNamed() {
        KeyWorld w = new KeyWorld(KeyWorld.policy(true));
        KeyWorld rsa = new KeyWorld(new org.mxpolicy.config.KeyPolicy(
                DnssecAlgorithm.ED25519,
                true,
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
                null));
        rsa.run();
        w.keys.addAll(rsa.keys);
        KeyRollMachine.Decision d = w.run();
        assertThat(d.actions()).isEmpty();
        assertThat(d.notes()).singleElement().asString().contains("not carried out by keys run");
        assertThat(d.statuses()).singleElement().extracting(KeyStatus::phase).isEqualTo(KeyPhase.UNMANAGED);
    }

    @Test
    void aKeyWithoutTimingHasItsLifetimeCountedFromTheFirstRun() {
        KeyWorld w = new KeyWorld(KeyWorld.policy(true));
        w.run();
        ZoneKey k = w.keys.get(0);
        w.keys.set(0, k.withTiming(KeyTiming.NONE));
        w.advance(Duration.ofDays(400));
        KeyRollMachine.Decision d = w.run();
        assertThat(d.actions())
                .containsExactly(new KeyAction.SetTime(
                        KeyId.of(k), Event.ACTIVATE, Optional.of(w.now), "its lifetime is counted from now"));
    }

    /**
     * A run that stops after any number of its actions, followed by a complete run, ends where a
     * complete run ends, and the zone is never without a signing key of each role, nor with CDS
     * naming only a key that does not sign while another does.
     */
    @Test
    void aRunCutShortAfterAnyActionEndsWhereACompleteRunEnds() {
        for (boolean csk : new boolean[] {true, false}) {
            walk(csk, w -> {});
            for (int step = 0; step < 60; step++) {
                int crashAt = step;
                walk(csk, new Consumer<>() {
                    int runs;

                    @Override
                    public void accept(KeyWorld w) {
                        if (runs++ != crashAt) {
                            return;
                        }
                        KeyRollMachine.Decision d = w.decide();
                        for (int i = 0; i < d.actions().size(); i++) {
                            KeyWorld copy = copy(w);
                            copy.run(i);
                            assertSafe(copy);
                            copy.run();
                            KeyWorld whole = copy(w);
                            whole.run();
                            assertThat(timings(copy))
                                    .as("crash after action " + i)
                                    .isEqualTo(timings(whole));
                        }
                    }
                });
            }
        }
    }

    /** A whole rollover of every key role with the registry acting on CDS; {@code beforeRun} sees each run. */
    private static void walk(boolean csk, Consumer<KeyWorld> beforeRun) {
        KeyWorld w = new KeyWorld(KeyWorld.policy(csk));
        for (int i = 0; i < 60; i++) {
            beforeRun.accept(w);
            w.run();
            assertSafe(w);
            w.parentDs = Optional.of(w.cds().isEmpty() ? currentDs(w) : w.cds());
            w.advance(i == 2 ? Duration.ofDays(330) : Duration.ofMinutes(i < 10 ? 10 : 40));
            if (i == 25) {
                w.advance(Duration.ofDays(40));
            }
        }
        assertThat(w.keys.stream().filter(k -> k.timing().stateAt(w.now) == KeyState.DELETED))
                .as("old keys of every role removed")
                .extracting(ZoneKey::isKsk)
                .contains(true)
                .contains(csk ? true : false);
    }

    private static Set<KeyId> currentDs(KeyWorld w) {
        return w.parentDs.orElse(Set.of());
    }

    private static void assertSafe(KeyWorld w) {
        if (w.served().dnskeys().isEmpty()) {
            return; // nothing published yet: no cache can hold the zone's keys
        }
        for (boolean sep : new boolean[] {true, false}) {
            if (w.policy.csk() && !sep || w.keys.isEmpty()) {
                continue;
            }
            assertThat(w.keys.stream()
                            .filter(k -> k.isKsk() == sep && k.timing().stateAt(w.now) == KeyState.ACTIVE))
                    .as("an active key of each role at " + w.now)
                    .isNotEmpty();
        }
        Set<KeyId> cds = w.cds();
        if (!cds.isEmpty()) {
            assertThat(cds.stream().anyMatch(id -> w.key(id).timing().stateAt(w.now) == KeyState.ACTIVE))
                    .as("CDS names a key that signs")
                    .isTrue();
        }
    }

    private static KeyWorld copy(KeyWorld w) {
        KeyWorld c = new KeyWorld(w.policy, w.now.getEpochSecond());
        c.keys.addAll(w.keys);
        c.state = w.state;
        c.now = w.now;
        c.parentDs = w.parentDs;
        c.published = w.published;
        return c;
    }

    private static Map<Integer, KeyTiming> timings(KeyWorld w) {
        return w.keys.stream().collect(Collectors.toMap(ZoneKey::keyTag, ZoneKey::timing));
    }

    private static KeyWorld signedSplitZone() {
        KeyWorld w = new KeyWorld(KeyWorld.policy(false));
        w.run();
        w.parentDs = Optional.of(w.cds());
        w.advance(SECOND);
        w.run();
        return w;
    }

    private static ZoneKey zsk(KeyWorld w, KeyState state) {
        return w.keys.stream()
                .filter(k -> !k.isKsk() && k.timing().stateAt(w.now) == state)
                .findFirst()
                .orElseThrow();
    }

    private static KeyStatus status(KeyRollMachine.Decision d, ZoneKey k) {
        return d.statuses().stream()
                .filter(s -> s.key().equals(KeyId.of(k)))
                .findFirst()
                .orElseThrow();
    }
}
