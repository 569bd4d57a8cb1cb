package org.mxpolicy.rollover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mxpolicy.cert.InMemoryPki;
import org.mxpolicy.cert.KeyType;
import org.mxpolicy.cert.SubjectPublicKey;
import org.mxpolicy.rollover.RolloverMachine.Emergency;
import org.mxpolicy.rollover.RolloverMachine.Live;
import org.mxpolicy.rollover.RolloverMachine.Publication;
import org.mxpolicy.rollover.RolloverMachine.Renewal;
import org.mxpolicy.rollover.RolloverMachine.Staging;
import org.mxpolicy.rollover.RolloverMachine.Step;
import org.mxpolicy.rollover.RolloverState.KeyEntry;
import org.mxpolicy.rollover.RolloverState.NextKey;
import org.mxpolicy.rollover.RolloverState.RetiringKey;

class RolloverMachineTest {

    private static final String HOST = "mx1.example.test";
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration MARGIN = HOUR;

    private static final KeyEntry A = key(T0.minus(Duration.ofDays(90)));
    private static final KeyEntry B = key(T0);
    private static final KeyEntry C = key(T0);
    private static final KeyEntry OLD = key(T0.minus(Duration.ofDays(180)));

    private static KeyEntry key(Instant since) {
        return KeyEntry.of(
                new SubjectPublicKey(InMemoryPki.ec("secp256r1").getPublic().getEncoded(), KeyType.ECDSA, 256), since);
    }

    private static RolloverMachine at(Instant now) {
        return new RolloverMachine(Clock.fixed(now, ZoneOffset.UTC), MARGIN);
    }

    private static RolloverMachine at(String now) {
        return at(Instant.parse(now));
    }

    private static final RolloverState NO_NEXT = RolloverState.start(HOST, A, T0.minus(Duration.ofDays(90)));
    private static final RolloverState UNPUBLISHED =
            at(T0).stage(NO_NEXT, B, false).state();
    // Served at 12:00 with a one-hour TTL window and a one-hour margin: the gate opens at 15:00.
    private static final RolloverState AGING =
            at(T0).observePublication(UNPUBLISHED, true, HOUR).state();
    private static final Instant OPENS = Instant.parse("2026-03-01T15:00:00Z");
    private static final RolloverState RETIRING =
            new RolloverState(HOST, A, Optional.empty(), Optional.of(new RetiringKey(OLD, false)), T0);
    private static final RolloverState RETIRING_AND_AGING =
            new RolloverState(HOST, A, AGING.next(), Optional.of(new RetiringKey(OLD, false)), T0);
    private static final RolloverState AFTER_EMERGENCY =
            new RolloverState(HOST, A, Optional.empty(), Optional.of(new RetiringKey(OLD, true)), T0);

    // phases

    @Test
    void phasesFollowTheStateAndTheClock() {
        assertThat(at(T0).phase(NO_NEXT)).isEqualTo(RolloverPhase.NO_NEXT);
        assertThat(at(T0).phase(UNPUBLISHED)).isEqualTo(RolloverPhase.NEXT_UNPUBLISHED);
        assertThat(at(T0).phase(AGING)).isEqualTo(RolloverPhase.NEXT_AGING);
        assertThat(at(OPENS.minusSeconds(1)).phase(AGING)).isEqualTo(RolloverPhase.NEXT_AGING);
        assertThat(at(OPENS).phase(AGING)).isEqualTo(RolloverPhase.READY);
        assertThat(at(T0).phase(RETIRING)).isEqualTo(RolloverPhase.RETIRING);
    }

    @Test
    void aRetiringKeyIsReportedWithTheNextKeysOwnPhase() {
        assertThat(RETIRING_AND_AGING.phase(OPENS, MARGIN)).isEqualTo(RolloverPhase.RETIRING);
        assertThat(RETIRING_AND_AGING.nextPhase(OPENS, MARGIN)).isEqualTo(RolloverPhase.READY);
        assertThat(RETIRING_AND_AGING.nextPhase(T0, MARGIN)).isEqualTo(RolloverPhase.NEXT_AGING);
    }

    @Test
    void aCompromisedKeyIsNotRetiringSinceItsRecordIsGoneAlready() {
        // RETIRING says the previous key's record stays until every address presents the new
        // key; after an emergency it went at once, so the next key's own phase is what is left.
        RolloverState compromisedAndAging =
                new RolloverState(HOST, A, AGING.next(), Optional.of(new RetiringKey(OLD, true)), T0);

        assertThat(at(T0).phase(AFTER_EMERGENCY)).isEqualTo(RolloverPhase.NO_NEXT);
        assertThat(at(T0).phase(compromisedAndAging)).isEqualTo(RolloverPhase.NEXT_AGING);
        assertThat(at(OPENS).phase(compromisedAndAging)).isEqualTo(RolloverPhase.READY);
    }

    @Test
    void theGateOpensAfterTwiceTheTtlWindowAndTheMargin() {
        RolloverGate gate = at(T0).gate(AGING).orElseThrow();

        assertThat(gate.opensAt()).isEqualTo(OPENS);
        assertThat(gate.timeLeft(Instant.parse("2026-03-01T13:30:00Z"))).isEqualTo(Duration.ofMinutes(90));
        assertThat(gate.describe(Instant.parse("2026-03-01T13:30:00Z")))
                .isEqualTo("opens at 2026-03-01T15:00:00Z (in 1h 30m)");
        assertThat(gate.describe(Instant.parse("2026-03-01T16:00:00Z"))).isEqualTo("open since 2026-03-01T15:00:00Z");
        assertThat(gate.timeLeft(Instant.parse("2026-03-01T16:00:00Z"))).isZero();
        assertThat(at(T0).gate(UNPUBLISHED)).isEmpty();
    }

    @Test
    void timeLeftIsRoundedUpSoTheGateIsNeverPromisedEarly() {
        assertThat(RolloverGate.roundedUp(Duration.ofSeconds(45))).isEqualTo("45s");
        assertThat(RolloverGate.roundedUp(Duration.ofSeconds(90))).isEqualTo("1m 30s");
        assertThat(RolloverGate.roundedUp(Duration.parse("PT1H30M0.5S"))).isEqualTo("1h 31m");
        assertThat(RolloverGate.roundedUp(Duration.parse("PT1H59M30S"))).isEqualTo("2h");
        assertThat(RolloverGate.roundedUp(Duration.parse("P2DT1H0M1S"))).isEqualTo("2d 2h");
        assertThat(RolloverGate.roundedUp(Duration.ZERO)).isEqualTo("0s");
    }

    @Test
    void thePublishedKeysAreCurrentNextAndAnUncompromisedRetiringKey() {
        assertThat(NO_NEXT.keysToPublish()).containsExactly(A);
        assertThat(RETIRING_AND_AGING.keysToPublish()).containsExactly(A, B, OLD);
        assertThat(AFTER_EMERGENCY.keysToPublish()).containsExactly(A);
    }

    // stage

    @Test
    void stagingWithoutANextKeyStagesIt() {
        Step<Staging> step = at(T0).stage(NO_NEXT, B, false);

        assertThat(step.outcome()).isEqualTo(Staging.STAGED);
        assertThat(step.state().next()).contains(NextKey.staged(B));
        assertThat(step.state().current()).isEqualTo(A);
        assertThat(step.state().updated()).isEqualTo(T0);
        assertThat(step.message())
                .contains("staged ECDSA P-256 key " + B.shortId())
                .contains("publish its TLSA record");
    }

    @Test
    void anotherKeyReplacesTheStagedOneOnlyWithForceAndNeverWhenReady() {
        Step<Staging> refused = at(T0).stage(AGING, C, false);
        assertThat(refused.outcome()).isEqualTo(Staging.OTHER_STAGED);
        assertThat(refused.outcome().refused()).isTrue();
        assertThat(refused.state()).isSameAs(AGING);
        assertThat(refused.message()).contains("--force");

        Step<Staging> replaced = at(T0.plusSeconds(60)).stage(AGING, C, true);
        assertThat(replaced.outcome()).isEqualTo(Staging.REPLACED);
        assertThat(replaced.state().next()).contains(NextKey.staged(C));

        Step<Staging> ready = at(OPENS).stage(AGING, C, true);
        assertThat(ready.outcome()).isEqualTo(Staging.OTHER_READY);
        assertThat(ready.state()).isSameAs(AGING);
    }

    @Test
    void theCurrentAndTheRetiringKeyCannotBeStaged() {
        assertThat(at(T0).stage(NO_NEXT, A, true).outcome()).isEqualTo(Staging.IS_CURRENT);
        assertThat(at(T0).stage(RETIRING, OLD, true).outcome()).isEqualTo(Staging.IS_RETIRING);
        assertThat(at(T0).stage(RETIRING, OLD, true).outcome().refused()).isTrue();
    }

    @Test
    void aKeyCanBeStagedWhileTheOldOneRetires() {
        Step<Staging> step = at(T0).stage(RETIRING, B, false);

        assertThat(step.outcome()).isEqualTo(Staging.STAGED);
        assertThat(step.state().retiring()).isEqualTo(RETIRING.retiring());
        assertThat(step.state().phase(T0, MARGIN)).isEqualTo(RolloverPhase.RETIRING);
    }

    // observePublication

    @Test
    void theGatesClockStartsWhenTheRecordIsFirstServedEverywhere() {
        assertThat(at(T0).observePublication(NO_NEXT, true, HOUR).outcome()).isEqualTo(Publication.NO_NEXT);
        Step<Publication> notYet = at(T0).observePublication(UNPUBLISHED, false, HOUR);
        assertThat(notYet.outcome()).isEqualTo(Publication.NOT_YET_SERVED);
        assertThat(notYet.state()).isSameAs(UNPUBLISHED);

        Step<Publication> first = at(T0).observePublication(UNPUBLISHED, true, HOUR);
        assertThat(first.outcome()).isEqualTo(Publication.FIRST_SERVED);
        assertThat(first.state().next().orElseThrow().servedSince()).contains(T0);
        assertThat(first.state().next().orElseThrow().ttlWindow()).isEqualTo(HOUR);
        assertThat(first.message()).contains("opens at 2026-03-01T15:00:00Z (in 3h)");
    }

    @Test
    void laterObservationsKeepTheStartAndOnlyWidenTheWindow() {
        Step<Publication> same = at(T0.plus(HOUR)).observePublication(AGING, true, HOUR);
        assertThat(same.outcome()).isEqualTo(Publication.STILL_SERVED);
        assertThat(same.state()).isSameAs(AGING);

        Step<Publication> narrower = at(T0.plus(HOUR)).observePublication(AGING, true, Duration.ofMinutes(5));
        assertThat(narrower.state()).isSameAs(AGING);

        Step<Publication> wider = at(T0.plus(HOUR)).observePublication(AGING, true, Duration.ofHours(2));
        assertThat(wider.outcome()).isEqualTo(Publication.STILL_SERVED);
        assertThat(wider.state().next().orElseThrow().servedSince()).contains(T0);
        assertThat(at(T0).gate(wider.state()).orElseThrow().opensAt()).isEqualTo(Instant.parse("2026-03-01T17:00:00Z"));
    }

    @Test
    void aRecordThatDisappearsRestartsTheWait() {
        Step<Publication> gone = at(T0.plus(HOUR)).observePublication(AGING, false, HOUR);

        assertThat(gone.outcome()).isEqualTo(Publication.WITHDRAWN);
        assertThat(gone.state().next()).contains(NextKey.staged(B));
        assertThat(gone.state().updated()).isEqualTo(T0.plus(HOUR));

        Step<Publication> back = at(T0.plus(Duration.ofHours(2))).observePublication(gone.state(), true, HOUR);
        assertThat(at(T0).gate(back.state()).orElseThrow().opensAt()).isEqualTo(Instant.parse("2026-03-01T17:00:00Z"));
    }

    // renewed

    @Test
    void aRenewalWithTheCurrentKeyChangesNothing() {
        Step<Renewal> step = at(OPENS).renewed(AGING, A.spki());

        assertThat(step.outcome()).isEqualTo(Renewal.SAME_KEY);
        assertThat(step.state()).isSameAs(AGING);
    }

    @Test
    void aRenewalWithTheReadyNextKeyRolls() {
        Instant now = OPENS.plusSeconds(10);
        Step<Renewal> step = at(now).renewed(AGING, B.spki());

        assertThat(step.outcome()).isEqualTo(Renewal.ROLLED);
        assertThat(step.outcome().refused()).isFalse();
        RolloverState rolled = step.state();
        assertThat(rolled.current().isKey(B.spki())).isTrue();
        assertThat(rolled.current().since()).isEqualTo(now);
        assertThat(rolled.next()).isEmpty();
        assertThat(rolled.retiring()).contains(new RetiringKey(A, false));
        assertThat(rolled.updated()).isEqualTo(now);
        assertThat(rolled.keysToPublish()).containsExactly(rolled.current(), A);
        assertThat(step.message()).contains("stays published until every address");
    }

    @Test
    void aRenewalWithTheNextKeyBeforeTheGateOpensIsUnsafeAndChangesNothing() {
        Step<Renewal> aging = at(OPENS.minusSeconds(1)).renewed(AGING, B.spki());
        assertThat(aging.outcome()).isEqualTo(Renewal.NOT_AGED);
        assertThat(aging.outcome().refused()).isTrue();
        assertThat(aging.state()).isSameAs(AGING);
        assertThat(aging.message())
                .contains("served only since 2026-03-01T12:00:00Z")
                .contains("opens at 2026-03-01T15:00:00Z (in 1s)");

        Step<Renewal> unpublished = at(OPENS).renewed(UNPUBLISHED, B.spki());
        assertThat(unpublished.outcome()).isEqualTo(Renewal.NOT_AGED);
        assertThat(unpublished.message()).contains("not yet served by every authoritative server");
    }

    @Test
    void aRenewalWithAnUnknownKeyIsReportedAndChangesNothing() {
        Step<Renewal> step = at(OPENS).renewed(AGING, C.spki());

        assertThat(step.outcome()).isEqualTo(Renewal.UNKNOWN_KEY);
        assertThat(step.outcome().refused()).isTrue();
        assertThat(step.state()).isSameAs(AGING);
    }

    @Test
    void rollingAgainWhileThePreviousKeyMayStillBeLiveIsRefused() {
        Step<Renewal> step = at(OPENS).renewed(RETIRING_AND_AGING, B.spki());
        assertThat(step.outcome()).isEqualTo(Renewal.PREVIOUS_STILL_LIVE);
        assertThat(step.state()).isSameAs(RETIRING_AND_AGING);

        // A compromised retiring key's record is gone already: nothing more to lose.
        RolloverState compromised =
                new RolloverState(HOST, A, AGING.next(), Optional.of(new RetiringKey(OLD, true)), T0);
        assertThat(at(OPENS).renewed(compromised, B.spki()).outcome()).isEqualTo(Renewal.ROLLED);
    }

    // observeLive

    @Test
    void theRetiringKeyGoesOnceEveryAddressPresentsTheCurrentOne() {
        assertThat(at(T0).observeLive(AGING, true).outcome()).isEqualTo(Live.NOTHING_RETIRING);

        Step<Live> still = at(T0).observeLive(RETIRING_AND_AGING, false);
        assertThat(still.outcome()).isEqualTo(Live.STILL_RETIRING);
        assertThat(still.state()).isSameAs(RETIRING_AND_AGING);

        Step<Live> done = at(T0.plus(HOUR)).observeLive(RETIRING_AND_AGING, true);
        assertThat(done.outcome()).isEqualTo(Live.RETIRED);
        assertThat(done.state().retiring()).isEmpty();
        assertThat(done.state().next()).isEqualTo(RETIRING_AND_AGING.next());
        assertThat(done.state().updated()).isEqualTo(T0.plus(HOUR));
    }

    // emergency

    @Test
    void anEmergencySwitchNeedsAReadyNextKey() {
        Step<Emergency> none = at(OPENS).emergency(NO_NEXT);
        assertThat(none.outcome()).isEqualTo(Emergency.NO_NEXT);
        assertThat(none.message()).startsWith("no next key staged");

        assertThat(at(OPENS).emergency(UNPUBLISHED).outcome()).isEqualTo(Emergency.NOT_PUBLISHED);

        Step<Emergency> aging = at(T0.plus(HOUR)).emergency(AGING);
        assertThat(aging.outcome()).isEqualTo(Emergency.NOT_AGED);
        assertThat(aging.outcome().refused()).isTrue();
        assertThat(aging.state()).isSameAs(AGING);
        assertThat(aging.message())
                .isEqualTo("next key's record served only since 2026-03-01T12:00:00Z;"
                        + " the gate opens at 2026-03-01T15:00:00Z (in 2h)");
    }

    @Test
    void anEmergencySwitchDropsTheCompromisedKeysRecordAtOnce() {
        Step<Emergency> step = at(OPENS).emergency(AGING);

        assertThat(step.outcome()).isEqualTo(Emergency.SWITCHED);
        RolloverState after = step.state();
        assertThat(after.current().isKey(B.spki())).isTrue();
        assertThat(after.retiring()).contains(new RetiringKey(A, true));
        assertThat(after.next()).isEmpty();
        assertThat(after.keysToPublish()).containsExactly(after.current());
        assertThat(step.message()).contains("compromised ECDSA P-256 key " + A.shortId());
    }

    @Test
    void anEmergencyWhileAnotherKeyRetiresSaysItsRecordGoesToo() {
        Step<Emergency> step = at(OPENS).emergency(RETIRING_AND_AGING);

        assertThat(step.outcome()).isEqualTo(Emergency.SWITCHED);
        assertThat(step.state().retiring()).contains(new RetiringKey(A, true));
        assertThat(step.message()).contains("earlier ECDSA P-256 key " + OLD.shortId() + " is dropped as well");
    }

    // idempotency: every step applied to its own result changes nothing more

    static Stream<Arguments> stepsAndStates() {
        List<RolloverState> states =
                List.of(NO_NEXT, UNPUBLISHED, AGING, RETIRING, RETIRING_AND_AGING, AFTER_EMERGENCY);
        List<Arguments> cases = new java.util.ArrayList<>();
        String[] names = {
            "stage",
            "stage --force",
            "published",
            "withdrawn",
            "renewed next",
            "renewed current",
            "live",
            "not live",
            "emergency"
        };
        List<BiFunction<RolloverMachine, RolloverState, Step<?>>> steps = List.of(
                (m, s) -> m.stage(s, C, false),
                (m, s) -> m.stage(s, C, true),
                (m, s) -> m.observePublication(s, true, HOUR),
                (m, s) -> m.observePublication(s, false, HOUR),
                (m, s) -> m.renewed(s, B.spki()),
                (m, s) -> m.renewed(s, A.spki()),
                (m, s) -> m.observeLive(s, true),
                (m, s) -> m.observeLive(s, false),
                RolloverMachine::emergency);
        for (int i = 0; i < steps.size(); i++) {
            for (RolloverState state : states) {
                for (Instant now : List.of(T0, OPENS)) {
                    cases.add(Arguments.of(names[i], steps.get(i), state, now));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} on state {index}")
    @MethodSource("stepsAndStates")
    void applyingAStepTwiceIsApplyingItOnce(
            String name, BiFunction<RolloverMachine, RolloverState, Step<?>> step, RolloverState state, Instant now) {
        RolloverMachine machine = at(now);
        Step<?> once = step.apply(machine, state);
        Step<?> twice = step.apply(machine, once.state());

        assertThat(twice.state()).isEqualTo(once.state());
        assertThat(twice.outcome().refused())
                .as(twice.message())
                .isEqualTo(once.outcome().refused());
    }

    // validation

    @Test
    void theStateRejectsAHostThatIsNoSafeDirectoryName() {
        for (String host :
                List.of("", "..", "../etc", "mx1/evil", "MX1.example.test", "mx1.example.test.", "-mx.test")) {
            assertThatThrownBy(() -> RolloverState.start(host, A, T0))
                    .as(host)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(RolloverState.start("mx-1.example.test", A, T0).host()).isEqualTo("mx-1.example.test");
    }

    @Test
    void oneKeyCannotHoldTwoRoles() {
        KeyEntry aAgain = new KeyEntry(A.spki(), A.sha256(), A.description(), T0);
        assertThatThrownBy(() -> new RolloverState(HOST, A, Optional.of(NextKey.staged(aAgain)), Optional.empty(), T0))
                .hasMessageContaining("next key is the current key");
        assertThatThrownBy(() ->
                        new RolloverState(HOST, A, Optional.empty(), Optional.of(new RetiringKey(aAgain, true)), T0))
                .hasMessageContaining("retiring key is the current key");
        assertThatThrownBy(() -> new RolloverState(
                        HOST, A, Optional.of(NextKey.staged(OLD)), Optional.of(new RetiringKey(OLD, false)), T0))
                .hasMessageContaining("next key is the retiring key");
    }

    @Test
    void aKeyEntryChecksItsDigest() {
        assertThatThrownBy(() -> new KeyEntry(A.spki(), B.sha256(), "ECDSA P-256", T0))
                .hasMessageContaining("is not the digest of the key, which is " + A.sha256());
        assertThatThrownBy(() -> new NextKey(B, Optional.empty(), HOUR)).hasMessageContaining("without served_since");
    }
}
