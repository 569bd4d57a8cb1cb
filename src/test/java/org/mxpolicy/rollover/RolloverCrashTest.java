package org.mxpolicy.rollover;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxpolicy.cert.InMemoryPki;
import org.mxpolicy.cert.KeyType;
import org.mxpolicy.cert.SubjectPublicKey;
import org.mxpolicy.files.JsonRolloverStore;
import org.mxpolicy.rollover.RolloverMachine.Emergency;
import org.mxpolicy.rollover.RolloverMachine.Live;
import org.mxpolicy.rollover.RolloverMachine.Publication;
import org.mxpolicy.rollover.RolloverMachine.Renewal;
import org.mxpolicy.rollover.RolloverMachine.Staging;
import org.mxpolicy.rollover.RolloverState.KeyEntry;

/**
 * The rollover commands as the CLI runs them: steps of the machine, each saved to the real
 * store, interleaved with changes to the world (the TLSA records served, the certificate each
 * MX address presents). For every point between two steps, the run "crashes" there (the state
 * in memory is lost, the world and the store stay), and the same command is run again from the
 * start; it must end exactly where the uninterrupted run ends. After every step, every key an
 * address presents must have its record served: DANE never breaks on the way.
 */
class RolloverCrashTest {

    private static final String HOST = "mx1.example.test";
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    private static final Duration MARGIN = Duration.ofHours(1);
    private static final Duration TTL_WINDOW = Duration.ofHours(1);
    // served at T0: the gate opens at T0 + 2 x 1h + 1h
    private static final Instant GATE_OPEN = Instant.parse("2026-03-01T15:00:00Z");

    private static final KeyEntry K1 = key(T0.minus(Duration.ofDays(60)));
    private static final KeyEntry K2 = key(T0);
    private static final Map<String, KeyEntry> KEYS = Map.of(K1.sha256(), K1, K2.sha256(), K2);

    @TempDir
    Path tmp;

    private static KeyEntry key(Instant since) {
        return KeyEntry.of(
                new SubjectPublicKey(InMemoryPki.ec("secp256r1").getPublic().getEncoded(), KeyType.ECDSA, 256), since);
    }

    /**
     * What is outside mxpolicy's state: the usage-3 records served (by SPKI digest), the
     * certificate's key on disk, and the key each of the MX's two addresses presents.
     */
    record World(Set<String> served, String installed, List<String> presented) {
        World {
            served = Collections.unmodifiableSet(new TreeSet<>(served));
            presented = List.copyOf(presented);
        }

        void assertDaneHolds(String after) {
            assertThat(served).as("records served after %s", after).containsAll(presented);
        }
    }

    /** One running command: its in-memory state (lost in a crash), the store and the world. */
    static final class Run {
        final JsonRolloverStore store;
        final RolloverMachine machine;
        World world;
        RolloverState state;
        final Map<String, RolloverMachine.Outcome> outcomes = new HashMap<>();

        Run(JsonRolloverStore store, RolloverMachine machine, World world) {
            this.store = store;
            this.machine = machine;
            this.world = world;
        }

        void publish() {
            world = new World(
                    state.keysToPublish().stream().map(KeyEntry::sha256).collect(Collectors.toSet()),
                    world.installed(),
                    world.presented());
        }

        void reloadMta() {
            world = new World(world.served(), world.installed(), List.of(world.installed(), world.installed()));
        }

        boolean refused() {
            return outcomes.values().stream().anyMatch(RolloverMachine.Outcome::refused);
        }

        boolean everyAddressPresentsCurrent() {
            return world.presented().stream().allMatch(state.current().sha256()::equals);
        }
    }

    interface Action {
        void run(Run run) throws Exception;
    }

    record Step(String name, Action action) {}

    private static Step step(String name, Action action) {
        return new Step(name, action);
    }

    private static final Step LOAD =
            step("load", r -> r.state = r.store.load(HOST).orElseThrow());
    private static final Step SAVE = step("save", r -> r.store.save(r.state));
    private static final Step PUBLISH = step("publish", Run::publish);
    private static final Step RELOAD = step("reload the MTA", Run::reloadMta);

    /** {@code rollover prepare} and the publication that follows it. */
    private static final List<Step> PREPARE = List.of(
            LOAD,
            step("stage", r -> {
                var s = r.machine.stage(r.state, K2, false);
                r.outcomes.put("stage", s.outcome());
                r.state = s.state();
            }),
            SAVE,
            PUBLISH,
            step("observe publication", r -> {
                boolean served = r.state
                        .next()
                        .map(n -> r.world.served().contains(n.key().sha256()))
                        .orElse(false);
                var s = r.machine.observePublication(r.state, served, TTL_WINDOW);
                r.outcomes.put("publication", s.outcome());
                r.state = s.state();
            }),
            SAVE);

    private static final Step OBSERVE_LIVE = step("observe live", r -> {
        var s = r.machine.observeLive(r.state, r.everyAddressPresentsCurrent());
        r.outcomes.put("live", s.outcome());
        r.state = s.state();
    });

    /** The renewal hook, after the certificate was renewed with the installed key. */
    private static final List<Step> RENEW_HOOK = List.of(
            LOAD,
            step("renewed", r -> {
                var s = r.machine.renewed(r.state, KEYS.get(r.world.installed()).spki());
                r.outcomes.put("renewed", s.outcome());
                r.state = s.state();
            }),
            SAVE,
            PUBLISH,
            RELOAD,
            OBSERVE_LIVE,
            SAVE,
            PUBLISH);

    /**
     * {@code rollover now --emergency}: the certificate with the next key goes live before the
     * compromised key's record is dropped, so no address is left without a record. The
     * compromised key stays in the state until {@link #CHECK_LIVE} sees every address switched,
     * which is what lets a second run know the switch is done.
     */
    private static final List<Step> EMERGENCY = List.of(
            LOAD,
            step("emergency", r -> {
                var s = r.machine.emergency(r.state);
                r.outcomes.put("emergency", s.outcome());
                r.state = s.state();
            }),
            SAVE,
            RELOAD,
            PUBLISH);

    /** A later look at the addresses (status, the next renewal): the retiring key goes. */
    private static final List<Step> CHECK_LIVE = List.of(LOAD, OBSERVE_LIVE, SAVE, PUBLISH);

    private record Ending(RolloverState state, World world, Map<String, RolloverMachine.Outcome> outcomes) {}

    /** Runs a command from a saved state, crashing after {@code crashAfter} steps (none if negative). */
    private Ending run(String name, RolloverState saved, World world, List<Step> command, Instant at, int crashAfter)
            throws Exception {
        Path dir = Files.createTempDirectory(tmp, name);
        JsonRolloverStore store = new JsonRolloverStore(dir);
        store.save(saved);
        Run run = new Run(store, new RolloverMachine(Clock.fixed(at, ZoneOffset.UTC), MARGIN), world);
        if (crashAfter >= 0) {
            for (Step step : command.subList(0, crashAfter)) {
                if (run.refused()) {
                    break;
                }
                step.action().run(run);
                run.world.assertDaneHolds(step.name());
            }
            run.state = null;
            run.outcomes.clear();
        }
        for (Step step : command) {
            if (run.refused()) {
                break; // the command stops at a refusal
            }
            step.action().run(run);
            run.world.assertDaneHolds(step.name());
        }
        return new Ending(store.load(HOST).orElseThrow(), run.world, run.outcomes);
    }

    /** Runs the command uninterrupted, then crashed at every point, and compares the endings. */
    private Ending assertCrashSafe(String name, RolloverState saved, World world, List<Step> command, Instant at)
            throws Exception {
        Ending expected = run(name, saved, world, command, at, -1);
        List<String> crashes = new ArrayList<>();
        for (int k = 0; k <= command.size(); k++) {
            Ending crashed = run(name + k, saved, world, command, at, k);
            assertThat(crashed.state())
                    .as("state after a crash after %d steps", k)
                    .isEqualTo(expected.state());
            assertThat(crashed.world())
                    .as("world after a crash after %d steps", k)
                    .isEqualTo(expected.world());
            assertThat(crashed.outcomes().values())
                    .as("outcomes after a crash after %d steps", k)
                    .noneMatch(RolloverMachine.Outcome::refused);
            crashes.add(k == 0 ? "start" : command.get(k - 1).name());
        }
        assertThat(crashes).hasSize(command.size() + 1);
        return expected;
    }

    private static final RolloverState START = RolloverState.start(HOST, K1, T0.minus(Duration.ofDays(60)));
    private static final World BEFORE = new World(Set.of(K1.sha256()), K1.sha256(), List.of(K1.sha256(), K1.sha256()));

    @Test
    void prepareSurvivesACrashBetweenAnyTwoSteps() throws Exception {
        Ending end = assertCrashSafe("prepare", START, BEFORE, PREPARE, T0);

        assertThat(end.outcomes())
                .containsEntry("stage", Staging.STAGED)
                .containsEntry("publication", Publication.FIRST_SERVED);
        assertThat(end.state().next().orElseThrow().servedSince()).contains(T0);
        assertThat(end.state().phase(T0, MARGIN)).isEqualTo(RolloverPhase.NEXT_AGING);
        assertThat(end.world().served()).containsExactlyInAnyOrder(K1.sha256(), K2.sha256());
    }

    @Test
    void theRenewalHookSurvivesACrashBetweenAnyTwoSteps() throws Exception {
        Ending prepared = run("prepared", START, BEFORE, PREPARE, T0, -1);
        World renewed = new World(
                prepared.world().served(), K2.sha256(), prepared.world().presented());

        Ending end = assertCrashSafe("renew", prepared.state(), renewed, RENEW_HOOK, GATE_OPEN);

        assertThat(end.outcomes()).containsEntry("renewed", Renewal.ROLLED).containsEntry("live", Live.RETIRED);
        assertThat(end.state().current().sha256()).isEqualTo(K2.sha256());
        assertThat(end.state().current().since()).isEqualTo(GATE_OPEN);
        assertThat(end.state().next()).isEmpty();
        assertThat(end.state().retiring()).isEmpty();
        assertThat(end.world())
                .isEqualTo(new World(Set.of(K2.sha256()), K2.sha256(), List.of(K2.sha256(), K2.sha256())));
    }

    @Test
    void theEmergencySwitchSurvivesACrashBetweenAnyTwoSteps() throws Exception {
        Ending prepared = run("prepared", START, BEFORE, PREPARE, T0, -1);
        World issued = new World(
                prepared.world().served(), K2.sha256(), prepared.world().presented());

        Ending end = assertCrashSafe("emergency", prepared.state(), issued, EMERGENCY, GATE_OPEN);

        assertThat(end.outcomes()).containsEntry("emergency", Emergency.SWITCHED);
        assertThat(end.state().current().sha256()).isEqualTo(K2.sha256());
        assertThat(end.state().retiring().orElseThrow().compromised()).isTrue();
        assertThat(end.world().served()).containsExactly(K2.sha256());

        Ending checked = assertCrashSafe("live", end.state(), end.world(), CHECK_LIVE, GATE_OPEN.plusSeconds(60));
        assertThat(checked.outcomes()).containsEntry("live", Live.RETIRED);
        assertThat(checked.state().retiring()).isEmpty();
    }

    @Test
    void aRenewalBeforeTheGateOpensLeavesStateAndRecordsAlone() throws Exception {
        Ending prepared = run("prepared", START, BEFORE, PREPARE, T0, -1);
        World renewed = new World(
                prepared.world().served(), K2.sha256(), prepared.world().presented());

        Ending end = run("early", prepared.state(), renewed, RENEW_HOOK.subList(0, 4), GATE_OPEN.minusSeconds(1), -1);

        assertThat(end.outcomes()).containsEntry("renewed", Renewal.NOT_AGED);
        assertThat(end.state()).isEqualTo(prepared.state());
        assertThat(end.world().served()).isEqualTo(prepared.world().served());
    }
}
