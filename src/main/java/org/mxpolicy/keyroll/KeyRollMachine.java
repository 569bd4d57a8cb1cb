package org.mxpolicy.keyroll;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.mxpolicy.config.KeyPolicy;
import org.mxpolicy.dnssec.KeyState;
import org.mxpolicy.dnssec.KeyTiming;
import org.mxpolicy.dnssec.KeyTiming.Event;
import org.mxpolicy.dnssec.ZoneKey;
import org.mxpolicy.finding.MessageText;
import org.mxpolicy.rollover.RolloverGate;

/**
 * The decisions of a zone's key rollovers: the zone's keys (with their timing), what was seen
 * before and what is seen now in, the changes to the key files out. Pure: time is an argument, and
 * every decision follows from the keys, the state and the observation alone, so a run after a
 * crash makes the decisions the crashed run had not carried out yet.
 *
 * <p>Each step sets a timing field to "now" only once the DNS shows that the step before it has
 * reached every server and caches have had time to take it in ({@link RolloverGate}: seen on every
 * server since a time, then twice the TTL plus a margin). The steps, after RFC 7583:
 *
 * <ul>
 *   <li>Zone-signing key, pre-publication (section 3.2.1): the successor is published
 *       (Publish); once its DNSKEY is served and the DNSKEY TTL has passed, it signs (Activate) and
 *       the old key stops (Inactive); once no server has the old key's signatures and the largest
 *       TTL of the zone has passed, the old key goes (Delete).
 *   <li>Key-signing or combined key, double-DS (section 3.3.2) driven by CDS (RFC 7344): the
 *       successor is published; once its DNSKEY is cached, CDS and CDNSKEY name both keys
 *       (SyncPublish) so that the parent serves both DS records; once every parent server has
 *       served the new DS for the DS TTL, the successor signs and the old key stops, and CDS names
 *       the new key only (the old key's SyncDelete); the old key goes as a zone-signing key does.
 *       Once the parent serves exactly the new key's DS, CDS is withdrawn (SyncDelete): CDS
 *       is published only while the parent has something to do. The RFC 8078 delete signal
 *       ({@code 0 0 0 00}) is never published: it would make the zone insecure.
 * </ul>
 */
public final class KeyRollMachine {

    /**
     * What one run decides.
     *
     * @param state the state to save (what is seen now, since when)
     * @param actions the changes to the key files, to be carried out in this order
     * @param statuses every key of the zone, where it stands and what comes next
     * @param notes what the policy asks and this run does not carry out, for the operator
     */
    public record Decision(KeyRollState state, List<KeyAction> actions, List<KeyStatus> statuses, List<String> notes) {}

    /** Decides a run of {@code zone} at {@code now}. */
    public Decision decide(
            String zone, KeyPolicy policy, List<ZoneKey> keys, KeyRollState saved, ServedKeys served, Instant now) {
        KeyRollState state = new KeyRollState(zone, sightings(keys, saved, served, now), now);
        Run run = new Run(policy, keys, state, served, now);
        run.decide();
        return new Decision(state, List.copyOf(run.actions), run.statuses(), List.copyOf(run.notes));
    }

    /** The sightings of this run: those seen before and still seen keep their start, new ones start now. */
    private static List<Sighting> sightings(List<ZoneKey> keys, KeyRollState saved, ServedKeys served, Instant now) {
        Set<KeyId> ids = keys.stream().map(KeyId::of).collect(Collectors.toSet());
        List<Sighting> out = new ArrayList<>();
        for (KeyId id : ids) {
            if (served.dnskeys().contains(id)) {
                out.add(keep(saved, Sighting.Kind.DNSKEY_SERVED, id, served.dnskeyTtl(), now));
            }
            if (served.unsigned().contains(id)) {
                out.add(keep(saved, Sighting.Kind.SIGNATURES_GONE, id, Duration.ZERO, now));
            }
            if (served.parentDs().isPresent() && served.parentDs().get().keys().contains(id)) {
                out.add(keep(
                        saved,
                        Sighting.Kind.DS_SERVED,
                        id,
                        served.parentDs().get().ttl(),
                        now));
            }
        }
        return out;
    }

    private static Sighting keep(KeyRollState saved, Sighting.Kind kind, KeyId id, Duration ttl, Instant now) {
        return saved.sighting(kind, id)
                .map(s -> new Sighting(kind, id, s.since(), max(s.ttl(), ttl)))
                .orElse(new Sighting(kind, id, now, ttl));
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** One run's working state. */
    private static final class Run {
        private final KeyPolicy policy;
        private final List<ZoneKey> keys;
        private final KeyRollState state;
        private final ServedKeys served;
        private final Instant now;
        private final List<KeyAction> actions = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();
        private final List<KeyStatus> statuses = new ArrayList<>();

        Run(KeyPolicy policy, List<ZoneKey> keys, KeyRollState state, ServedKeys served, Instant now) {
            this.policy = policy;
            this.keys = keys;
            this.state = state;
            this.served = served;
            this.now = now;
        }

        private List<KeyRole> roles() {
            return policy.csk() ? List.of(KeyRole.CSK) : List.of(KeyRole.KSK, KeyRole.ZSK);
        }

        private boolean managed(ZoneKey k) {
            return k.privateKey().isPresent()
                    && k.algorithm() == policy.algorithm()
                    && roles().contains(KeyRole.of(k, policy.csk()))
                    && k.timing().get(Event.REVOKE).isEmpty();
        }

        private KeyState stateOf(ZoneKey k) {
            return k.timing().stateAt(now);
        }

        void decide() {
            List<ZoneKey> live = keys.stream()
                    .filter(k -> k.privateKey().isPresent() && stateOf(k).published())
                    .toList();
            for (ZoneKey k : keys) {
                if (!managed(k)) {
                    status(k, KeyPhase.UNMANAGED, unmanagedReason(k), Optional.empty());
                }
            }
            List<ZoneKey> liveOther = live.stream().filter(k -> !managed(k)).toList();
            if (!liveOther.isEmpty()) {
                notes.add("keys the policy does not describe are in use ("
                        + liveOther.stream().map(ZoneKey::baseName).collect(Collectors.joining(", "))
                        + "; the policy asks for " + describePolicy() + "): changing the algorithm or the key roles"
                        + " of a signed zone is not carried out by keys run; roll them by hand (keygen, then"
                        + " dnssec-settime) or change the policy back");
            }
            if (liveOther.isEmpty()
                    && live.stream().noneMatch(k -> served.dnskeys().contains(KeyId.of(k)))) {
                // no DNSKEY of the zone is served yet, so no cache holds one: the first keys are
                // published and sign at once (a role whose key a crashed run made already keeps it),
                // and CDS asks the parent for the first DS
                for (KeyRole role : roles()) {
                    if (live.stream().anyMatch(k -> managed(k) && KeyRole.of(k, policy.csk()) == role)) {
                        continue;
                    }
                    KeyTiming timing = KeyTiming.createdAt(now);
                    if (role.secureEntryPoint()) {
                        timing = timing.with(Event.SYNC_PUBLISH, now);
                    }
                    actions.add(new KeyAction.NewKey(
                            role,
                            policy.algorithm(),
                            policy.dnskeyTtl(),
                            timing,
                            "to sign the zone for the first time"));
                }
                if (!actions.isEmpty()) {
                    return;
                }
            }
            for (KeyRole role : roles()) {
                List<ZoneKey> ofRole = keys.stream()
                        .filter(this::managed)
                        .filter(k -> KeyRole.of(k, policy.csk()) == role)
                        .toList();
                role(role, ofRole, liveOther.isEmpty());
            }
        }

        private String describePolicy() {
            return policy.algorithm().mnemonic() + " " + (policy.csk() ? "csk" : "ksk+zsk");
        }

        private String unmanagedReason(ZoneKey k) {
            if (k.privateKey().isEmpty()) {
                return "published as it is (no private key)";
            }
            if (k.algorithm() != policy.algorithm()) {
                return "algorithm " + k.algorithm().mnemonic() + ", the policy's is "
                        + policy.algorithm().mnemonic();
            }
            if (k.timing().get(Event.REVOKE).isPresent()) {
                return "revoked; left as its timing says";
            }
            return "a " + KeyRole.of(k, !policy.csk()).words() + ", the policy has " + describePolicy();
        }

        private void role(KeyRole role, List<ZoneKey> ofRole, boolean mayStart) {
            List<ZoneKey> active = ofRole.stream()
                    .filter(k -> stateOf(k) == KeyState.ACTIVE)
                    .sorted(Comparator.comparing((ZoneKey k) ->
                                    k.timing().get(Event.ACTIVATE).orElse(Instant.EPOCH))
                            .thenComparing(ZoneKey::keyTag))
                    .toList();
            List<ZoneKey> successors = ofRole.stream()
                    .filter(k -> stateOf(k) == KeyState.PUBLISHED
                            && k.timing().get(Event.ACTIVATE).isEmpty())
                    .toList();
            for (ZoneKey k : ofRole) {
                Optional<Instant> syncDelete = k.timing().get(Event.SYNC_DELETE);
                if (syncDelete.isPresent()
                        && k.timing()
                                .get(Event.SYNC_PUBLISH)
                                .filter(syncDelete.get()::isBefore)
                                .isPresent()) {
                    // left by a run cut short as CDS was published again; without effect, so tidied away
                    actions.add(new KeyAction.SetTime(
                            KeyId.of(k), Event.SYNC_DELETE, Optional.empty(), "CDS was published again since"));
                }
                switch (stateOf(k)) {
                    case INACTIVE -> retiring(role, k);
                    case DELETED -> status(k, KeyPhase.REMOVED, "none", Optional.empty());
                    case UNPUBLISHED ->
                        status(
                                k,
                                KeyPhase.UNMANAGED,
                                "published at "
                                        + k.timing()
                                                .get(Event.PUBLISH)
                                                .map(MessageText::instant)
                                                .orElse("no time") + ", as its timing says",
                                k.timing().get(Event.PUBLISH));
                    case PUBLISHED -> {
                        if (!successors.contains(k)) {
                            status(
                                    k,
                                    KeyPhase.PUBLISHED,
                                    "signs from "
                                            + MessageText.instant(k.timing()
                                                    .get(Event.ACTIVATE)
                                                    .orElseThrow()) + ", as its timing says",
                                    k.timing().get(Event.ACTIVATE));
                        }
                    }
                    default -> {}
                }
            }
            if (active.isEmpty()) {
                if (successors.isEmpty() && mayStart) {
                    notes.add("no " + role.words() + " is active or waiting; the zone cannot be signed as the policy"
                            + " asks (make one with: mxpolicy keygen"
                            + (role == KeyRole.CSK ? "" : " --" + role.name().toLowerCase(java.util.Locale.ROOT))
                            + ")");
                    return;
                }
            }
            // a switch cut short after the successor started signing: the older keys stop now
            for (int i = 0; i < active.size() - 1; i++) {
                ZoneKey older = active.get(i);
                actions.add(new KeyAction.SetTime(
                        KeyId.of(older), Event.INACTIVE, Optional.of(now), "a newer " + role.words() + " signs"));
                if (role.secureEntryPoint() && older.timing().syncedAt(now)) {
                    actions.add(new KeyAction.SetTime(
                            KeyId.of(older), Event.SYNC_DELETE, Optional.of(now), "CDS names the newer key only"));
                }
                status(older, KeyPhase.RETIRED, "stops signing now", Optional.of(now));
            }
            Optional<ZoneKey> current =
                    active.isEmpty() ? Optional.empty() : Optional.of(active.get(active.size() - 1));
            current.filter(k -> k.timing().get(Event.ACTIVATE).isEmpty())
                    .ifPresent(k -> actions.add(new KeyAction.SetTime(
                            KeyId.of(k), Event.ACTIVATE, Optional.of(now), "its lifetime is counted from now")));
            if (successors.isEmpty()) {
                current.ifPresent(k -> steady(role, k, ofRole, mayStart));
                return;
            }
            ZoneKey successor = successors.stream()
                    .min(Comparator.comparing(
                                    (ZoneKey k) -> k.timing().get(Event.PUBLISH).orElse(Instant.EPOCH))
                            .thenComparing(ZoneKey::keyTag))
                    .orElseThrow();
            current.ifPresent(k -> status(k, KeyPhase.ACTIVE, "replaced by " + successor.baseName(), Optional.empty()));
            if (role.secureEntryPoint()) {
                sepSuccessor(role, successor, current);
            } else {
                zskSuccessor(successor, current);
            }
        }

        /** No successor: start one when the current key's time is up; withdraw CDS the parent has acted on. */
        private void steady(KeyRole role, ZoneKey current, List<ZoneKey> ofRole, boolean mayStart) {
            Optional<Duration> lifetime =
                    role == KeyRole.ZSK ? Optional.of(policy.zskLifetime()) : policy.kskLifetime();
            if (role.secureEntryPoint() && current.timing().syncedAt(now)) {
                Optional<ServedKeys.ParentDs> ds = served.parentDs();
                if (ds.isPresent()
                        && ds.get().keys().equals(Set.of(KeyId.of(current)))
                        && ds.get().others() == 0) {
                    actions.add(new KeyAction.SetTime(
                            KeyId.of(current),
                            Event.SYNC_DELETE,
                            Optional.of(now),
                            "the parent serves exactly its DS; CDS withdrawn"));
                } else {
                    status(
                            current,
                            KeyPhase.ACTIVE,
                            "CDS published since "
                                    + MessageText.instant(current.timing()
                                            .get(Event.SYNC_PUBLISH)
                                            .orElseThrow())
                                    + "; withdrawn once the parent serves exactly its DS",
                            Optional.empty());
                    return;
                }
            }
            if (lifetime.isEmpty()) {
                status(current, KeyPhase.ACTIVE, "rolled by hand (no ksk_lifetime)", Optional.empty());
                return;
            }
            Instant activated = current.timing().get(Event.ACTIVATE).orElse(now);
            Instant start = activated.plus(lifetime.get()).minus(lead(role));
            if (start.isBefore(activated)) {
                start = activated;
            }
            boolean retiringLeft = ofRole.stream().anyMatch(k -> stateOf(k) == KeyState.INACTIVE);
            if (!now.isBefore(start) && mayStart && !retiringLeft) {
                actions.add(new KeyAction.NewKey(
                        role,
                        policy.algorithm(),
                        policy.dnskeyTtl(),
                        KeyTiming.NONE.with(Event.CREATED, now).with(Event.PUBLISH, now),
                        "published ahead of " + current.baseName() + ", whose lifetime ends"));
                status(current, KeyPhase.ACTIVE, "successor published now", Optional.of(now));
                return;
            }
            status(
                    current,
                    KeyPhase.ACTIVE,
                    retiringLeft && !now.isBefore(start)
                            ? "successor published once the previous " + role.words() + " is removed"
                            : "successor published at " + MessageText.instant(start),
                    Optional.of(start.isBefore(now) ? now : start));
        }

        /** How long before the end of a key's lifetime its successor is published. */
        private Duration lead(KeyRole role) {
            Duration dnskey =
                    Duration.ofSeconds(policy.dnskeyTtl()).multipliedBy(2).plus(policy.propagationDelay());
            if (!role.secureEntryPoint()) {
                return dnskey;
            }
            return dnskey.plus(policy.dsTtl().multipliedBy(2)).plus(policy.parentPropagationDelay());
        }

        private Optional<RolloverGate> dnskeyGate(ZoneKey k) {
            Duration ttl = max(Duration.ofSeconds(policy.dnskeyTtl()), served.dnskeyTtl());
            return state.sighting(Sighting.Kind.DNSKEY_SERVED, KeyId.of(k))
                    .map(s -> new RolloverGate(s.since(), max(ttl, s.ttl()), policy.propagationDelay()));
        }

        /** Pre-publication: the successor signs, and the current key stops, once its DNSKEY is in every cache. */
        private void zskSuccessor(ZoneKey successor, Optional<ZoneKey> current) {
            Optional<RolloverGate> gate = dnskeyGate(successor);
            if (gate.isPresent() && gate.get().isOpen(now)) {
                actions.add(new KeyAction.SetTime(
                        KeyId.of(successor), Event.ACTIVATE, Optional.of(now), "its DNSKEY is in every cache"));
                current.ifPresent(k -> actions.add(new KeyAction.SetTime(
                        KeyId.of(k), Event.INACTIVE, Optional.of(now), successor.baseName() + " signs instead")));
                status(successor, KeyPhase.PUBLISHED, "signs now", Optional.of(now));
                return;
            }
            status(successor, KeyPhase.PUBLISHED, waitText(gate, "signs"), gate.map(RolloverGate::opensAt));
        }

        /** Double-DS: CDS for both keys, the parent's new DS served long enough, then the switch. */
        private void sepSuccessor(KeyRole role, ZoneKey successor, Optional<ZoneKey> current) {
            Optional<RolloverGate> gate = dnskeyGate(successor);
            if (!successor.timing().syncedAt(now)) {
                if (gate.isEmpty() || !gate.get().isOpen(now)) {
                    status(
                            successor,
                            KeyPhase.PUBLISHED,
                            waitText(gate, "CDS for it published"),
                            gate.map(RolloverGate::opensAt));
                    return;
                }
                // the current key first: CDS naming the new key alone would have the parent drop the DS in use
                current.filter(k -> !k.timing().syncedAt(now)).ifPresent(k -> publishCds(k, "the parent keeps its DS"));
                publishCds(successor, "the parent adds its DS");
                status(successor, KeyPhase.DS_PENDING, "CDS published now", Optional.of(now));
                return;
            }
            if (current.isPresent() && !current.get().timing().syncedAt(now)) {
                publishCds(current.get(), "the parent keeps its DS");
            }
            Duration dsTtl = max(
                    policy.dsTtl(),
                    served.parentDs().map(ServedKeys.ParentDs::ttl).orElse(Duration.ZERO));
            Optional<RolloverGate> dsGate = state.sighting(Sighting.Kind.DS_SERVED, KeyId.of(successor))
                    .map(s -> new RolloverGate(s.since(), max(dsTtl, s.ttl()), policy.parentPropagationDelay()));
            boolean currentDsDropped = current.isPresent()
                    && served.parentDs()
                            .filter(ds -> ds.keys().contains(KeyId.of(successor))
                                    && !ds.keys().contains(KeyId.of(current.get())))
                            .isPresent();
            if ((dsGate.isPresent() && dsGate.get().isOpen(now)) || currentDsDropped) {
                String why = currentDsDropped
                        ? "the parent dropped the DS of the key in use"
                        : "the parent has served its DS long enough";
                actions.add(new KeyAction.SetTime(KeyId.of(successor), Event.ACTIVATE, Optional.of(now), why));
                current.ifPresent(k -> {
                    actions.add(new KeyAction.SetTime(
                            KeyId.of(k), Event.INACTIVE, Optional.of(now), successor.baseName() + " signs instead"));
                    actions.add(new KeyAction.SetTime(
                            KeyId.of(k),
                            Event.SYNC_DELETE,
                            Optional.of(now),
                            "CDS names " + successor.baseName() + " only"));
                });
                status(successor, KeyPhase.DS_PENDING, "signs now, and CDS names it alone", Optional.of(now));
                return;
            }
            status(
                    successor,
                    KeyPhase.DS_PENDING,
                    dsGate.map(g -> "the parent serves its DS; signs, and " + role.words() + " "
                                    + current.map(ZoneKey::baseName).orElse("") + " stops, at "
                                    + MessageText.instant(g.opensAt()))
                            .orElse("waiting for every server of the parent (" + policy.parent()
                                    + ") to serve its DS (CDS published since "
                                    + MessageText.instant(successor
                                            .timing()
                                            .get(Event.SYNC_PUBLISH)
                                            .orElseThrow())
                                    + ")"),
                    dsGate.map(RolloverGate::opensAt));
        }

        private void publishCds(ZoneKey k, String why) {
            actions.add(new KeyAction.SetTime(KeyId.of(k), Event.SYNC_PUBLISH, Optional.of(now), why));
            if (k.timing().get(Event.SYNC_DELETE).isPresent()) {
                actions.add(new KeyAction.SetTime(KeyId.of(k), Event.SYNC_DELETE, Optional.empty(), why));
            }
        }

        /** A retired key goes once no server has its signatures and caches have let them go. */
        private void retiring(KeyRole role, ZoneKey k) {
            if (role.secureEntryPoint() && k.timing().syncedAt(now)) {
                // a switch cut short before CDS named the new key alone
                actions.add(new KeyAction.SetTime(
                        KeyId.of(k),
                        Event.SYNC_DELETE,
                        Optional.of(now),
                        "it no longer signs; CDS names the new key only"));
            }
            Duration ttl = role == KeyRole.KSK
                    ? max(Duration.ofSeconds(policy.dnskeyTtl()), served.dnskeyTtl())
                    : max(policy.maxZoneTtl(), served.dnskeyTtl());
            Optional<RolloverGate> gate = state.sighting(Sighting.Kind.SIGNATURES_GONE, KeyId.of(k))
                    .map(s -> new RolloverGate(s.since(), ttl, policy.propagationDelay()));
            if (gate.isPresent() && gate.get().isOpen(now)) {
                actions.add(new KeyAction.SetTime(
                        KeyId.of(k), Event.DELETE, Optional.of(now), "no cache can hold its signatures any more"));
                status(k, KeyPhase.RETIRED, "removed now", Optional.of(now));
                return;
            }
            status(
                    k,
                    KeyPhase.RETIRED,
                    gate.map(g -> "removed at " + MessageText.instant(g.opensAt()))
                            .orElse("removed once no server serves its signatures"),
                    gate.map(RolloverGate::opensAt));
        }

        private String waitText(Optional<RolloverGate> gate, String what) {
            return gate.map(g -> what + " at " + MessageText.instant(g.opensAt()))
                    .orElse(what + " once its DNSKEY is served by every server and validates");
        }

        private void status(ZoneKey k, KeyPhase phase, String next, Optional<Instant> at) {
            KeyId id = KeyId.of(k);
            statuses.removeIf(s -> s.key().equals(id));
            statuses.add(new KeyStatus(id, k.baseName(), KeyRole.of(k, policy.csk()), phase, next, at));
        }

        List<KeyStatus> statuses() {
            // a key no rule spoke of is active in a role without a rollover going on
            for (ZoneKey k : keys) {
                if (statuses.stream().noneMatch(s -> s.key().equals(KeyId.of(k)))) {
                    status(k, KeyPhase.ACTIVE, "none due", Optional.empty());
                }
            }
            return statuses.stream()
                    .sorted(Comparator.comparing(KeyStatus::key))
                    .toList();
        }
    }
}
