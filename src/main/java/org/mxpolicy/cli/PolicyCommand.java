package org.mxpolicy.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.mxpolicy.desired.DesiredState;
import org.mxpolicy.desired.DomainPolicy;
import org.mxpolicy.files.AtomicFiles;
import org.mxpolicy.files.ConfigFile;
import org.mxpolicy.files.OutputPaths;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.MxpolicyException;
import org.mxpolicy.finding.SourcePosition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mxpolicy policy}: the MTA-STS policy file of a domain, byte for byte as served. */
@Command(
        name = "policy",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Print a domain's MTA-STS policy file, byte for byte as it must be served.",
            "That is at",
            "https://mta-sts.<domain>/.well-known/mta-sts.txt (CRLF line endings), or write it with -o.",
            "Its id is the one in the domain's _mta-sts TXT record from 'mxpolicy generate'."
        },
        footer = {
            "",
            "Examples:",
            "  mxpolicy policy -c provider.yaml --domain example.com",
            "  mxpolicy policy -c provider.yaml --domain example.com -o /srv/mta-sts/example.com/.well-known/mta-sts.txt"
        })
final class PolicyCommand implements Callable<Integer> {

    @Option(
            names = {"-c", "--config"},
            required = true,
            paramLabel = "CONFIG",
            description = "Provider config (YAML).")
    private Path config;

    @Option(
            names = {"-d", "--domain"},
            paramLabel = "DOMAIN",
            description = "Mail domain; may be left out when only one domain has an MTA-STS policy.")
    private String domain;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FILE",
            description = "Write the policy to FILE (atomically) instead of stdout. Its directory must exist, unless"
                    + " --mkdir.")
    private Path output;

    @Option(
            names = "--mkdir",
            description = "Make FILE's directory when it is missing (without it, a missing directory is refused).")
    private boolean mkdir;

    @Spec
    private CommandSpec spec;

    private final Clock clock;

    PolicyCommand(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Integer call() throws MxpolicyException {
        if (output != null) {
            OutputPaths.file(output, mkdir);
        }
        ConfigFile file = ConfigFile.load(config);
        DesiredState desired = file.desiredState(clock.instant());
        Findings.print(spec.commandLine().getErr(), file.warnings(desired));
        DomainPolicy policy = select(desired.policies());
        if (output == null) {
            var out = spec.commandLine().getOut();
            out.print(policy.policy().text());
            out.flush();
        } else {
            AtomicFiles.write(output, policy.policy().bytes(), AtomicFiles.PUBLIC);
        }
        return 0;
    }

    private DomainPolicy select(List<DomainPolicy> policies) throws InvalidInputException {
        SourcePosition where = SourcePosition.file(config.toString());
        if (domain == null) {
            if (policies.size() == 1) {
                return policies.get(0);
            }
            throw new InvalidInputException(
                    "policy.domain-needed",
                    where,
                    policies.isEmpty()
                            ? "no domain has an mta_sts section"
                            : "several domains have MTA-STS policies; choose one with --domain ("
                                    + String.join(
                                            ", ",
                                            policies.stream()
                                                    .map(DomainPolicy::domain)
                                                    .toList()) + ")");
        }
        String wanted = domain.toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
        return policies.stream()
                .filter(p -> p.domain().equals(wanted))
                .findFirst()
                .orElseThrow(() -> new InvalidInputException(
                        "policy.unknown-domain", where, "no MTA-STS policy for " + wanted + " in this config"));
    }
}
