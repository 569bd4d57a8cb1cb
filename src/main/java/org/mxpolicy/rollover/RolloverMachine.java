package org.mxpolicy.rollover;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.mxpolicy.finding.MessageText;
import org.mxpolicy.rollover.RolloverState.KeyEntry;
import org.mxpolicy.rollover.RolloverState.NextKey;
import org.mxpolicy.rollover.RolloverState.RetiringKey;

/**
 * The transitions of a certificate rollover (RFC 7671 section 8.1: publish the next key's TLSA
 * record, wait, switch, retire the old record), as pure functions of a {@link RolloverState}
 * and the clock. Each returns a {@link Step}: the new state, what happened, and a message that
 * says what to do next.
 *
 * <p>The caller saves the state after every step. Every step is idempotent: applied to its own
 * result it changes nothing (and leaves {@code updated} alone), so after a crash between any two
 * steps, running the same command again from the saved state ends where the uninterrupted run
 * would have.
 */
public final class RolloverMachine {

    /** What a step did; {@link #refused()} outcomes leave the state unchanged and call for action. */
    public sealed interface Outcome permits Staging, Publication, Renewal, Live, Emergency {
        /** Whether the step was refused or found something unsafe, so the command should fail. */
        boolean refused();
    }

    /** The result of one transition. */
    public record Step<O extends Outcome>(RolloverState state, O outcome, String message) {
        public Step {
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(message, "message");
        }
    }

    /** Outcomes of {@link #stage}. */
    public enum Staging implements Outcome {
        /** The key is now the next key. */
        STAGED,
        /** The key already was the next key; nothing changed. */
        ALREADY_STAGED,
        /** With force: a next key that was not yet ready was replaced. */
        REPLACED,
        /** Another key is staged; replacing it takes force. */
        OTHER_STAGED,
        /** The staged key is ready; it is not replaced, even with force. */
        OTHER_READY,
        /** The key is the current key. */
        IS_CURRENT,
        /** The key is the retiring key. */
        IS_RETIRING;

        @Override
        public boolean refused() {
            return this != STAGED && this != ALREADY_STAGED && this != REPLACED;
        }
    }

    /** Outcomes of {@link #observePublication}. */
    public enum Publication implements Outcome {
        /** No next key: nothing to observe. */
        NO_NEXT,
        /** The record is not yet served everywhere. */
        NOT_YET_SERVED,
        /** The record was seen served everywhere for the first time: the gate's clock starts. */
        FIRST_SERVED,
        /** The record is still served; a larger TTL window than known is kept. */
        STILL_SERVED,
        /** The record was served and is not any more: the gate's clock starts again once it is back. */
        WITHDRAWN;

        @Override
        public boolean refused() {
            return false;
        }
    }

    /** Outcomes of {@link #renewed}. */
    public enum Renewal implements Outcome {
        /** The renewed certificate keeps the current key. */
        SAME_KEY,
        /** The renewed certificate has the next key and the gate is open: the next key is current. */
        ROLLED,
        /** The renewed certificate has the next key but the gate is closed: unsafe to deploy. */
        NOT_AGED,
        /** The next key is ready, but the retiring key may still be presented: unsafe to deploy. */
        PREVIOUS_STILL_LIVE,
        /** The renewed certificate has a key mxpolicy does not know: its record is not published. */
        UNKNOWN_KEY;

        @Override
        public boolean refused() {
            return this == NOT_AGED || this == PREVIOUS_STILL_LIVE || this == UNKNOWN_KEY;
        }
    }

    /** Outcomes of {@link #observeLive}. */
    public enum Live implements Outcome {
        /** No key is retiring. */
        NOTHING_RETIRING,
        /** Some address still presents another key: the retiring key's record stays. */
        STILL_RETIRING,
        /** Every address presents the current key: the retiring key's record may go. */
        RETIRED;

        @Override
        public boolean refused() {
            return false;
        }
    }

    /** Outcomes of {@link #emergency}. */
    public enum Emergency implements Outcome {
        /** The next key is current; the compromised key's record is dropped at once. */
        SWITCHED,
        /** The current key already replaced a compromised one and no next key is staged: nothing to do. */
        ALREADY_SWITCHED,
        /** No next key is staged. */
        NO_NEXT,
        /** The next key's record is not served everywhere yet. */
        NOT_PUBLISHED,
        /** The next key's gate is closed. */
        NOT_AGED;

        @Override
        public boolean refused() {
            return this != SWITCHED && this != ALREADY_SWITCHED;
        }
    }

    private final Clock clock;
    private final Duration margin;

    /**
     * @param clock where the time of every step comes from
     * @param margin the configured extra wait added to the gate (see {@link RolloverGate})
     */
    public RolloverMachine(Clock clock, Duration margin) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.margin = Objects.requireNonNull(margin, "margin");
        if (margin.isNegative()) {
            throw new IllegalArgumentException("negative margin " + margin);
        }
    }

    /** The phase of a state now. */
    public RolloverPhase phase(RolloverState state) {
        return state.phase(clock.instant(), margin);
    }

    /** The gate of the staged key, once its record is served. */
    public Optional<RolloverGate> gate(RolloverState state) {
        return state.next().flatMap(n -> n.gate(margin));
    }

    /**
     * Stages a key to follow the current one. Only when no other key is staged, or with
     * {@code force} when the staged key is not yet {@link RolloverPhase#READY}: replacing a ready
     * key could throw away the only key a renewed certificate may safely carry.
     *
     * @param key the key, with {@code since} the time it was made
     */
    public Step<Staging> stage(RolloverState state, KeyEntry key, boolean force) {
        Instant now = clock.instant();
        String host = state.host();
        if (key.sameKey(state.current())) {
            return new Step<>(
                    state,
                    Staging.IS_CURRENT,
                    key.label() + " is already the current key of " + host + "; stage a new key");
        }
        if (state.retiring().isPresent() && key.sameKey(state.retiring().get().key())) {
            return new Step<>(
                    state,
                    Staging.IS_RETIRING,
                    key.label() + " is the previous key of " + host + ", being retired; stage a new key");
        }
        String publish = "; publish its TLSA record and wait until every authoritative server serves it";
        if (state.next().isEmpty()) {
            return new Step<>(
                    withNext(state, NextKey.staged(key), now),
                    Staging.STAGED,
                    "staged " + key.label() + " as the next key of " + host + publish);
        }
        NextKey staged = state.next().get();
        if (staged.key().sameKey(key)) {
            return new Step<>(
                    state,
                    Staging.ALREADY_STAGED,
                    key.label() + " is already the next key of " + host + " ("
                            + state.nextPhase(now, margin).shown() + ")");
        }
        if (state.nextPhase(now, margin) == RolloverPhase.READY) {
            return new Step<>(
                    state,
                    Staging.OTHER_READY,
                    "the next key of " + host + ", " + staged.key().label()
                            + ", is ready and is not replaced; renew the certificate with it first");
        }
        if (!force) {
            return new Step<>(
                    state,
                    Staging.OTHER_STAGED,
                    staged.key().label() + " is already staged as the next key" + " of " + host
                            + "; replace it with --force, which restarts the wait");
        }
        return new Step<>(
                withNext(state, NextKey.staged(key), now),
                Staging.REPLACED,
                "replaced the next key of " + host + ", " + staged.key().label() + ", with " + key.label() + publish);
    }

    /**
     * Records whether the next key's usage-3 record is served by every authoritative server and
     * validates. The first time it is, the gate's clock starts; if it disappears, the clock is
     * reset, since a resolver may then cache an RRset without it again. While it stays served, a
     * larger TTL window than the one known is kept (a smaller one never shortens the wait).
     *
     * @param ttlWindow the TTL window as observed now (see {@link NextKey#ttlWindow})
     */
    public Step<Publication> observePublication(
            RolloverState state, boolean servedEverywhereAndValidated, Duration ttlWindow) {
        Objects.requireNonNull(ttlWindow, "ttlWindow");
        Instant now = clock.instant();
        if (state.next().isEmpty()) {
            return new Step<>(
                    state,
                    Publication.NO_NEXT,
                    "no next key is staged for " + state.host() + "; stage one with mxpolicy rollover prepare");
        }
        NextKey next = state.next().get();
        String label = next.key().label();
        if (!servedEverywhereAndValidated) {
            if (next.servedSince().isEmpty()) {
                return new Step<>(
                        state,
                        Publication.NOT_YET_SERVED,
                        "the record of " + label + " is not yet served by" + " every authoritative server of "
                                + state.host() + "'s zone; publish it and check again");
            }
            return new Step<>(
                    withNext(state, NextKey.staged(next.key()), now),
                    Publication.WITHDRAWN,
                    "the record of " + label + ", served since "
                            + MessageText.instant(next.servedSince().get()) + ", is no longer served"
                            + " everywhere; publish it again, the wait starts over once it is back");
        }
        if (next.servedSince().isEmpty()) {
            NextKey served = new NextKey(next.key(), Optional.of(now), ttlWindow);
            return new Step<>(
                    withNext(state, served, now),
                    Publication.FIRST_SERVED,
                    "the record of " + label + " is served everywhere; the gate "
                            + served.gate(margin).orElseThrow().describe(now));
        }
        NextKey kept = next;
        if (ttlWindow.compareTo(next.ttlWindow()) > 0) {
            kept = new NextKey(next.key(), next.servedSince(), ttlWindow);
        }
        RolloverState after = kept.equals(next) ? state : withNext(state, kept, now);
        return new Step<>(
                after,
                Publication.STILL_SERVED,
                "the record of " + label + " is served everywhere since "
                        + MessageText.instant(next.servedSince().get()) + "; the gate "
                        + kept.gate(margin).orElseThrow().describe(now));
    }

    /**
     * A renewed certificate is about to go live (or just went live) with the key {@code leafSpki}.
     * It is safe if it keeps the current key, or if it has the next key and the gate is open:
     * then the next key becomes current and the old current key retires. A certificate with the
     * next key before the gate opens, or with a key mxpolicy does not know, would make DANE
     * senders fail to match it (RFC 7671 section 8.1); the state is left alone and the outcome
     * says so.
     *
     * @param leafSpki the DER SubjectPublicKeyInfo of the renewed certificate
     */
    public Step<Renewal> renewed(RolloverState state, byte[] leafSpki) {
        Objects.requireNonNull(leafSpki, "leafSpki");
        Instant now = clock.instant();
        String host = state.host();
        if (state.current().isKey(leafSpki)) {
            return new Step<>(
                    state,
                    Renewal.SAME_KEY,
                    "the renewed certificate of " + host + " keeps the current "
                            + state.current().label() + "; the TLSA records stay as they are");
        }
        Optional<NextKey> next = state.next().filter(n -> n.key().isKey(leafSpki));
        if (next.isEmpty()) {
            return new Step<>(
                    state,
                    Renewal.UNKNOWN_KEY,
                    "the renewed certificate of " + host + " has a key that is"
                            + " neither the current " + state.current().label()
                            + " nor a staged next key; no TLSA record"
                            + " matches it. Renew with the current or the staged key (mxpolicy rollover prepare)");
        }
        KeyEntry key = next.get().key();
        Optional<RolloverGate> gate = next.get().gate(margin);
        if (gate.isEmpty() || !gate.get().isOpen(now)) {
            String wait = gate.map(g -> "its record is served only since " + MessageText.instant(g.servedSince())
                            + "; the gate " + g.describe(now))
                    .orElse("its record is not yet served by every authoritative server");
            return new Step<>(
                    state,
                    Renewal.NOT_AGED,
                    "the renewed certificate of " + host + " has the next " + key.label() + ", but " + wait
                            + ". Keep the previous certificate live until then");
        }
        if (state.retiring().isPresent() && !state.retiring().get().compromised()) {
            return new Step<>(
                    state,
                    Renewal.PREVIOUS_STILL_LIVE,
                    "the renewed certificate of " + host + " has the next "
                            + key.label() + ", but the previous "
                            + state.retiring().get().key().label() + " is still"
                            + " retiring: some address may still present it, and switching again would drop its record."
                            + " Make every address present the current key first");
        }
        KeyEntry newCurrent = new KeyEntry(key.spki(), key.sha256(), key.description(), now);
        RetiringKey retired = new RetiringKey(state.current(), false);
        return new Step<>(
                state.with(newCurrent, Optional.empty(), Optional.of(retired), now),
                Renewal.ROLLED,
                "rolled " + host + " to " + key.label() + "; the record of the previous "
                        + state.current().label()
                        + " stays published until every address of the MX presents the new key. Reload the MTA");
    }

    /**
     * Records whether every address of the MX presents the current key. Once they do, the
     * retiring key is dropped and its record may be removed (RFC 7671 section 8.1).
     */
    public Step<Live> observeLive(RolloverState state, boolean everyAddressPresentsCurrent) {
        Instant now = clock.instant();
        if (state.retiring().isEmpty()) {
            return new Step<>(state, Live.NOTHING_RETIRING, "no key of " + state.host() + " is retiring");
        }
        KeyEntry old = state.retiring().get().key();
        if (!everyAddressPresentsCurrent) {
            return new Step<>(
                    state,
                    Live.STILL_RETIRING,
                    "not every address of " + state.host() + " presents the current "
                            + state.current().label() + " yet; the record of " + old.label()
                            + " stays. Reload the MTA on"
                            + " every address and check again");
        }
        return new Step<>(
                state.with(state.current(), state.next(), Optional.empty(), now),
                Live.RETIRED,
                "every address of " + state.host() + " presents "
                        + state.current().label() + "; the record of " + old.label() + " is no longer published");
    }

    /**
     * The current key is compromised: the ready next key becomes current at once and the old
     * key's record is dropped without waiting for the switch to be seen live: while it is
     * published, whoever holds the key can pass as the MX. Refused unless the next key
     * is {@link RolloverPhase#READY}: a certificate with a key whose record senders may not yet
     * see would be rejected by them.
     */
    public Step<Emergency> emergency(RolloverState state) {
        Instant now = clock.instant();
        String host = state.host();
        if (state.next().isEmpty()
                && state.retiring().filter(RetiringKey::compromised).isPresent()) {
            return new Step<>(
                    state,
                    Emergency.ALREADY_SWITCHED,
                    host + " already switched to "
                            + state.current().label() + " from the compromised "
                            + state.retiring().get().key().label()
                            + "; stage a new next key (mxpolicy rollover prepare)");
        }
        if (state.next().isEmpty()) {
            return new Step<>(
                    state,
                    Emergency.NO_NEXT,
                    "no next key staged for " + host + "; stage one"
                            + " (mxpolicy rollover prepare), publish it and wait for its gate to open");
        }
        NextKey next = state.next().get();
        Optional<RolloverGate> gate = next.gate(margin);
        if (gate.isEmpty()) {
            return new Step<>(
                    state,
                    Emergency.NOT_PUBLISHED,
                    "the record of the next " + next.key().label() + " of " + host
                            + " is not yet served by every authoritative server; publish it and wait for its gate");
        }
        if (!gate.get().isOpen(now)) {
            return new Step<>(
                    state,
                    Emergency.NOT_AGED,
                    "next key's record served only since "
                            + MessageText.instant(gate.get().servedSince())
                            + "; the gate "
                            + gate.get().describe(now));
        }
        String dropped = state.retiring()
                .filter(r -> !r.compromised())
                .map(r -> " The record of the earlier " + r.key().label() + " is dropped as well.")
                .orElse("");
        KeyEntry key = next.key();
        KeyEntry newCurrent = new KeyEntry(key.spki(), key.sha256(), key.description(), now);
        RetiringKey compromised = new RetiringKey(state.current(), true);
        return new Step<>(
                state.with(newCurrent, Optional.empty(), Optional.of(compromised), now),
                Emergency.SWITCHED,
                "switched " + host + " to " + key.label() + " and dropped the record of the compromised "
                        + state.current().label() + "; install a certificate with the new key and reload the MTA now."
                        + dropped);
    }

    private static RolloverState withNext(RolloverState state, NextKey next, Instant now) {
        return state.with(state.current(), Optional.of(next), state.retiring(), now);
    }
}
