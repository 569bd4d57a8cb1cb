package org.mxpolicy.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.mxpolicy.config.MxHost;
import org.mxpolicy.files.CertbotLineage;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.MxpolicyException;
import org.mxpolicy.finding.VerificationFailedException;
import org.mxpolicy.rollover.CertificateHistory;
import org.mxpolicy.rollover.RenewalHook;
import org.mxpolicy.rollover.RolloverRun;
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
    private PublishingOptions common;

    @Option(
            names = "--mx",
            paramLabel = "HOST",
            description =
                    "The MX whose certificate was renewed (default: from certbot's RENEWED_LINEAGE/RENEWED_DOMAINS).")
    private List<String> hosts = new ArrayList<>();

    @Option(
            names = "--lineage",
            paramLabel = "DIR",
            description =
                    "The certbot lineage's live directory (default: RENEWED_LINEAGE), for running the hook by hand.")
    private Path lineageDir;

    @Spec
    private CommandSpec spec;

    private final Clock clock;
    private final Map<String, String> environment;

    RenewHookCommand(Clock clock) {
        this(clock, System.getenv());
    }

    RenewHookCommand(Clock clock, Map<String, String> environment) {
        this.clock = clock;
        this.environment = environment;
    }

    @Override
    public Integer call() throws MxpolicyException {
        RolloverRun run = RolloverCommand.open(common, spec, clock);
        PrintWriter err = spec.commandLine().getErr();
        Optional<CertbotLineage> lineage = lineageDir != null
                ? Optional.of(CertbotLineage.read(lineageDir))
                : environment.containsKey(CertbotLineage.RENEWED_LINEAGE)
                        ? Optional.of(CertbotLineage.fromEnvironment(environment))
                        : Optional.empty();
        List<RenewalHook.Renewed> renewed = new ArrayList<>();
        for (MxHost mx : renewedHosts(run, lineage)) {
            Path cert = run.certificatePath(mx);
            renewed.add(new RenewalHook.Renewed(
                    mx, lineage.filter(l -> l.holds(cert)).map(CertificateHistory.class::cast)));
        }
        if (renewed.isEmpty()) {
            err.println("mxpolicy renew-hook: no configured MX uses the renewed certificate"
                    + lineage.map(l -> " (" + l.liveDir() + ")").orElse("") + "; nothing to do");
            return 0;
        }
        RenewalHook.Result result = new RenewalHook(
                        run, common.wait, clock, line -> err.println("mxpolicy renew-hook: " + line))
                .renewed(renewed);
        result.lines().forEach(spec.commandLine().getOut()::println);
        if (!result.problems().isEmpty()) {
            throw new VerificationFailedException("the renewal would break DANE", result.problems());
        }
        return 0;
    }

    private List<MxHost> renewedHosts(RolloverRun run, Optional<CertbotLineage> lineage) throws InvalidInputException {
        List<MxHost> out = new ArrayList<>();
        if (!hosts.isEmpty()) {
            for (String host : hosts) {
                out.add(RolloverCommand.mx(run, spec, host));
            }
            return out;
        }
        List<String> domains = environment.containsKey(CertbotLineage.RENEWED_DOMAINS)
                ? CertbotLineage.renewedDomains(environment)
                : List.of();
        for (MxHost mx : run.mxHosts()) {
            if ((lineage.isPresent() && lineage.get().holds(run.certificatePath(mx))) || domains.contains(mx.host())) {
                out.add(mx);
            }
        }
        return out;
    }
}
