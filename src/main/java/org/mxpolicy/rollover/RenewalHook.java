package org.mxpolicy.rollover;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.mxpolicy.cert.SubjectPublicKey;
import org.mxpolicy.config.MxHost;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.MxpolicyException;

/**
 * What runs after a certificate renewal: per renewed MX host, the {@link RenewalDecision} from its
 * rollover state and what the DNS serves, carried out; the MTA is reloaded only when every host
 * may load its new certificate.
 */
public final class RenewalHook {

    /** A host whose certificate was renewed, and the earlier certificates when its ACME client keeps them. */
    public record Renewed(MxHost mx, Optional<CertificateHistory> history) {}

    /**
     * What the hook did.
     *
     * @param lines the rollover state of hosts whose retiring key was dropped
     * @param problems why the MTA was not reloaded; empty when all went well
     */
    public record Result(List<String> lines, List<Finding> problems) {}

    private final RolloverRun run;
    private final Duration wait;
    private final Clock clock;
    private final Consumer<String> log;

    public RenewalHook(RolloverRun run, Duration wait, Clock clock, Consumer<String> log) {
        this.run = run;
        this.wait = wait;
        this.clock = clock;
        this.log = log;
    }

    public Result renewed(List<Renewed> renewed) throws MxpolicyException {
        List<Finding> problems = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        boolean reload = false;
        for (Renewed host : renewed) {
            reload |= renewed(host, problems);
        }
        boolean restored = onlyRestored(problems);
        if ((reload && problems.isEmpty()) || restored) {
            if (restored) {
                // an smtpd started between the ACME client's switch and the restore holds the unknown
                // certificate; every certificate on disk is a published one again, so reloading is safe
                log.accept("the certificate in service was restored; the MTA is reloaded so that no process"
                        + " keeps the unknown one");
            }
            run.reloadMta();
            for (Renewed host : renewed) {
                finishRetirement(host.mx()).ifPresent(lines::add);
            }
        } else if (!problems.isEmpty()) {
            log.accept("the MTA is not reloaded");
        }
        return new Result(lines, problems);
    }

    private static boolean onlyRestored(List<Finding> problems) {
        return !problems.isEmpty() && problems.stream().allMatch(p -> p.id().equals("renew.restored"));
    }

    /** Handles one MX; true when the MTA may load its certificate now. */
    private boolean renewed(Renewed host, List<Finding> problems) throws MxpolicyException {
        MxHost mx = host.mx();
        SubjectPublicKey leafKey = SubjectPublicKey.of(run.diskChain(mx).leaf());
        Optional<RolloverState> saved = run.saved(mx);
        RolloverState state;
        if (saved.isPresent()) {
            state = saved.get();
        } else {
            // No rollover was ever started for this MX: the key on disk is fine if its record is
            // already served everywhere; then it is the current key of a new state.
            RolloverState.KeyEntry key = RolloverState.KeyEntry.of(leafKey, clock.instant());
            RenewalDecision decision = RenewalDecision.withoutState(
                    run.servedRecord(mx, key).everywhere(),
                    run.onUnknownKey(),
                    host.history().isPresent());
            if (decision != RenewalDecision.ADOPT) {
                withoutState(decision, host, key, problems);
                return false;
            }
            state = run.save(RolloverState.start(mx.host(), key, clock.instant()));
        }
        state = run.observePublication(mx, state);
        RolloverMachine.Step<RolloverMachine.Renewal> step = run.machine().renewed(state, leafKey.spki());
        log.accept(mx.host() + ": " + step.message());
        RenewalDecision decision = RenewalDecision.of(
                step.outcome(), run.onUnknownKey(), host.history().isPresent());
        switch (decision) {
            case PUBLISH_AND_RELOAD -> run.publish(mx, Set.of(), wait);
            case ROLL_AND_RELOAD -> {
                state = run.save(step.state());
                state = run.stageNext(mx, state, Optional.empty(), false);
                run.publish(mx, Set.of(), wait);
                run.observePublication(mx, state);
            }
            case RESTORE -> restore(host, state, step.message(), problems);
            case PUBLISH_WITHOUT_RELOAD -> publishUnknownKey(mx, state, step.message(), problems);
            default -> problems.add(Finding.error("renew.refused", mx.cert().position(), step.message()));
        }
        return decision.mtaMayReload();
    }

    /** A renewed key without a rollover state whose record is not served everywhere. */
    private void withoutState(
            RenewalDecision decision, Renewed host, RolloverState.KeyEntry key, List<Finding> problems)
            throws MxpolicyException {
        MxHost mx = host.mx();
        String what = "the renewed certificate's key " + key.label() + " has no TLSA record served by every"
                + " authoritative server, so the MTA must not load it yet";
        switch (decision) {
            case RESTORE -> {
                CertificateHistory history = host.history().orElseThrow();
                history.restoreEarlier();
                RolloverState.KeyEntry restored = RolloverState.KeyEntry.of(
                        SubjectPublicKey.of(run.diskChain(mx).leaf()), clock.instant());
                boolean ok = run.servedRecord(mx, restored).everywhere();
                problems.add(Finding.error(
                        ok ? "renew.restored" : "renew.restore-failed",
                        mx.cert().position(),
                        what
                                + (ok
                                        ? "; the previous certificate, whose record is published, is back in "
                                                + history.liveDir()
                                        : "; the previous certificate in " + history.liveDir()
                                                + " has no published record either")));
                if (ok) {
                    run.save(RolloverState.start(mx.host(), restored, clock.instant()));
                }
            }
            case PUBLISH_WITHOUT_RELOAD -> {
                run.publish(mx, Set.of(), wait);
                problems.add(Finding.error(
                        "renew.published",
                        mx.cert().position(),
                        what + "; its record is published now." + " Reload the MTA after twice the TLSA TTL ("
                                + mx.tlsa().ttl() + " s) has passed"));
            }
            default -> problems.add(Finding.error("renew.refused", mx.cert().position(), what));
        }
    }

    private void restore(Renewed host, RolloverState state, String what, List<Finding> problems)
            throws MxpolicyException {
        MxHost mx = host.mx();
        CertificateHistory history = host.history().orElseThrow();
        // the newest version with the key in service, not merely the one before: after an
        // earlier restore the client may have renewed again, and "previous" is the rejected one
        String outcome = history.restoreKey(state.current().publicKey());
        byte[] restored = SubjectPublicKey.spkiOf(run.diskChain(mx).leaf());
        if (state.current().isKey(restored)) {
            problems.add(Finding.error(
                    "renew.restored",
                    mx.cert().position(),
                    what + "; the previous certificate is"
                            + " back in " + history.liveDir() + " (" + outcome
                            + "). To change the key, stage one first:"
                            + " " + CommandHint.of(run.config(), "rollover prepare", "--mx", mx.host())));
        } else {
            problems.add(Finding.error(
                    "renew.restore-failed",
                    mx.cert().position(),
                    what + "; restoring the previous"
                            + " certificate did not bring back the current key "
                            + state.current().label()
                            + "; put a certificate for it in place before the MTA reloads"));
        }
    }

    private void publishUnknownKey(MxHost mx, RolloverState state, String what, List<Finding> problems)
            throws MxpolicyException {
        RolloverMachine.Step<RolloverMachine.Staging> staged = run.machine()
                .stage(
                        state,
                        RolloverState.KeyEntry.of(
                                SubjectPublicKey.of(run.diskChain(mx).leaf()), clock.instant()),
                        true);
        if (!staged.outcome().refused()) {
            state = run.save(staged.state());
            run.publish(mx, Set.of(), wait);
            state = run.observePublication(mx, state);
        }
        problems.add(Finding.error(
                "renew.published",
                mx.cert().position(),
                what + "; its record is published now ("
                        + run.describe(state)
                        + "). Reload the MTA only after that: run this hook again ("
                        + CommandHint.of(run.config(), "renew-hook", "--mx", mx.host())
                        + ") when '" + CommandHint.of(run.config(), "rollover status", "--mx", mx.host())
                        + "' says READY"));
    }

    private Optional<String> finishRetirement(MxHost mx) throws MxpolicyException {
        Optional<RolloverState> state = run.saved(mx);
        if (state.isEmpty() || state.get().retiring().isEmpty()) {
            return Optional.empty();
        }
        RolloverMachine.Step<RolloverMachine.Live> live = run.retire(mx, state.get(), wait);
        log.accept(live.message());
        return Optional.of(run.describe(live.state()));
    }
}
