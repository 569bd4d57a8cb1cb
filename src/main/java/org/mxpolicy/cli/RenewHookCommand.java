package org.mxpolicy.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.mxpolicy.cert.SubjectPublicKey;
import org.mxpolicy.config.MxHost;
import org.mxpolicy.config.RolloverSettings;
import org.mxpolicy.files.CertbotLineage;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.VerificationFailedException;
import org.mxpolicy.rollover.RolloverMachine;
import org.mxpolicy.rollover.RolloverState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mxpolicy renew-hook}: what runs after a certificate renewal, as certbot's
 * {@code --deploy-hook} or by hand for other ACME clients. Reloads the MTA only when the renewed
 * certificate's key has a published and aged TLSA record.
 */
@Command(
        name = "renew-hook",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "After a certificate renewal: publish, and reload the MTA only when DANE keeps working.",
            "Run by certbot, or by hand with --mx for other ACME clients. For each MX whose certificate was",
            "renewed (RENEWED_LINEAGE, RENEWED_DOMAINS, --lineage or --mx):",
            "  same key      the records are brought up to date (a new issuer's DANE-TA record), the MTA reloaded;",
            "  the next key  when its record has aged: the rollover completes (a new next key is staged and",
            "                published, the MTA reloaded, the old record dropped once every address presents",
            "                the new key); before that: refused, as below;",
            "  another key   the renewal would break DANE: exit 1 with what happened, and, as 'rollover.",
            "                on_unknown_key' says, the previous certificate restored from the certbot archive",
            "                (restore), the new record published at once without reloading the MTA (publish),",
            "                or nothing (refuse)."
        },
        footer = {
            "",
            "Examples:",
            "  certbot renew --reuse-key --deploy-hook 'mxpolicy renew-hook -c /etc/mxpolicy/provider.yaml'",
            "  mxpolicy renew-hook -c /etc/mxpolicy/provider.yaml --mx mx1.example.com   # after lego/acme.sh"
        })
final class RenewHookCommand implements Callable<Integer> {

    @Mixin
    private RolloverCommand.Common common;

    @Option(names = "--mx", paramLabel = "HOST",
            description = "The MX whose certificate was renewed (default: from certbot's RENEWED_LINEAGE/RENEWED_DOMAINS).")
    private List<String> hosts = new ArrayList<>();

    @Option(names = "--lineage", paramLabel = "DIR",
            description = "The certbot lineage's live directory (default: RENEWED_LINEAGE), for running the hook by hand.")
    private Path lineageDir;

    @Spec
    private CommandSpec spec;

    private final Clock clock;
    private final Map<String, String> environment;

    RenewHookCommand() {
        this(Clock.systemUTC(), System.getenv());
    }

    RenewHookCommand(Clock clock, Map<String, String> environment) {
        this.clock = clock;
        this.environment = environment;
    }

    @Override
    public Integer call() throws Exception {
        RolloverRun run = common.open(spec, clock);
        PrintWriter err = spec.commandLine().getErr();
        Optional<CertbotLineage> lineage = lineageDir != null ? Optional.of(CertbotLineage.read(lineageDir))
                : environment.containsKey(CertbotLineage.RENEWED_LINEAGE)
                        ? Optional.of(CertbotLineage.fromEnvironment(environment)) : Optional.empty();
        List<MxHost> renewed = renewedHosts(run, lineage);
        if (renewed.isEmpty()) {
            err.println("mxpolicy renew-hook: no configured MX uses the renewed certificate"
                    + lineage.map(l -> " (" + l.liveDir() + ")").orElse("") + "; nothing to do");
            return 0;
        }
        List<Finding> problems = new ArrayList<>();
        boolean reload = false;
        for (MxHost mx : renewed) {
            reload |= renewed(run, mx, lineage, problems);
        }
        if (reload && problems.isEmpty()) {
            run.reloadMta();
            for (MxHost mx : renewed) {
                finishRetirement(run, mx);
            }
        } else if (!problems.isEmpty()) {
            err.println("mxpolicy renew-hook: the MTA is not reloaded");
        }
        if (!problems.isEmpty()) {
            throw new VerificationFailedException("the renewal would break DANE", problems);
        }
        return 0;
    }

    /** Handles one MX; true when the MTA may load its certificate now. */
    private boolean renewed(RolloverRun run, MxHost mx, Optional<CertbotLineage> lineage, List<Finding> problems)
            throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        SubjectPublicKey leafKey = SubjectPublicKey.of(run.diskChain(mx).leaf());
        Optional<RolloverState> saved = run.saved(mx);
        RolloverState state;
        if (saved.isPresent()) {
            state = saved.get();
        } else {
            // No rollover was ever started for this MX: the key on disk is fine if its record is
            // already served everywhere; then it is the current key of a new state.
            RolloverState.KeyEntry key = RolloverState.KeyEntry.of(leafKey, clock.instant());
            if (!run.publication(mx, key).everywhere()) {
                withoutState(run, mx, key, lineage, problems);
                return false;
            }
            state = run.save(RolloverState.start(mx.host(), key, clock.instant()));
        }
        state = run.observePublication(mx, state);
        RolloverMachine.Step<RolloverMachine.Renewal> step = run.machine().renewed(state, leafKey.spki());
        err.println("mxpolicy renew-hook: " + mx.host() + ": " + step.message());
        switch (step.outcome()) {
            case SAME_KEY -> {
                run.publish(mx, Set.of(), common.wait);
                return true;
            }
            case ROLLED -> {
                state = run.save(step.state());
                state = run.stageNext(mx, state, Optional.empty(), false);
                run.publish(mx, Set.of(), common.wait);
                run.observePublication(mx, state);
                return true;
            }
            default -> {
                unsafe(run, mx, state, step, lineage, problems);
                return false;
            }
        }
    }

    /** A renewed key without a rollover state whose record is not served everywhere. */
    private void withoutState(RolloverRun run, MxHost mx, RolloverState.KeyEntry key, Optional<CertbotLineage> lineage,
            List<Finding> problems) throws Exception {
        String what = "the renewed certificate's key " + key.label() + " has no TLSA record served by every"
                + " authoritative server, so the MTA must not load it yet";
        RolloverSettings.UnknownKeyAction action = run.onUnknownKey();
        if (action == RolloverSettings.UnknownKeyAction.RESTORE && lineage.isPresent() && inLineage(run, mx, lineage.get())) {
            lineage.get().restorePrevious();
            RolloverState.KeyEntry restored = RolloverState.KeyEntry.of(
                    SubjectPublicKey.of(run.diskChain(mx).leaf()), clock.instant());
            boolean ok = run.publication(mx, restored).everywhere();
            problems.add(Finding.error(ok ? "renew.restored" : "renew.restore-failed", mx.cert().position(), what
                    + (ok ? "; the previous certificate, whose record is published, is back in " + lineage.get().liveDir()
                            : "; the previous certificate in " + lineage.get().liveDir() + " has no published record either")));
            if (ok) {
                run.save(RolloverState.start(mx.host(), restored, clock.instant()));
            }
            return;
        }
        if (action == RolloverSettings.UnknownKeyAction.PUBLISH) {
            run.publish(mx, Set.of(), common.wait);
            problems.add(Finding.error("renew.published", mx.cert().position(), what + "; its record is published now."
                    + " Reload the MTA after twice the TLSA TTL (" + mx.tlsa().ttl() + " s) has passed"));
            return;
        }
        problems.add(Finding.error("renew.refused", mx.cert().position(), what));
    }

    private void unsafe(RolloverRun run, MxHost mx, RolloverState state, RolloverMachine.Step<RolloverMachine.Renewal> step,
            Optional<CertbotLineage> lineage, List<Finding> problems) throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        RolloverSettings.UnknownKeyAction action = run.onUnknownKey();
        String what = step.message();
        if (action == RolloverSettings.UnknownKeyAction.RESTORE && lineage.isPresent() && inLineage(run, mx, lineage.get())) {
            // the newest version with the key in service, not merely the one before: after an
            // earlier restore certbot may have renewed again, and "previous" is the rejected one
            SubjectPublicKey inService = org.mxpolicy.cert.PublicKeyReader.read(
                    new java.io.ByteArrayInputStream(state.current().spki()), "rollover state of " + mx.host());
            Optional<CertbotLineage.Version> good = lineage.get().newestWithKey(inService);
            CertbotLineage.Outcome outcome = good.isPresent() ? lineage.get().restore(good.get())
                    : lineage.get().restorePrevious();
            byte[] restored = SubjectPublicKey.spkiOf(run.diskChain(mx).leaf());
            if (state.current().isKey(restored)) {
                problems.add(Finding.error("renew.restored", mx.cert().position(), what + "; the previous certificate is"
                        + " back in " + lineage.get().liveDir() + " (" + outcome.name().toLowerCase(java.util.Locale.ROOT)
                        + "). To change the key, stage one first: mxpolicy rollover prepare --mx " + mx.host()));
            } else {
                problems.add(Finding.error("renew.restore-failed", mx.cert().position(), what + "; restoring the previous"
                        + " certificate did not bring back the current key " + state.current().label()
                        + "; put a certificate for it in place before the MTA reloads"));
            }
            return;
        }
        if (action == RolloverSettings.UnknownKeyAction.PUBLISH
                && step.outcome() == RolloverMachine.Renewal.UNKNOWN_KEY) {
            RolloverMachine.Step<RolloverMachine.Staging> staged = run.machine().stage(state, RolloverState.KeyEntry.of(
                    SubjectPublicKey.of(run.diskChain(mx).leaf()), clock.instant()), true);
            if (!staged.outcome().refused()) {
                state = run.save(staged.state());
                run.publish(mx, Set.of(), common.wait);
                state = run.observePublication(mx, state);
            }
            problems.add(Finding.error("renew.published", mx.cert().position(), what + "; its record is published now ("
                    + run.describe(state) + "). Reload the MTA only after that: run this hook again (mxpolicy renew-hook"
                    + " --mx " + mx.host() + ") when 'mxpolicy rollover status' says READY"));
            return;
        }
        problems.add(Finding.error("renew.refused", mx.cert().position(), what));
        err.flush();
    }

    private void finishRetirement(RolloverRun run, MxHost mx) throws Exception {
        Optional<RolloverState> state = run.saved(mx);
        if (state.isEmpty() || state.get().retiring().isEmpty()) {
            return;
        }
        RolloverMachine.Step<RolloverMachine.Live> live = run.retire(mx, state.get(), common.wait);
        spec.commandLine().getErr().println("mxpolicy renew-hook: " + live.message());
        spec.commandLine().getOut().println(run.describe(live.state()));
    }

    private List<MxHost> renewedHosts(RolloverRun run, Optional<CertbotLineage> lineage) throws Exception {
        List<MxHost> out = new ArrayList<>();
        if (!hosts.isEmpty()) {
            for (String host : hosts) {
                out.add(RolloverCommand.Common.mx(run, spec, host));
            }
            return out;
        }
        List<String> domains = environment.containsKey(CertbotLineage.RENEWED_DOMAINS)
                ? CertbotLineage.renewedDomains(environment) : List.of();
        for (MxHost mx : run.mxHosts()) {
            if (lineage.isPresent() && inLineage(run, mx, lineage.get()) || domains.contains(mx.host())) {
                out.add(mx);
            }
        }
        return out;
    }

    /** Whether the MX's certificate file is one of the lineage's live files. */
    private static boolean inLineage(RolloverRun run, MxHost mx, CertbotLineage lineage) {
        Path cert = run.certificatePath(mx).toAbsolutePath().normalize();
        Path live = lineage.liveDir().toAbsolutePath().normalize();
        return cert.startsWith(live) || Files.exists(cert) && Files.exists(live) && sameDir(cert, live);
    }

    private static boolean sameDir(Path cert, Path live) {
        try {
            return cert.getParent() != null && Files.isSameFile(cert.getParent(), live);
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
